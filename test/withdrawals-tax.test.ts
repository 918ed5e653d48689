/**
 * R-WD-4: a month's tax is a function of the month's withdrawals that did not fail. When one is
 * released, what the others had withheld beyond the tax on the remaining total goes back to the
 * ambassador (withdrawal.tax_refunded: tax_payable → available, linked to the withdrawal it
 * corrects), whether the others are paid already or still in flight.
 */
import type { Express } from 'express';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import type { FixtureAmbassador } from './harness/ledger-fixtures';
import { CNY, withdrawalMoves } from './harness/withdrawal-fixtures';
import { ambassadorBalances } from '../ledger';
import { setPayoutFault } from '../payouts';
import { releaseWithdrawal, settleWithdrawal } from '../services/withdrawals';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x), { env: { RATE_LIMIT_PER_MINUTE: '10000' }, ledgerSound: true });

const { withdraw, get, settled, earner } = withdrawalMoves(() => ({ ctx, app }));

/** Tax that stays withheld for the ambassador's withdrawals: tax lines less tax refunds. */
async function taxKept(a: FixtureAmbassador): Promise<number> {
  const res = await get(a, '/v1/ambassadors/me/ledger?limit=200');
  let total = 0;
  for (const e of res.body.items as { kind: string; postings: { account: string; amountYunqi: number }[] }[]) {
    if (e.kind === 'withdrawal.tax_withheld' || e.kind === 'withdrawal.tax_refunded') {
      total += e.postings.find((p) => p.account === 'system:tax_payable')!.amountYunqi;
    }
  }
  return total;
}

async function expectMonthOf30000Alone(a: FixtureAmbassador, big: string, small: string) {
  // 30,000 alone: (30,000 × 80%) × 30% − 2,000 = 5,200.00; 5,480.00 had been withheld with the 3,000.
  expect(await taxKept(a)).toBe(5200 * CNY);
  expect(await ambassadorBalances(ctx.sql, a.id)).toEqual({ pending: 0, available: 10_280 * CNY, reserved: 0, paid_out: 24_520 * CNY });
  const bal = await get(a, '/v1/ambassadors/me/balance');
  expect(bal.body).toMatchObject({ withdrawnThisMonth: { cny: '30000.00' }, taxWithheldThisMonth: { cny: '5200.00' } });
  const w = await get(a, `/v1/ambassadors/me/withdrawals/${big}`);
  expect(w.body).toMatchObject({ status: 'paid', tax: '5480.00', taxRefunded: '280.00', taxKept: '5200.00' });
  const ledger = (await get(a, '/v1/ambassadors/me/ledger?limit=200')).body.items as { id: string; kind: string; link: { withdrawalId?: string }; reversesEntry: string | null; explanation: Record<string, unknown> }[];
  const refund = ledger.find((e) => e.kind === 'withdrawal.tax_refunded')!;
  expect(refund.link).toEqual({ type: 'tax', withdrawalId: big });
  // The correction names the tax line it corrects.
  expect(refund.reversesEntry).toBe(ledger.find((e) => e.kind === 'withdrawal.tax_withheld' && e.link.withdrawalId === big)!.id);
  expect(refund.explanation).toMatchObject({ rule: 'R-WD-4', cause: `released:${small}`, monthGross: '30000.00', monthTax: '5200.00' });
}

test('R-WD-4 3,000 then 30,000 in one month, the 3,000 fails after the 30,000 was paid: 5,200.00 withheld in total, 280.00 returned', async () => {
  const a = await earner(40_000);
  await ctx.stopWorker();
  const small = await withdraw(a, '3000.00');
  const big = await withdraw(a, '30000.00');
  expect([small.body.tax, big.body.tax]).toEqual(['440.00', '5480.00']);
  await settleWithdrawal(ctx.sql, { withdrawalId: big.body.id, providerRef: 'test-paid', nowMs: Date.now() });
  await releaseWithdrawal(ctx.sql, { withdrawalId: small.body.id, reason: 'test: payee account closed', nowMs: Date.now() });
  await ctx.startWorker();
  await expectMonthOf30000Alone(a, big.body.id, small.body.id);
});

test('R-WD-4 the same month with the 30,000 still in flight when the 3,000 fails: the refund posts when it is paid', async () => {
  const a = await earner(40_000);
  await ctx.stopWorker();
  const small = await withdraw(a, '3000.00');
  const big = await withdraw(a, '30000.00');
  await releaseWithdrawal(ctx.sql, { withdrawalId: small.body.id, reason: 'test: payee account closed', nowMs: Date.now() });
  // In flight: its payout amount never changes under the provider; the month shows the new tax.
  const inFlight = await get(a, `/v1/ambassadors/me/withdrawals/${big.body.id}`);
  expect(inFlight.body).toMatchObject({ status: 'reserved', net: '24520.00', tax: '5480.00', taxRefunded: '280.00' });
  expect((await get(a, '/v1/ambassadors/me/balance')).body.taxWithheldThisMonth.cny).toBe('5200.00');
  await ctx.startWorker();
  await settled(big.body.id);
  await settled(small.body.id).catch(() => undefined);
  await expectMonthOf30000Alone(a, big.body.id, small.body.id);
});

test('R-WD-4 through the workflows: the provider refuses the 3,000 for good; the month keeps 5,200.00', async () => {
  const a = await earner(40_000);
  await ctx.stopWorker();
  const small = await withdraw(a, '3000.00');
  const big = await withdraw(a, '30000.00');
  await setPayoutFault(ctx.sql, { withdrawalId: small.body.id }, { mode: 'reject', message: 'payee account closed' });
  await ctx.startWorker();
  expect((await settled(small.body.id)).status).toBe('failed');
  expect((await settled(big.body.id)).status).toBe('paid');
  await expectMonthOf30000Alone(a, big.body.id, small.body.id);
  // A later withdrawal of the month is taxed on 30,000 + 1,000 with 5,200.00 withheld before.
  const later = await withdraw(a, '1000.00');
  expect(later.body.taxExplanation).toMatchObject({ monthGrossBefore: '30000.00', taxWithheldBefore: '5200.00' });
  expect(later.body.tax).toBe('240.00'); // 31,000 × 80% × 30% − 2,000 = 5,440.00
  expect((await settled(later.body.id)).status).toBe('paid');
});
