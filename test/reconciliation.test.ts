/**
 * The reconciliation sweep (issue 14, item 5): a Temporal Schedule (nightly) and runs on demand
 * take the named checks — ledger invariants, cap usage against its reservations, credited
 * installments against their ledger steps, open withdrawals against their workflows — and the
 * results show in GET /v1/ops/reconciliation and in /metrics. On the dev server: the test server
 * has no Schedules.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed } from './harness/order-fixtures';
import { createAmbassador } from './harness/ledger-fixtures';
import { keepHistory, OPS_HISTORIES_DIR } from './harness/histories';
import { ensureReconciliationSchedule } from '../contracts/reconciliation/client';
import { RECONCILIATION_SCHEDULE_ID } from '../contracts/reconciliation';
import { RECONCILIATION_CHECKS } from '../services/reconciliation';

let ctx: TestContext;
let h: Harness;
useHarness((x) => ({ ctx, h } = x), { devServer: true });

interface RunView {
  runId: number;
  trigger: string;
  findings: number;
  checks: { name: string; status: string; findings: number; sample: Record<string, unknown>[] }[];
}

async function runNow(): Promise<RunView> {
  const started = await h.ops(request(h.app).post('/v1/ops/reconciliation/runs'));
  expect(started.status).toBe(202);
  await ctx.client.workflow.getHandle(started.body.workflowId).result();
  const latest = await h.ops(request(h.app).get('/v1/ops/reconciliation'));
  expect(latest.status).toBe(200);
  return latest.body.run;
}
const check = (run: RunView, name: string) => run.checks.find((c) => c.name === name)!;

test('a run on demand takes every named check; a sound system has no findings', async () => {
  expect((await h.ops(request(h.app).get('/v1/ops/reconciliation'))).body).toEqual({ run: null });
  const now = await h.clock.sync();
  const { customerId } = await associatedCustomer(h, { clickAt: Date.parse('2024-05-01T10:00:00+08:00') });
  const o = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: '2024-05-02T10:00:00+08:00' }));
  await opsOrder(h, o.orderId, (x) => x.state === 'completed'); // two credited installments, each with its step
  expect(now).toBeGreaterThan(0);

  const run = await runNow();
  expect(run.trigger).toBe('manual');
  expect(run.checks.map((c) => c.name)).toEqual(RECONCILIATION_CHECKS.map((c) => c.name).sort());
  expect(run.checks.map((c) => [c.name, c.status, c.findings])).toEqual(RECONCILIATION_CHECKS.map((c) => [c.name, 'ok', 0]).sort());
  expect(run.findings).toBe(0);
  const byId = await h.ops(request(h.app).get(`/v1/ops/reconciliation/runs/${run.runId}`));
  expect(byId.body.runId).toBe(run.runId);
  expect((await h.ops(request(h.app).get('/v1/ops/reconciliation/runs/999999'))).status).toBe(404);
  expect((await h.ops(request(h.app).get('/v1/ops/reconciliation/runs/x'))).status).toBe(400);
});

test('each check finds what breaks its invariant, and /metrics shows the findings', async () => {
  // Cap usage that no reservation explains.
  const [{ association_id }] = (await ctx.sql`SELECT association_id FROM cap_usage LIMIT 1`) as unknown as [{ association_id: string }];
  await ctx.sql`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi + 100 WHERE association_id = ${association_id}`;
  // An installment shown credited without the entry that credits it.
  const amb = await createAmbassador(ctx.sql);
  await ctx.sql`INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, ambassador_id, state, granted_yunqi, credited_yunqi, installments, workflow_id)
                VALUES ('rc-orphan', 'rc-cust', 'x', '{}', now(), ${amb.id}, 'completed', 500, 500,
                        ${ctx.sql.json([{ n: 1, yunqi: 500, dueAtMs: 0, credited: true, status: 'credited' }] as never)}, 'order:rc-orphan')`;
  // A withdrawal still reserved whose workflow never started.
  await ctx.sql`INSERT INTO withdrawals (id, ambassador_id, gross_yunqi, tax_yunqi, net_yunqi, tax_month, status, rule_set_version, tax_explanation, workflow_id, requested_at)
                VALUES ('wd_orphan', ${amb.id}, 1000, 0, 1000, '2026-12', 'reserved', '2024-06-01', '{}', 'withdrawal:wd_orphan', now())`;
  // A cached balance that its postings do not explain.
  const [{ account_id }] = (await ctx.sql`SELECT account_id FROM account_balances WHERE ambassador_id = ${amb.id} LIMIT 1`) as unknown as [{ account_id: number }];
  await ctx.sql`UPDATE account_balances SET balance_yunqi = balance_yunqi + 7 WHERE account_id = ${account_id}`;

  const run = await runNow();
  expect(check(run, 'cap_usage')).toMatchObject({ status: 'findings', findings: 1, sample: [expect.objectContaining({ association_id })] });
  expect(check(run, 'credited_installments')).toMatchObject({ status: 'findings', findings: 1, sample: [{ order_id: 'rc-orphan', installment: 1, yunqi: 500 }] });
  expect(check(run, 'open_withdrawals_have_workflows')).toMatchObject({ status: 'findings', findings: 1, sample: [expect.objectContaining({ withdrawalId: 'wd_orphan', workflow: 'NOT_FOUND' })] });
  expect(check(run, 'ledger_balances').findings).toBeGreaterThanOrEqual(1);
  expect(check(run, 'ledger_entries')).toMatchObject({ status: 'ok', findings: 0 });
  expect(run.findings).toBeGreaterThanOrEqual(4);

  const metrics = await h.ops(request(h.app).get('/metrics'));
  expect(metrics.text).toMatch(/^settlement_reconciliation_findings\{check="cap_usage"\} 1$/m);
  expect(metrics.text).toMatch(/^settlement_reconciliation_findings\{check="open_withdrawals_have_workflows"\} 1$/m);
  expect(metrics.text).toMatch(/^settlement_reconciliation_check_errors 0$/m);
  // Repaired, the next run is clean again where it was repaired.
  await ctx.sql`UPDATE account_balances SET balance_yunqi = balance_yunqi - 7 WHERE account_id = ${account_id}`;
  await ctx.sql`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi - 100 WHERE association_id = ${association_id}`;
  const again = await runNow();
  expect([check(again, 'cap_usage').findings, check(again, 'ledger_balances').findings]).toEqual([0, 0]);
});

test('the nightly Schedule: registered once (a second start updates it), at 03:00 China Standard Time, and it starts the same sweep', async () => {
  expect(await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, hour: 3 })).toBe('created');
  expect(await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, hour: 3 })).toBe('updated');
  const handle = ctx.client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
  const d = await handle.describe();
  expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationSweep' });
  const before = (await h.ops(request(h.app).get('/v1/ops/reconciliation'))).body.run.runId as number;
  await handle.trigger();
  const latest = await waitFor(async () => (await h.ops(request(h.app).get('/v1/ops/reconciliation'))).body.run as RunView, (r) => r.runId > before, 'the scheduled run', 30_000);
  expect(latest.trigger).toBe('schedule');
  const info = await handle.describe();
  const started = info.info.recentActions[0]!.action.workflow.workflowId;
  expect(started).toMatch(/^reconciliation:nightly-/);
  await keepHistory(ctx.client.workflow.getHandle(started), 'reconciliation-scheduled-sweep', OPS_HISTORIES_DIR);
  await handle.delete();
});
