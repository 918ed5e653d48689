import fc from 'fast-check';
import {
  LEVELS,
  cnyToYunqi,
  computeCommission,
  recomputeOnRefund,
  yunqiToCny,
  type CommissionInput,
  type Level,
  type RuleSet,
} from '../../domain';
import { EARLIEST, JUN1, JUNE, NO_USAGE, book, codeOf, uncapped } from './fixtures';

const cny = (s: string) => cnyToYunqi(s);
const reward = (i: CommissionInput) => yunqiToCny(computeCommission(i).rewardYunqi);
const input = (ruleSet: RuleSet, paid: string, patch: Partial<CommissionInput> = {}): CommissionInput => ({
  ruleSet,
  level: 'L1',
  kind: 'first_purchase',
  productCategory: 'core',
  paidYunqi: cny(paid),
  usage: NO_USAGE,
  ...patch,
});
const orderScope = (rs: RuleSet): RuleSet => ({ ...rs, capScope: 'order' });

describe('R-ORD-10 worked examples of the seed, to the fen', () => {
  test('R-ORD-10 example 1: L1, new customer buys a 99.00 server as first purchase: 24.75', () => {
    for (const rs of book.all()) expect(reward(input(rs, '99'))).toBe('24.75');
  });

  test('R-ORD-10 example 1 next day: a 99.00 database at 15% (later purchase before 2024-06-01): 14.85', () => {
    const usage = { paidUsedYunqi: 9900, rewardUsedYunqi: 2475 };
    expect(reward(input(EARLIEST, '99', { kind: 'later_purchase', usage }))).toBe('14.85');
    // after 2024-06-01 the 15% is the strategic rate; a core product now earns the level rate
    expect(reward(input(JUNE, '99', { kind: 'later_purchase', usage, productCategory: 'strategic' }))).toBe('14.85');
    expect(reward(input(JUNE, '99', { kind: 'later_purchase', usage }))).toBe('24.75');
  });

  test('R-ORD-10 example 2 with per-order cap scope: 50,000.00 capped at 20,000 × 15% = 3,000.00', () => {
    const usage = { paidUsedYunqi: 9900, rewardUsedYunqi: 2475 }; // the 99.00 first purchase before it
    const r = computeCommission(input(orderScope(EARLIEST), '50000', { kind: 'later_purchase', usage }));
    expect(yunqiToCny(r.rewardYunqi)).toBe('3000.00');
    expect(r.cappedBaseYunqi).toBe(2_000_000);
    expect(r.explanation.caps.filter((c) => c.bound).map((c) => c.cap)).toEqual(['perCustomerPaid']);
    expect(reward(input(orderScope(JUNE), '50000', { kind: 'later_purchase', usage, productCategory: 'strategic' }))).toBe('3000.00');
  });

  test('R-ORD-10 example 2 with the default association scope: 2,975.25 (both per-customer caps count the first 99.00)', () => {
    const usage = { paidUsedYunqi: 9900, rewardUsedYunqi: 2475 };
    const r = computeCommission(input(EARLIEST, '50000', { kind: 'later_purchase', usage }));
    expect(r.cappedBaseYunqi).toBe(1_990_100); // 20,000.00 − 99.00
    expect(r.explanation.uncappedRewardYunqi).toBe(298_515); // 19,901.00 × 15% = 2,985.15
    expect(yunqiToCny(r.rewardYunqi)).toBe('2975.25'); // 3,000.00 − 24.75
    expect(r.explanation.caps.map((c) => [c.cap, c.bound])).toEqual([
      ['perOrderPaid', false],
      ['perCustomerPaid', true],
      ['perCustomerReward', true],
    ]);
  });
});

describe('rates', () => {
  test('R-ORD-3 first-purchase rate by level: 1,000.00 earns 250.00 … 450.00', () => {
    const got = LEVELS.map((level) => reward(input(JUNE, '1000', { level })));
    expect(got).toEqual(['250.00', '300.00', '350.00', '400.00', '450.00']);
    expect(LEVELS.map((level) => reward(input(EARLIEST, '1000', { level })))).toEqual(got);
  });

  test('R-ORD-4 later purchases: 15% at every level before 2024-06-01, by level from then, switching at the millisecond', () => {
    const later = (at: number, level: Level) => reward(input(book.at(at), '1000', { level, kind: 'later_purchase' }));
    expect(LEVELS.map((l) => later(JUN1 - 1, l))).toEqual(['150.00', '150.00', '150.00', '150.00', '150.00']);
    expect(LEVELS.map((l) => later(JUN1, l))).toEqual(['250.00', '300.00', '350.00', '400.00', '450.00']);
    expect(computeCommission(input(JUNE, '1000', { level: 'L3', kind: 'later_purchase' })).rate).toBe('0.35');
  });

  test('R-ORD-5 strategic products earn a flat 15% at every level, first or later purchase', () => {
    for (const level of LEVELS) {
      for (const kind of ['first_purchase', 'later_purchase'] as const) {
        const r = computeCommission(input(JUNE, '1000', { level, kind, productCategory: 'strategic' }));
        expect([r.rate, r.rewardYunqi, r.explanation.rateSource]).toEqual(['0.15', 15_000, 'strategicRate']);
      }
    }
    expect(codeOf(() => computeCommission(input(EARLIEST, '1000', { productCategory: 'strategic' })))).toBe('strategic_not_in_ruleset');
    expect(codeOf(() => computeCommission(input(JUNE, '1000', { productCategory: 'none' })))).toBe('non_rebate_product');
  });

  test('rounding is ROUND_DOWN to the fen: 0.03 × 25% = 0.0075 → 0.00; 0.07 × 35% = 0.0245 → 0.02; 99.99 × 45% = 44.9955 → 44.99', () => {
    expect(reward(input(JUNE, '0.03'))).toBe('0.00');
    expect(reward(input(JUNE, '0.07', { level: 'L3' }))).toBe('0.02');
    expect(reward(input(JUNE, '99.99', { level: 'L5' }))).toBe('44.99');
    expect(computeCommission(input(JUNE, '1')).explanation.rounding).toBe('ROUND_DOWN');
  });

  test('invalid inputs are refused', () => {
    expect(codeOf(() => computeCommission(input(JUNE, '1', { paidYunqi: -1 })))).toBe('invalid_integer');
    expect(codeOf(() => computeCommission(input(JUNE, '1', { paidYunqi: 1.5 })))).toBe('invalid_integer');
    expect(codeOf(() => computeCommission(input(JUNE, '1', { usage: { paidUsedYunqi: -5, rewardUsedYunqi: 0 } })))).toBe('invalid_integer');
    expect(codeOf(() => computeCommission(input(JUNE, '1', { level: 'L9' as Level })))).toBe('unknown_level');
  });
});

describe('caps', () => {
  test('R-ORD-7 per-order paid cap for L1/L2: 50,000 before 2024-06-01, 100,000 from then; none for L3+', () => {
    const at = (t: number) => uncapped(book.at(t));
    const bound = (i: CommissionInput) => computeCommission(i).explanation.caps.find((c) => c.cap === 'perOrderPaid');
    // 150,000.00 first purchase, per-customer caps lifted to see the per-order cap alone
    expect(computeCommission(input(at(JUN1 - 1), '150000')).cappedBaseYunqi).toBe(cny('50000'));
    expect(reward(input(at(JUN1 - 1), '150000'))).toBe('12500.00');
    expect(reward(input(at(JUN1 - 1), '150000', { level: 'L2' }))).toBe('15000.00');
    expect(reward(input(at(JUN1), '150000'))).toBe('25000.00');
    expect(bound(input(at(JUN1), '150000'))).toEqual({ cap: 'perOrderPaid', rule: 'R-ORD-7', limitYunqi: 10_000_000, roomBeforeYunqi: 10_000_000, bound: true });
    expect(reward(input(at(JUN1), '150000', { level: 'L3' }))).toBe('52500.00');
    expect(bound(input(at(JUN1), '150000', { level: 'L3' }))).toMatchObject({ limitYunqi: null, bound: false });
    // exactly at the cap, it does not bind
    expect(bound(input(at(JUN1), '100000'))?.bound).toBe(false);
  });

  test('R-ORD-6 per-customer caps are cumulative over the association by default: 20,000 paid, 3,000 reward', () => {
    type Step = [paid: string, kind: CommissionInput['kind'], category: CommissionInput['productCategory']];
    const run = (steps: Step[]) => {
      let usage = { ...NO_USAGE };
      const out: string[] = [];
      for (const [paid, kind, productCategory] of steps) {
        const r = computeCommission(input(JUNE, paid, { kind, productCategory, usage }));
        const bound = r.explanation.caps.filter((c) => c.bound).map((c) => c.cap);
        out.push(`${yunqiToCny(r.rewardYunqi)}${bound.length ? ` [${bound.join(',')}]` : ''}`);
        usage = { paidUsedYunqi: usage.paidUsedYunqi + r.cappedBaseYunqi, rewardUsedYunqi: usage.rewardUsedYunqi + r.rewardYunqi };
      }
      return { out, usage };
    };
    // L1 at 25%: the reward cap binds first
    expect(run([['5000', 'first_purchase', 'core'], ['5000', 'later_purchase', 'core'], ['10000', 'later_purchase', 'core'], ['10000', 'later_purchase', 'core']])).toEqual({
      out: ['1250.00', '1250.00', '500.00 [perCustomerReward]', '0.00 [perCustomerPaid]'],
      usage: { paidUsedYunqi: 2_000_000, rewardUsedYunqi: 300_000 },
    });
    // strategic 15%: the paid cap binds alone (15,000 + 5,000 of the 10,000 counted)
    expect(run([['15000', 'first_purchase', 'strategic'], ['10000', 'later_purchase', 'strategic']])).toEqual({
      out: ['2250.00', '750.00 [perCustomerPaid]'],
      usage: { paidUsedYunqi: 2_000_000, rewardUsedYunqi: 300_000 },
    });
  });

  test('R-ORD-6 the reward cap binds on its own: L5 at 45% reaches 3,000 before the paid cap', () => {
    const r1 = computeCommission(input(JUNE, '6000', { level: 'L5' }));
    expect(yunqiToCny(r1.rewardYunqi)).toBe('2700.00');
    const r2 = computeCommission(input(JUNE, '6000', { level: 'L5', kind: 'later_purchase', usage: { paidUsedYunqi: 600_000, rewardUsedYunqi: 270_000 } }));
    expect(yunqiToCny(r2.rewardYunqi)).toBe('300.00');
    expect(r2.explanation.caps).toEqual([
      { cap: 'perOrderPaid', rule: 'R-ORD-7', limitYunqi: null, roomBeforeYunqi: null, bound: false },
      { cap: 'perCustomerPaid', rule: 'R-ORD-6', limitYunqi: 2_000_000, roomBeforeYunqi: 1_400_000, bound: false },
      { cap: 'perCustomerReward', rule: 'R-ORD-6', limitYunqi: 300_000, roomBeforeYunqi: 30_000, bound: true },
    ]);
    expect(r2.explanation.summary).toBe(
      'L5 later purchase: paid 6000.00 CNY; × 45% = 2700.00 CNY; cut to 300.00 CNY by the per-customer reward cap (rule set 2024-06-01, association cap scope)',
    );
    // usage beyond the caps leaves no room, never a negative reward
    expect(computeCommission(input(JUNE, '6000', { usage: { paidUsedYunqi: 9e6, rewardUsedYunqi: 9e5 } })).rewardYunqi).toBe(0);
  });

  test('R-ORD-6 with per-order scope the per-customer caps apply to each order alone and usage is ignored', () => {
    const usage = { paidUsedYunqi: 2_000_000, rewardUsedYunqi: 300_000 };
    expect(reward(input(orderScope(JUNE), '1000', { usage }))).toBe('250.00');
    expect(reward(input(JUNE, '1000', { usage }))).toBe('0.00');
    const r = computeCommission(input(orderScope(JUNE), '30000', { level: 'L5', usage }));
    expect([r.cappedBaseYunqi, r.rewardYunqi]).toEqual([2_000_000, 300_000]); // 20,000 × 45% = 9,000 → 3,000
    expect(r.explanation.caps.map((c) => [c.roomBeforeYunqi, c.bound])).toEqual([[null, false], [2_000_000, true], [300_000, true]]);
  });

  test('the explanation is plain JSON with version, level, kind, rate, paid and every cap', () => {
    const r = computeCommission(input(EARLIEST, '99'));
    expect(JSON.parse(JSON.stringify(r.explanation))).toEqual(r.explanation);
    expect(r.explanation).toMatchObject({ ruleSetVersion: 'earliest', level: 'L1', kind: 'first_purchase', rate: '0.25', paidYunqi: 9900, rewardYunqi: 2475 });
    expect(r.explanation.summary).toBe('L1 first purchase: paid 99.00 CNY; × 25% = 24.75 CNY (rule set earliest, association cap scope)');
  });
});

describe('R-REV-2 partial refund recomputes on the amount kept', () => {
  test('R-REV-2 1,000.00 first purchase at 25%, 400.00 refunded: 150.00, adjustment −100.00', () => {
    const r = recomputeOnRefund(input(JUNE, '1000'), cny('600'));
    expect([r.previousRewardYunqi, r.rewardYunqi, r.adjustmentYunqi]).toEqual([25_000, 15_000, -10_000]);
  });

  test('R-REV-2 the kept amount goes through the caps again; a full refund leaves nothing', () => {
    const original = input(JUNE, '30000', { level: 'L3', kind: 'later_purchase' }); // 20,000 × 35% = 7,000 → 3,000
    expect(recomputeOnRefund(original, cny('25000'))).toMatchObject({ previousRewardYunqi: 300_000, rewardYunqi: 300_000, adjustmentYunqi: 0 });
    expect(recomputeOnRefund(original, cny('5000'))).toMatchObject({ rewardYunqi: 175_000, adjustmentYunqi: -125_000 });
    expect(recomputeOnRefund(original, 0)).toMatchObject({ rewardYunqi: 0, adjustmentYunqi: -300_000 });
    expect(codeOf(() => recomputeOnRefund(original, cny('30000.01')))).toBe('refund_exceeds_paid');
  });
});

// ---- properties, against an independent BigInt model (an "auditor") ----

const ruleSets = book.all().flatMap((rs) => [rs, orderScope(rs)]);
const arbInput = fc
  .record({
    rs: fc.constantFrom(...ruleSets),
    level: fc.constantFrom(...LEVELS),
    kind: fc.constantFrom('first_purchase' as const, 'later_purchase' as const),
    strategic: fc.boolean(),
    paid: fc.oneof(fc.integer({ min: 0, max: 25_000_000 }), fc.integer({ min: 0, max: 2_000_000_000_000 })),
    paidUsed: fc.integer({ min: 0, max: 3_000_000 }),
    rewardUsed: fc.integer({ min: 0, max: 400_000 }),
  })
  .map(({ rs, level, kind, strategic, paid, paidUsed, rewardUsed }): CommissionInput => ({
    ruleSet: rs,
    level,
    kind,
    productCategory: strategic && rs.strategicRate !== null ? 'strategic' : 'core',
    paidYunqi: paid,
    usage: { paidUsedYunqi: paidUsed, rewardUsedYunqi: rewardUsed },
  }));

function rooms(i: CommissionInput) {
  const rs = i.ruleSet;
  const assoc = rs.capScope === 'association';
  return {
    paid: Math.max(0, rs.perCustomerPaidCapYunqi - (assoc ? i.usage.paidUsedYunqi : 0)),
    reward: Math.max(0, rs.perCustomerRewardCapYunqi - (assoc ? i.usage.rewardUsedYunqi : 0)),
  };
}

/** The same rule, written independently with BigInt: floor(base × rate) then the reward room. */
function auditorReward(i: CommissionInput): number {
  const lr = i.ruleSet.levels[i.level];
  const rate = i.productCategory === 'strategic' ? (i.ruleSet.strategicRate as string) : i.kind === 'first_purchase' ? lr.firstPurchaseRate : lr.laterPurchaseRate;
  const [whole, frac = ''] = rate.split('.');
  const num = BigInt(whole + frac);
  const den = 10n ** BigInt(frac.length);
  const room = rooms(i);
  const base = Math.min(i.paidYunqi, lr.perOrderPaidCapYunqi ?? Infinity, room.paid);
  return Math.min(Number((BigInt(base) * num) / den), room.reward);
}

describe('commission properties', () => {
  test('R-ORD-6 property: reward ≥ 0, within both cap rooms, base ≤ paid, and equal to the auditor', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const r = computeCommission(i);
        const room = rooms(i);
        expect(r.rewardYunqi).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(r.rewardYunqi)).toBe(true);
        expect(r.rewardYunqi).toBeLessThanOrEqual(room.reward);
        expect(r.cappedBaseYunqi).toBeLessThanOrEqual(room.paid);
        expect(r.cappedBaseYunqi).toBeLessThanOrEqual(i.paidYunqi);
        expect(r.rewardYunqi).toBeLessThanOrEqual(r.cappedBaseYunqi);
        expect(r.rewardYunqi).toBe(auditorReward(i));
      }),
      { numRuns: 2000 },
    );
  });

  test('R-ORD-7 property: the base never exceeds the level per-order cap', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const cap = i.ruleSet.levels[i.level].perOrderPaidCapYunqi;
        expect(computeCommission(i).cappedBaseYunqi).toBeLessThanOrEqual(cap ?? Number.MAX_SAFE_INTEGER);
      }),
    );
  });

  test('R-REV-2 property: reward is monotonic in the paid amount, so a partial refund never raises it', () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 30_000_000 }), (i, extra) => {
        const more = computeCommission({ ...i, paidYunqi: i.paidYunqi + extra }).rewardYunqi;
        expect(computeCommission(i).rewardYunqi).toBeLessThanOrEqual(more);
        expect(recomputeOnRefund({ ...i, paidYunqi: i.paidYunqi + extra }, i.paidYunqi).adjustmentYunqi).toBeLessThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});
