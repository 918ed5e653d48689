/** The pure settlement model (domain/settlement): outcomes as functions of facts and instants. */
import fc from 'fast-check';
import { ledgerMoves, settleCustomer, type CustomerSettlementFacts, type Holding, type PlacedOrder } from '../../domain/settlement';
import { book } from './fixtures';

const DAY = 86_400_000;
const T = Date.parse('2025-03-01T02:00:00Z'); // under the 2024-06-01 rule set
const AMB = 'amb-1';

function facts(over: Partial<CustomerSettlementFacts> = {}): CustomerSettlementFacts {
  return {
    customerId: 'c-1',
    reported: { firstPaidPurchaseAt: null, lastConsumptionAt: null, firstPaygUseAt: null, payAsYouGoBeforeFirstPurchase: false, sameEntityHasPaidHistory: false },
    orders: [],
    refunds: [],
    findings: [],
    associations: [{ associationId: 'c-1:1', ambassadorId: AMB, startedAtMs: T - DAY, endsAtMs: T + 59 * DAY }],
    ambassadors: new Map([[AMB, { id: AMB, accountId: 'acct-1', kind: 'individual', levels: [{ level: 'L1', effectiveAtMs: T - 10 * DAY }] }]]),
    identity: [],
    ...over,
  };
}

const order = (id: string, atMs: number, paid = 500_000): PlacedOrder => ({
  orderId: id,
  placedAtMs: atMs,
  paidYunqi: paid,
  billing: 'prepaid',
  productCode: 'ecs',
  productCategory: 'core',
  orderType: 'new',
  cartId: null,
  excludedChannel: false,
});

const summary = (f: CustomerSettlementFacts, now: number) =>
  [...settleCustomer(f, book, now).values()].map((o) => [o.orderId, o.state, o.reasonCode, o.rewardYunqi, o.creditedYunqi, o.installments.map((i) => [i.yunqi, i.status])]).sort();

test('R-ORD-8 R-ORD-6 the outcome is a function of the facts: any order of the fact lists gives the same outcome', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ day: fc.integer({ min: 0, max: 50 }), paid: fc.constantFrom(9_900, 100_000, 500_000, 3_000_000) }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ i: fc.nat(3), after: fc.integer({ min: 0, max: 90 }), full: fc.boolean() }), { maxLength: 3 }),
      fc.integer({ min: 0, max: 200 }),
      (os, rs, nowDay) => {
        const orders = os.map((o, i) => order(`o${i}`, T + o.day * DAY + i, o.paid));
        const refunds = rs.map((r, k) => ({ refundId: `r${k}`, orderId: `o${r.i % orders.length}`, amountYunqi: 1_000, full: r.full, atMs: orders[r.i % orders.length]!.placedAtMs + r.after * DAY + k }));
        const now = T + nowDay * DAY;
        const a = summary(facts({ orders, refunds }), now);
        const b = summary(facts({ orders: [...orders].reverse(), refunds: [...refunds].reverse() }), now);
        expect(b).toEqual(a);
      },
    ),
  );
});

test('R-SAME-2 an identity change voids the installments due at or after it; those due before it stand', () => {
  const o = order('o1', T, 500_000); // 1,250.00: two installments, due T+37d and T+67d
  const change = (at: number) => facts({
    orders: [o],
    identity: [
      { subject: 'customer', subjectId: 'c-1', attr: 'phone', valueHash: 'h1', validFrom: T - 5 * DAY, validTo: at },
      { subject: 'customer', subjectId: 'c-1', attr: 'phone', valueHash: 'h2', validFrom: at, validTo: null },
    ],
  });
  const now = T + 100 * DAY;
  expect(summary(change(T + 37 * DAY), now)).toEqual([['o1', 'voided', 'IDENTITY_CHANGED', 0, 0, [[62_500, 'voided'], [62_500, 'voided']]]]);
  expect(summary(change(T + 37 * DAY + 1), now)).toEqual([['o1', 'voided', 'IDENTITY_CHANGED', 62_500, 62_500, [[62_500, 'credited'], [62_500, 'voided']]]]);
  expect(summary(change(T + 90 * DAY), now)).toEqual([['o1', 'completed', null, 125_000, 125_000, [[62_500, 'credited'], [62_500, 'credited']]]]);
});

test('R-REV-1 R-REV-2 a refund is inside the review strictly before its end; at the end it is after it', () => {
  const o = order('o1', T, 500_000);
  const at = (ms: number) => facts({ orders: [o], refunds: [{ refundId: 'r', orderId: 'o1', amountYunqi: 100_000, full: false, atMs: ms }] });
  expect(summary(at(T + 7 * DAY - 1), T + 100 * DAY)[0]!.slice(1, 4)).toEqual(['voided', 'REFUND_IN_REVIEW', 0]);
  // After the review: 4,000.00 kept at 25% = 1,000.00, over the two installments planned at placement.
  expect(summary(at(T + 7 * DAY), T + 100 * DAY)[0]!.slice(1, 5)).toEqual(['completed', null, 100_000, 100_000]);
});

test('moves: whatever the ledger holds for an order, the moves bring it to the outcome, and a second time there are none', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ amb: fc.constantFrom('a', 'b', 'c'), p: fc.integer({ min: 0, max: 10_000 }), a: fc.integer({ min: -5_000, max: 10_000 }) }), { maxLength: 3 }),
      fc.option(fc.constantFrom('a', 'b', 'd'), { nil: null }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 100 }),
      (raw, ambassadorId, reward, pct) => {
        const holdings: Holding[] = [...new Map(raw.map((h) => [h.amb, { ambassadorId: h.amb, pendingYunqi: h.p, availableYunqi: h.a }])).values()];
        const want = { ambassadorId, rewardYunqi: ambassadorId ? reward : 0, creditedYunqi: ambassadorId ? Math.floor((reward * pct) / 100) : 0 };
        const after = new Map(holdings.map((h) => [h.ambassadorId, { ...h }]));
        for (const m of ledgerMoves(holdings, want)) {
          const h = after.get(m.ambassadorId) ?? { ambassadorId: m.ambassadorId, pendingYunqi: 0, availableYunqi: 0 };
          after.set(m.ambassadorId, h);
          if (m.kind === 'grant') h.pendingYunqi += m.yunqi;
          const toAvailable = m.kind === 'credit' ? m.yunqi : m.kind === 'uncredit' ? -m.yunqi : 0;
          h.pendingYunqi -= toAvailable;
          h.availableYunqi += toAvailable;
          if (m.kind === 'void') h.pendingYunqi -= m.yunqi;
          if (m.kind === 'clawback') h.availableYunqi -= m.yunqi;
          expect(m.yunqi).toBeGreaterThan(0);
        }
        for (const h of after.values()) {
          const mine = h.ambassadorId === ambassadorId;
          expect([h.ambassadorId, h.pendingYunqi, h.availableYunqi]).toEqual([h.ambassadorId, mine ? want.rewardYunqi - want.creditedYunqi : 0, mine ? want.creditedYunqi : 0]);
        }
        expect(ledgerMoves([...after.values()], want)).toEqual([]);
      },
    ),
  );
});
