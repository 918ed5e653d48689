/**
 * Payouts exactly once: the payout activity heartbeats and honours cancellation; before a release
 * the workflow asks the provider whether it paid; a payout that shows up after a release is taken
 * into the ledger (re-reserved from available, or a debt), never an error that retries forever;
 * and with the local provider failing, timing out, hanging or losing its answer at every step, no
 * yunqi is paid twice or lost.
 */
import type { Express } from 'express';
import { MockActivityEnvironment } from '@temporalio/testing';
import { CancelledFailure } from '@temporalio/activity';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import { keepHistory } from './harness/histories';
import { CNY, withdrawalMoves } from './harness/withdrawal-fixtures';
import { ambassadorBalances, systemBalance } from '../ledger';
import { localPayoutCalls, setPayoutFault, simulateLatePayout, type PayoutFault } from '../payouts';
import { createWithdrawalActivities } from '../activities/withdrawals';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x), { env: { RATE_LIMIT_PER_MINUTE: '10000' }, ledgerSound: true });

const { withdraw, get, settled, earner } = withdrawalMoves(() => ({ ctx, app }));
const handle = (id: string) => ctx.client.workflow.getHandle(`withdrawal:${id}`);

async function payoutsOf(id: string): Promise<number> {
  const [row] = await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM local_payouts WHERE idempotency_key = ${id}`;
  return row!.n;
}

test('the payout activity heartbeats while the provider works, and a cancelled attempt pays nothing', async () => {
  const a = await earner(1000);
  await ctx.stopWorker();
  const res = await withdraw(a, '100.00');
  await setPayoutFault(ctx.sql, { withdrawalId: res.body.id }, { mode: 'hang', hangMs: 60_000 });
  const activities = createWithdrawalActivities(ctx.deps);
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => beats++);
  const attempt = env.run(activities.payOutWithdrawal, res.body.id);
  await new Promise((r) => setTimeout(r, 300));
  env.cancel();
  await expect(attempt).rejects.toBeInstanceOf(CancelledFailure);
  expect(beats).toBeGreaterThanOrEqual(1);
  expect(await payoutsOf(res.body.id)).toBe(0);
  expect((await localPayoutCalls(ctx.sql, res.body.id)).map((c) => c.outcome)).toEqual(['cancelled']);
  await ctx.startWorker();
  // The workflow's own attempt (the hang is short this time) pays once.
  await setPayoutFault(ctx.sql, { withdrawalId: res.body.id }, { mode: 'hang', hangMs: 20, times: 1 });
  expect((await settled(res.body.id)).status).toBe('paid');
  expect(await payoutsOf(res.body.id)).toBe(1);
});

test('before a release the workflow asks the provider whether it paid; a refusal is then released', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1 });
  const res = await withdraw(a, '100.00');
  expect((await settled(res.body.id)).status).toBe('failed');
  await keepHistory(handle(res.body.id), 'withdrawal-confirmed-release');
  const history = await handle(res.body.id).fetchHistory();
  const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(scheduled).toEqual(['payOutWithdrawal', 'findPayout', 'releaseWithdrawal']);
  const payout = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'payOutWithdrawal');
  expect(Number(payout!.activityTaskScheduledEventAttributes!.heartbeatTimeout!.seconds)).toBe(30);
});

test('a payout that shows up after the release is taken back from available, not refused (no retry loop)', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1 });
  const res = await withdraw(a, '500.00');
  expect((await settled(res.body.id)).status).toBe('failed');
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 1000 * CNY, reserved: 0, paid_out: 0 });
  // The abandoned attempt pays late; a retried release (or the sweep) finds it.
  await simulateLatePayout(ctx.sql, { idempotencyKey: res.body.id, ambassadorId: a.id, netYunqi: res.body.netYunqi });
  const activities = createWithdrawalActivities(ctx.deps);
  const again = await activities.releaseWithdrawal({ withdrawalId: res.body.id, reason: 'retried' });
  expect(again.status).toBe('paid');
  expect(await activities.settleWithdrawal({ withdrawalId: res.body.id, providerRef: again.providerRef! })).toEqual(again);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 500 * CNY, reserved: 0, paid_out: 500 * CNY });
  const w = await get(a, `/v1/ambassadors/me/withdrawals/${res.body.id}`);
  expect(w.body).toMatchObject({ status: 'paid', paidAfterReleaseAt: expect.any(String), failedAt: expect.any(String) });
});

test('a late payout after the released money was withdrawn again leaves an explicit debt', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1 });
  const first = await withdraw(a, '1000.00');
  expect((await settled(first.body.id)).status).toBe('failed');
  const second = await withdraw(a, '1000.00');
  expect((await settled(second.body.id)).status).toBe('paid');
  await simulateLatePayout(ctx.sql, { idempotencyKey: first.body.id, ambassadorId: a.id, netYunqi: first.body.netYunqi });
  await createWithdrawalActivities(ctx.deps).releaseWithdrawal({ withdrawalId: first.body.id, reason: 'retried' });
  const bal = await get(a, '/v1/ambassadors/me/balance');
  expect(bal.body).toMatchObject({ available: { yunqi: 0 }, debt: { cny: '1000.00' } });
  // Both payouts are income of the month again (R-WD-4): 2,000 owes 240.00, 2 × 40.00 was withheld;
  // the month's next withdrawal withholds the rest.
  expect(bal.body).toMatchObject({ withdrawnThisMonth: { cny: '2000.00' }, taxWithheldThisMonth: { cny: '80.00' } });
});

const FAULTS: [string, PayoutFault | null][] = [
  ['none', null],
  ['transient ×3', { mode: 'transient', times: 3 }],
  ['answer lost ×2', { mode: 'timeout', times: 2 }],
  ['answer always lost', { mode: 'timeout' }],
  ['slow provider', { mode: 'hang', hangMs: 30, times: 2 }],
  ['refused', { mode: 'reject' }],
  ['never available', { mode: 'transient' }],
];

test('faults at every step: no yunqi is paid twice or lost', async () => {
  const a = await earner(100_000);
  const taxBefore = await systemBalance(ctx.sql, 'tax_payable');
  const ids: string[] = [];
  const record: Record<string, string> = { none: 'withdrawal-heartbeat-paid', 'answer always lost': 'withdrawal-confirm-finds-payout' };
  for (const [name, fault] of FAULTS) {
    await ctx.stopWorker();
    const res = await withdraw(a, '1000.00');
    expect(res.status).toBe(201);
    if (fault) await setPayoutFault(ctx.sql, { withdrawalId: res.body.id }, fault);
    await ctx.startWorker();
    ids.push(res.body.id);
    await settled(res.body.id);
    if (record[name]) await keepHistory(handle(res.body.id), record[name]);
  }
  let paidNet = 0;
  let taxKept = 0;
  for (const [i, id] of ids.entries()) {
    const w = (await get(a, `/v1/ambassadors/me/withdrawals/${id}`)).body;
    const n = await payoutsOf(id);
    expect({ fault: FAULTS[i]![0], payouts: n }).toEqual({ fault: FAULTS[i]![0], payouts: w.status === 'paid' ? 1 : 0 });
    if (w.status === 'paid') {
      paidNet += w.netYunqi;
      taxKept += w.taxKeptYunqi;
    }
  }
  const b = await ambassadorBalances(ctx.sql, a.id);
  expect(b.reserved).toBe(0);
  expect(b.paid_out).toBe(paidNet);
  expect((await systemBalance(ctx.sql, 'tax_payable')) - taxBefore).toBe(taxKept);
  // Earned = available + paid out + tax kept: nothing lost, nothing made up.
  expect(b.available + b.paid_out + taxKept).toBe(100_000 * CNY);
}, 90_000);
