/**
 * The withdrawal workflow end to end (HTTP → reservation → workflow → local payout provider →
 * ledger), with the provider told to fail transiently, refuse, or lose its answer, on the
 * time-skipping server (backoff waits are skipped). The ledger is checked after every test.
 */
import crypto from 'node:crypto';
import { keepHistory } from './harness/histories';
import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import { createTestApp, type TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import type { FixtureAmbassador } from './harness/ledger-fixtures';
import { CNY, withdrawalMoves } from './harness/withdrawal-fixtures';
import { ambassadorBalances } from '../ledger';
import { localPayoutCalls, setPayoutFault } from '../payouts';
import { utc8 } from '../domain/time';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x), { env: { RATE_LIMIT_PER_MINUTE: '10000' }, ledgerSound: true });

const { withdraw, get, settled, earner } = withdrawalMoves(() => ({ ctx, app }));

async function ledgerKinds(a: FixtureAmbassador, withdrawalId: string): Promise<string[]> {
  const res = await get(a, '/v1/ambassadors/me/ledger?limit=200');
  return res.body.items
    .filter((e: { link: { withdrawalId?: string } }) => e.link.withdrawalId === withdrawalId)
    .map((e: { kind: string }) => e.kind)
    .reverse();
}

test('R-WD-4 a paid withdrawal posts reserved, then the tax line and the payout; the answer is immediate', async () => {
  const a = await earner(5000);
  const res = await withdraw(a, '3000.00');
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('reserved');
  expect(res.headers.location).toBe(`/v1/ambassadors/me/withdrawals/${res.body.id}`);
  const out = await settled(res.body.id);
  expect(out).toMatchObject({ status: 'paid', providerRef: expect.stringMatching(/^lp_/) });
  expect(await ledgerKinds(a, res.body.id)).toEqual(['withdrawal.reserved', 'withdrawal.tax_withheld', 'withdrawal.paid']);
  expect(await ambassadorBalances(ctx.sql, a.id)).toEqual({ pending: 0, available: 2000 * CNY, reserved: 0, paid_out: 2560 * CNY });
  const calls = await localPayoutCalls(ctx.sql, res.body.id);
  expect(calls).toEqual([{ idempotency_key: res.body.id, ambassador_id: a.id, net_yunqi: 2560 * CNY, outcome: 'paid' }]);
});

test('transient provider failures are retried with backoff and the same idempotency key; paid once', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'transient', times: 3 });
  const res = await withdraw(a, '500.00');
  const before = await ctx.testEnv.currentTimeMs();
  expect((await settled(res.body.id)).status).toBe('paid');
  // 2 s + 4 s + 8 s of backoff, skipped.
  expect((await ctx.testEnv.currentTimeMs()) - before).toBeGreaterThanOrEqual(14_000);
  const calls = await localPayoutCalls(ctx.sql, res.body.id);
  expect(calls.map((c) => c.outcome)).toEqual(['transient', 'transient', 'transient', 'paid']);
  await keepHistory(ctx.client.workflow.getHandle(`withdrawal:${res.body.id}`), 'withdrawal-transient-retries');
  expect(new Set(calls.map((c) => c.idempotency_key))).toEqual(new Set([res.body.id]));
  const w = await get(a, `/v1/ambassadors/me/withdrawals/${res.body.id}`);
  expect(w.body).toMatchObject({ status: 'paid', payoutAttempts: 4, lastPayoutError: null });
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 500 * CNY, reserved: 0, paid_out: 500 * CNY });
});

test('a lost answer (the provider paid, then timed out) is retried with the same key and not paid twice', async () => {
  const a = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'timeout', times: 2 });
  const res = await withdraw(a, '200.00');
  const out = await settled(res.body.id);
  expect(out.status).toBe('paid');
  const calls = await localPayoutCalls(ctx.sql, res.body.id);
  expect(calls.map((c) => c.outcome)).toEqual(['timeout', 'timeout', 'replayed']);
  const [payouts] = await ctx.sql<{ n: number; ref: string }[]>`
    SELECT count(*)::int AS n, min(provider_ref) AS ref FROM local_payouts WHERE idempotency_key = ${res.body.id}`;
  expect(payouts).toEqual({ n: 1, ref: out.providerRef });
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 800 * CNY, reserved: 0, paid_out: 200 * CNY });
});

test('a fault set for one withdrawal affects only it; a stopped worker delays payouts, never loses them', async () => {
  const a = await earner(1000);
  await ctx.stopWorker();
  const r1 = await withdraw(a, '100.00');
  const r2 = await withdraw(a, '200.00');
  await setPayoutFault(ctx.sql, { withdrawalId: r2.body.id }, { mode: 'reject' });
  expect((await get(a, '/v1/ambassadors/me/balance')).body.reserved.yunqi).toBe(300 * CNY);
  await ctx.startWorker();
  expect((await settled(r1.body.id)).status).toBe('paid');
  expect((await settled(r2.body.id)).status).toBe('failed');
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 900 * CNY, reserved: 0, paid_out: 100 * CNY });
});

test('R-WD-4 a definitive refusal releases the reservation, and the failed withdrawal leaves the month total', async () => {
  const a = await earner(40_000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'reject', times: 1, message: 'payee account closed' });
  const first = await withdraw(a, '3000.00');
  expect(first.body.tax).toBe('440.00');
  const out = await settled(first.body.id);
  await keepHistory(ctx.client.workflow.getHandle(`withdrawal:${first.body.id}`), 'withdrawal-rejected-released');
  expect(out).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('payee account closed') });
  const w = await get(a, `/v1/ambassadors/me/withdrawals/${first.body.id}`);
  expect(w.body).toMatchObject({ status: 'failed', payoutAttempts: 1, providerRef: null });
  expect(w.body.failedAt).toEqual(expect.any(String));
  expect(await ledgerKinds(a, first.body.id)).toEqual(['withdrawal.reserved', 'withdrawal.released']);
  expect(await ambassadorBalances(ctx.sql, a.id)).toEqual({ pending: 0, available: 40_000 * CNY, reserved: 0, paid_out: 0 });
  const bal = await get(a, '/v1/ambassadors/me/balance');
  expect(bal.body.taxWithheldThisMonth.yunqi).toBe(0);
  expect(bal.body.withdrawnThisMonth.yunqi).toBe(0);
  // The next withdrawal of the month is taxed as if the failed one never happened: 30,000 alone.
  const second = await withdraw(a, '30000.00');
  expect(second.body).toMatchObject({ tax: '5200.00', taxExplanation: { monthGrossBefore: '0.00', taxWithheldBefore: '0.00' } });
  expect((await settled(second.body.id)).status).toBe('paid');
});

test('when retries run out the reservation is released, unless the provider did pay after all', async () => {
  const a = await earner(1000);
  const b = await earner(1000);
  await setPayoutFault(ctx.sql, { ambassadorId: a.id }, { mode: 'transient' }); // never recovers
  await setPayoutFault(ctx.sql, { ambassadorId: b.id }, { mode: 'timeout' }); // pays, never answers
  const ra = await withdraw(a, '100.00');
  const rb = await withdraw(b, '100.00');
  const outA = await settled(ra.body.id);
  expect(outA.status).toBe('failed');
  expect(outA.failureReason).toMatch(/PayoutUnavailableError/);
  expect((await localPayoutCalls(ctx.sql, ra.body.id)).length).toBe(40);
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 1000 * CNY, reserved: 0, paid_out: 0 });
  const outB = await settled(rb.body.id);
  expect(outB.status).toBe('paid');
  expect(await ambassadorBalances(ctx.sql, b.id)).toMatchObject({ available: 900 * CNY, reserved: 0, paid_out: 100 * CNY });
}, 60_000);

test('a withdrawal whose workflow did not start (Temporal unreachable) is reserved; replaying the request starts it', async () => {
  const a = await earner(1000);
  const down = { workflow: { start: async () => Promise.reject(new Error('Temporal unreachable')) } } as unknown as Client;
  const { createApp } = await import('../api/app');
  const broken = createApp({ sql: ctx.sql, client: down, config: ctx.config, logger: ctx.deps.logger, ruleBook: ctx.deps.ruleBook });
  const key = crypto.randomUUID();
  const res = await withdraw(a, '100.00', { key, on: broken });
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('reserved');
  expect((await get(a, '/v1/ambassadors/me/balance')).body.reserved.yunqi).toBe(100 * CNY);
  const replay = await withdraw(a, '100.00', { key });
  expect(replay.body.id).toBe(res.body.id);
  expect((await settled(res.body.id)).status).toBe('paid');
  expect(await ambassadorBalances(ctx.sql, a.id)).toMatchObject({ available: 900 * CNY, reserved: 0, paid_out: 100 * CNY });
});

test('R-WD-4 withdrawals in different UTC+8 months are separate incomes (the month turns at 0:00 UTC+8)', async () => {
  const a = await earner(10_000);
  let clock = utc8('2024-06-30T23:59:59');
  const dated = await createTestApp(ctx, { now: () => clock });
  const june = await withdraw(a, '3000.00', { on: dated });
  expect(june.body).toMatchObject({ taxMonth: '2024-06', tax: '440.00' });
  clock = utc8('2024-07-01T00:00:00'); // 2024-06-30T16:00Z
  const july = await withdraw(a, '3000.00', { on: dated });
  expect(july.body).toMatchObject({ taxMonth: '2024-07', tax: '440.00', taxExplanation: { monthGrossBefore: '0.00' } });
  const july2 = await withdraw(a, '3000.00', { on: dated });
  // July so far 6,000: (6,000 × 80%) × 20% = 960; 440 already withheld.
  expect(july2.body).toMatchObject({ taxMonth: '2024-07', tax: '520.00' });
  for (const id of [june.body.id, july.body.id, july2.body.id]) expect((await settled(id)).status).toBe('paid');
});
