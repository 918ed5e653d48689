/**
 * The reconciliation sweep as a real Temporal Schedule on the dev server (the time-skipping test
 * server has no schedules): registered idempotently, triggered by the test, its checks resume a
 * withdrawal whose workflow never started, release one whose workflow ended, take a late payout
 * into the ledger and report stale ones; GET /v1/ops/reconciliation shows the latest findings.
 */
import request from 'supertest';
import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import type { TestContext } from './harness/context';
import { createTestApp } from './harness/context';
import { useTestApp } from './harness/use-harness';
import { keepHistory } from './harness/histories';
import { CNY, withdrawalMoves } from './harness/withdrawal-fixtures';
import { ambassadorBalances } from '../ledger';
import { setPayoutFault, simulateLatePayout } from '../payouts';
import { ensureReconciliationSchedule, triggerReconciliation } from '../contracts/reconciliation/client';
import { RECONCILIATION_SCHEDULE_ID, type ReconciliationFinding } from '../contracts/reconciliation';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x), {
  devServer: true,
  ledgerSound: true,
  env: { RATE_LIMIT_PER_MINUTE: '10000', RECONCILIATION_GRACE_SECONDS: '0', RECONCILIATION_STALE_SECONDS: '3600' },
});

const OPS = 'Bearer dev-ops-token-change-me';
const { withdraw, settled, earner } = withdrawalMoves(() => ({ ctx, app }));

/** Triggers the schedule and waits for the run it starts to record its findings. */
async function sweep(history?: string): Promise<ReconciliationFinding[]> {
  await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 86_400 });
  const runs = async () => (await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM reconciliation_runs`)[0]!.n;
  const before = await runs();
  await triggerReconciliation(ctx.client);
  for (let i = 0; i < 200; i++) {
    if ((await runs()) > before) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await request(app).get('/v1/ops/reconciliation').set('Authorization', OPS);
  expect(res.status).toBe(200);
  if (history) {
    const h = ctx.client.workflow.getHandle(res.body.latest.workflowId, res.body.latest.runId);
    await h.result();
    await keepHistory(h, history);
  }
  return res.body.latest.findings;
}

const about = (findings: ReconciliationFinding[], id: string) => findings.filter((f) => f.subject === `withdrawal:${id}`);

test('a withdrawal reserved whose workflow never started (the API died between commit and start) is resumed by the sweep', async () => {
  const a = await earner(1000);
  const down = { workflow: { start: async () => Promise.reject(new Error('Temporal unreachable')) } } as unknown as Client;
  const { createApp } = await import('../api/app');
  const broken = createApp({ sql: ctx.sql, client: down, config: ctx.config, logger: ctx.deps.logger, ruleBook: ctx.deps.ruleBook });
  const res = await withdraw(a, '100.00', { on: broken });
  expect(res.body.status).toBe('reserved');
  const findings = await sweep('reconciliation-sweep-resumed');
  expect(about(findings, res.body.id)).toEqual([expect.objectContaining({ check: 'withdrawals_without_workflow', severity: 'info', action: 'resumed' })]);
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
  const findings = await sweep();
  expect(about(findings, res.body.id)).toEqual([expect.objectContaining({ check: 'withdrawals_without_workflow', severity: 'warning', action: 'released' })]);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 1000 * CNY, reserved: 0, paid_out: 0 });
});

test('a payout that shows up after the release is taken into the ledger by the sweep and reported as an alert', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1 });
  const res = await withdraw(a, '400.00');
  expect((await settled(res.body.id)).status).toBe('failed');
  await simulateLatePayout(ctx.sql, { idempotencyKey: res.body.id, ambassadorId: a.id, netYunqi: res.body.netYunqi });
  const findings = await sweep();
  expect(about(findings, res.body.id)).toEqual([expect.objectContaining({ check: 'late_payouts', severity: 'alert', action: 'taken_into_ledger' })]);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 600 * CNY, reserved: 0, paid_out: 400 * CNY });
  expect(about(await sweep(), res.body.id)).toEqual([]);
});

test('a withdrawal still open long after its request is reported as stale', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'transient' });
  const twoHoursAgo = await createTestApp(ctx, { now: () => Date.now() - 2 * 3600_000 });
  const res = await withdraw(a, '100.00', { on: twoHoursAgo });
  const findings = await sweep();
  expect(about(findings, res.body.id)).toEqual([expect.objectContaining({ check: 'stale_withdrawals', severity: 'warning', action: 'reported' })]);
  await ctx.client.workflow.getHandle(`withdrawal:${res.body.id}`).terminate('test over');
});

test('the schedule is registered idempotently; its runs are sweep workflows; the ops endpoint needs the ops token', async () => {
  const first = await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 600 });
  await ensureReconciliationSchedule(ctx.client, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE, everySeconds: 900 });
  expect(first.scheduleId).toBe(RECONCILIATION_SCHEDULE_ID);
  const d = await ctx.client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).describe();
  expect(d.spec.intervals?.[0]?.every).toBe(900_000);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationSweep' });
  const res = await request(app).get('/v1/ops/reconciliation').set('Authorization', OPS);
  expect(res.body.latest.workflowId).toMatch(/^reconciliation:sweep/);
  expect(res.body.latest.checks).toEqual(['withdrawals_without_workflow', 'late_payouts', 'stale_withdrawals']);
  expect((await request(app).get('/v1/ops/reconciliation')).status).toBe(401);
});
