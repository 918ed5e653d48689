/**
 * The reconciliation sweep (issue 14 item 5, and issue 12's withdrawal repairs), one Temporal
 * Schedule on the dev server (the time-skipping test server has no Schedules) and runs on demand.
 * Its named checks: the ledger invariants, cap usage against its reservations, credited
 * installments against their ledger steps (nightly, reported), and the withdrawal checks that act
 * (every run): a withdrawal whose workflow never started is resumed, one whose workflow ended is
 * released, a late payout is taken into the ledger, a stale one is reported. A check that fails is
 * an error of its own; the results show in GET /v1/ops/reconciliation and in /metrics.
 */
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { TestContext } from './harness/context';
import { createTestApp } from './harness/context';
import { useHarness } from './harness/use-harness';
import { waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed } from './harness/order-fixtures';
import { createAmbassador } from './harness/ledger-fixtures';
import { keepHistory, OPS_HISTORIES_DIR } from './harness/histories';
import { CNY, withdrawalMoves } from './harness/withdrawal-fixtures';
import { ambassadorBalances } from '../ledger';
import { setPayoutFault, simulateLatePayout } from '../payouts';
import { ensureReconciliationSchedule, triggerReconciliation } from '../contracts/reconciliation/client';
import { RECONCILIATION_SCHEDULE_ID, type ReconciliationFinding, type ReconciliationSummary } from '../contracts/reconciliation';
import { RECONCILIATION_CHECKS, checksDue, nightlyBoundary } from '../services/reconciliation';

let ctx: TestContext;
let h: Harness;
useHarness((x) => ({ ctx, h } = x), {
  devServer: true,
  ledgerSound: true,
  env: { RATE_LIMIT_PER_MINUTE: '10000', RECONCILIATION_GRACE_SECONDS: '0', RECONCILIATION_STALE_SECONDS: '3600' },
});

const { withdraw, settled, earner } = withdrawalMoves(() => ({ ctx, app: h.app }));

interface ResultView {
  name: string;
  status: string;
  findings: number;
  sample: ReconciliationFinding[];
  error: string | null;
}
interface RunView {
  runId: string;
  workflowId: string;
  trigger: string;
  checks: string[];
  findings: number;
  results: ResultView[];
}

const ops = (r: request.Test) => h.ops(r);
const EVERY_RUN = RECONCILIATION_CHECKS.filter((c) => c.cadence === 'every_run').map((c) => c.name);
const ALL = RECONCILIATION_CHECKS.map((c) => c.name);

/** A run on demand (POST /v1/ops/reconciliation/runs), awaited; answers the run as ops see it. */
async function runNow(): Promise<RunView> {
  const started = await ops(request(h.app).post('/v1/ops/reconciliation/runs'));
  expect(started.status).toBe(202);
  const summary: ReconciliationSummary = await ctx.client.workflow.getHandle(started.body.workflowId).result();
  const run = await ops(request(h.app).get(`/v1/ops/reconciliation/runs/${summary.runId}`));
  expect(run.status).toBe(200);
  return run.body;
}

let lastTriggerSecond = 0;

/** Triggers the Schedule and waits for the run it starts to finish; answers the latest run. The
 * Schedule names a run's workflow by its start to the second: a trigger in the second of the one
 * before would be refused as already running (and no run would start), so it waits for the next. */
async function sweep(history?: string): Promise<RunView> {
  await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 86_400 });
  const finished = async () => (await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM reconciliation_runs WHERE finished_at IS NOT NULL`)[0]!.n;
  const before = await finished();
  while (Math.floor(Date.now() / 1000) <= lastTriggerSecond) await new Promise((r) => setTimeout(r, 50));
  lastTriggerSecond = Math.floor(Date.now() / 1000);
  await triggerReconciliation(ctx.client);
  await waitFor(finished, (n) => n > before, 'a scheduled sweep', 30_000);
  const res = await ops(request(h.app).get('/v1/ops/reconciliation'));
  expect(res.status).toBe(200);
  const latest: RunView = res.body.latest;
  expect(latest.trigger).toBe('schedule');
  if (history) await keepHistory(ctx.client.workflow.getHandle(latest.workflowId, latest.runId), history, OPS_HISTORIES_DIR);
  return latest;
}

const result = (run: RunView, name: string) => run.results.find((c) => c.name === name)!;
const about = (run: RunView, id: string) => run.results.flatMap((r) => r.sample).filter((f) => f.subject === `withdrawal:${id}`);

test('a run on demand takes every named check; a sound system has no findings', async () => {
  const empty = await ops(request(h.app).get('/v1/ops/reconciliation'));
  expect(empty.body.latest).toBeNull();
  expect(empty.body.checks.map((c: { name: string; latest: unknown }) => [c.name, c.latest])).toEqual(ALL.map((n) => [n, null]));
  const { customerId } = await associatedCustomer(h, { clickAt: Date.parse('2024-05-01T10:00:00+08:00') });
  const o = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: '2024-05-02T10:00:00+08:00' }));
  await opsOrder(h, o.orderId, (x) => x.state === 'completed'); // two credited installments, each with its step

  const run = await runNow();
  expect(run.trigger).toBe('manual');
  expect(run.checks).toEqual(ALL);
  expect(run.results.map((c) => [c.name, c.status, c.findings])).toEqual(ALL.map((n) => [n, 'ok', 0]).sort());
  expect(run.findings).toBe(0);
  const checks = (await ops(request(h.app).get('/v1/ops/reconciliation'))).body.checks as { name: string; cadence: string; latest: { runId: string } }[];
  expect(checks.map((c) => [c.name, c.cadence, c.latest.runId])).toEqual(RECONCILIATION_CHECKS.map((c) => [c.name, c.cadence, run.runId]));
  expect((await ops(request(h.app).get('/v1/ops/reconciliation/runs/no-such-run'))).status).toBe(404);
  expect((await ops(request(h.app).get('/v1/ops/reconciliation/runs/%00x'))).status).toBe(400);
  expect((await request(h.app).get('/v1/ops/reconciliation')).status).toBe(401);
});

test('each money check finds what breaks its invariant, and /metrics shows the findings', async () => {
  // Cap usage that no reservation explains.
  const [{ association_id }] = (await ctx.sql`SELECT association_id FROM cap_usage LIMIT 1`) as unknown as [{ association_id: string }];
  await ctx.sql`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi + 100 WHERE association_id = ${association_id}`;
  // An installment shown credited without the entry that credits it.
  const amb = await createAmbassador(ctx.sql);
  await ctx.sql`INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, ambassador_id, state, granted_yunqi, credited_yunqi, installments, workflow_id)
                VALUES ('rc-orphan', 'rc-cust', 'x', '{}', now(), ${amb.id}, 'completed', 500, 500,
                        ${ctx.sql.json([{ n: 1, yunqi: 500, dueAtMs: 0, credited: true, status: 'credited' }] as never)}, 'order:rc-orphan')`;
  // A cached balance that its postings do not explain.
  const [{ account_id }] = (await ctx.sql`SELECT account_id FROM account_balances WHERE ambassador_id = ${amb.id} LIMIT 1`) as unknown as [{ account_id: number }];
  await ctx.sql`UPDATE account_balances SET balance_yunqi = balance_yunqi + 7 WHERE account_id = ${account_id}`;

  const run = await runNow();
  expect(result(run, 'cap_usage')).toMatchObject({ status: 'findings', findings: 1, sample: [expect.objectContaining({ severity: 'alert', action: 'reported', subject: `association:${association_id}` })] });
  expect(result(run, 'credited_installments')).toMatchObject({
    status: 'findings',
    findings: 1,
    sample: [expect.objectContaining({ subject: 'order:rc-orphan', details: expect.objectContaining({ order_id: 'rc-orphan', installment: 1 }) })],
  });
  expect(result(run, 'ledger_balances').sample).toEqual(expect.arrayContaining([expect.objectContaining({ subject: `account:${account_id}` })]));
  expect(result(run, 'ledger_entries')).toMatchObject({ status: 'ok', findings: 0 });
  expect(run.findings).toBeGreaterThanOrEqual(3);

  const metrics = await ops(request(h.app).get('/metrics'));
  expect(metrics.text).toMatch(/^settlement_reconciliation_findings\{check="cap_usage"\} 1$/m);
  expect(metrics.text).toMatch(/^settlement_reconciliation_findings\{check="credited_installments"\} 1$/m);
  expect(metrics.text).toMatch(/^settlement_reconciliation_findings\{check="withdrawals_without_workflow"\} 0$/m);
  expect(metrics.text).toMatch(/^settlement_reconciliation_check_errors 0$/m);
  // Repaired, the next run is clean again where it was repaired.
  await ctx.sql`UPDATE account_balances SET balance_yunqi = balance_yunqi - 7 WHERE account_id = ${account_id}`;
  await ctx.sql`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi - 100 WHERE association_id = ${association_id}`;
  await ctx.sql`DELETE FROM orders WHERE order_id = 'rc-orphan'`;
  const again = await runNow();
  expect([result(again, 'cap_usage').findings, result(again, 'ledger_balances').findings, result(again, 'credited_installments').findings]).toEqual([0, 0, 0]);
});

test('a check that keeps failing is an error of its own: the other checks still run, and /metrics counts it', async () => {
  await ctx.sql`ALTER TABLE cap_reservations RENAME TO cap_reservations_away`;
  let run: RunView;
  try {
    run = await runNow();
  } finally {
    await ctx.sql`ALTER TABLE cap_reservations_away RENAME TO cap_reservations`;
  }
  expect(result(run, 'cap_usage')).toMatchObject({ status: 'error', findings: 0, error: expect.stringContaining('cap_reservations') });
  expect(run.results.filter((r) => r.name !== 'cap_usage').map((r) => r.status)).toEqual(ALL.filter((n) => n !== 'cap_usage').map(() => 'ok'));
  const metrics = await ops(request(h.app).get('/metrics'));
  expect(metrics.text).toMatch(/^settlement_reconciliation_check_errors 1$/m);
  expect(result(await runNow(), 'cap_usage').status).toBe('ok');
});

test('a withdrawal reserved whose workflow never started (the API died between commit and start) is resumed by the sweep', async () => {
  const a = await earner(1000);
  const down = { workflow: { start: async () => Promise.reject(new Error('Temporal unreachable')) } } as unknown as Client;
  const { createApp } = await import('../api/app');
  const broken = createApp({ sql: ctx.sql, client: down, config: ctx.config, logger: ctx.deps.logger, ruleBook: ctx.deps.ruleBook });
  const res = await withdraw(a, '100.00', { on: broken });
  expect(res.body.status).toBe('reserved');
  const run = await sweep('reconciliation-sweep-resumed');
  expect(about(run, res.body.id)).toEqual([expect.objectContaining({ check: 'withdrawals_without_workflow', severity: 'info', action: 'resumed' })]);
  expect((await settled(res.body.id)).status).toBe('paid');
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 900 * CNY, reserved: 0, paid_out: 100 * CNY });
  // Once paid, the next sweep finds nothing about it.
  expect(about(await sweep(), res.body.id)).toEqual([]);
});

test('a withdrawal whose workflow was terminated while reserved is released once the provider shows no payout', async () => {
  const a = await earner(1000);
  await ctx.stopWorker();
  const res = await withdraw(a, '300.00');
  await ctx.client.workflow.getHandle(`withdrawal:${res.body.id}`).terminate('test: an operator ended it');
  await ctx.startWorker();
  const run = await sweep();
  expect(about(run, res.body.id)).toEqual([expect.objectContaining({ check: 'withdrawals_without_workflow', severity: 'warning', action: 'released' })]);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 1000 * CNY, reserved: 0, paid_out: 0 });
});

test('a payout that shows up after the release is taken into the ledger by the sweep and reported as an alert', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1 });
  const res = await withdraw(a, '400.00');
  expect((await settled(res.body.id)).status).toBe('failed');
  await simulateLatePayout(ctx.sql, { idempotencyKey: res.body.id, ambassadorId: a.id, netYunqi: res.body.netYunqi });
  const run = await sweep();
  expect(about(run, res.body.id)).toEqual([expect.objectContaining({ check: 'late_payouts', severity: 'alert', action: 'taken_into_ledger' })]);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 600 * CNY, reserved: 0, paid_out: 400 * CNY });
  expect(about(await sweep(), res.body.id)).toEqual([]);
});

test('a withdrawal still open long after its request is reported as stale', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'transient' });
  const twoHoursAgo = await createTestApp(ctx, { now: () => Date.now() - 2 * 3600_000 });
  const res = await withdraw(a, '100.00', { on: twoHoursAgo });
  const run = await sweep();
  expect(about(run, res.body.id)).toEqual([expect.objectContaining({ check: 'stale_withdrawals', severity: 'warning', action: 'reported' })]);
  await ctx.client.workflow.getHandle(`withdrawal:${res.body.id}`).terminate('test over');
});

test('the nightly checks are due once a day, after RECONCILIATION_HOUR China Standard Time; the withdrawal checks every run; a run on demand takes all', async () => {
  expect(nightlyBoundary(Date.parse('2024-06-01T02:59:00+08:00'), 3)).toBe(Date.parse('2024-05-31T03:00:00+08:00'));
  expect(nightlyBoundary(Date.parse('2024-06-01T03:00:00+08:00'), 3)).toBe(Date.parse('2024-06-01T03:00:00+08:00'));
  expect(nightlyBoundary(Date.parse('2024-06-01T23:30:00+08:00'), 0)).toBe(Date.parse('2024-06-01T00:00:00+08:00'));
  await runNow();
  const at = (ms: number) => ({ sql: ctx.sql, config: ctx.config, now: () => ms });
  const checks = (await ops(request(h.app).get('/v1/ops/reconciliation'))).body.checks as { name: string; cadence: string; latest: { checkedAt: string } }[];
  // The next boundary after the latest of the nightly checks' results.
  const nightlyRanAt = Math.min(...checks.filter((c) => c.cadence === 'nightly').map((c) => Date.parse(c.latest.checkedAt)));
  const nextBoundary = nightlyBoundary(nightlyRanAt, ctx.config.RECONCILIATION_HOUR) + 86_400_000;
  expect(await checksDue(at(nextBoundary - 1000), 'schedule')).toEqual(EVERY_RUN);
  expect(await checksDue(at(nextBoundary), 'schedule')).toEqual(ALL);
  expect(await checksDue(at(nextBoundary - 1000), 'manual')).toEqual(ALL);
});

test('the Schedule is registered once (a second start updates it) and starts the sweep; a scheduled run is recorded', async () => {
  expect(await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 600 })).toBe('updated');
  await ctx.client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).delete();
  expect(await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 600 })).toBe('created');
  expect(await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 900 })).toBe('updated');
  const d = await ctx.client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).describe();
  expect(d.spec.intervals?.[0]?.every).toBe(900_000);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationSweep', args: [{ trigger: 'schedule' }] });
  const run = await sweep('reconciliation-scheduled-sweep');
  expect(run.workflowId).toMatch(/^reconciliation:sweep-/);
  expect(run.checks).toEqual(expect.arrayContaining(EVERY_RUN));
  expect(run.results.map((r) => r.name).sort()).toEqual([...run.checks].sort());
});
