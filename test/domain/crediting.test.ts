import fc from 'fast-check';
import { creditingPlan, isCompletedValid } from '../../domain';
import { EARLIEST, JUNE, book, codeOf } from './fixtures';

describe('crediting', () => {
  test('R-PAY-1 customer total at or below 1,000.00: the whole reward 30 days after the review', () => {
    expect(creditingPlan(JUNE, 2475, 2475)).toEqual([{ n: 1, yunqi: 2475, dueAfterReviewDays: 30 }]);
    expect(creditingPlan(JUNE, 100_000, 100_000)).toEqual([{ n: 1, yunqi: 100_000, dueAfterReviewDays: 30 }]);
    expect(creditingPlan(EARLIEST, 0, 0)).toEqual([{ n: 1, yunqi: 0, dueAfterReviewDays: 30 }]);
  });

  test('R-PAY-2 customer total above 1,000.00: 50%/50%, 30 days apart, odd yunqi to the first', () => {
    expect(creditingPlan(JUNE, 100_001, 100_001)).toEqual([
      { n: 1, yunqi: 50_001, dueAfterReviewDays: 30 },
      { n: 2, yunqi: 50_000, dueAfterReviewDays: 60 },
    ]);
    expect(creditingPlan(JUNE, 300_000, 300_000)).toEqual([
      { n: 1, yunqi: 150_000, dueAfterReviewDays: 30 },
      { n: 2, yunqi: 150_000, dueAfterReviewDays: 60 },
    ]);
    // the threshold is on the customer's total: a small reward is split once the total is above it
    expect(creditingPlan(JUNE, 2475, 102_475)).toEqual([
      { n: 1, yunqi: 1238, dueAfterReviewDays: 30 },
      { n: 2, yunqi: 1237, dueAfterReviewDays: 60 },
    ]);
    expect(creditingPlan(JUNE, 1, 200_000).map((i) => i.yunqi)).toEqual([1, 0]);
    expect(codeOf(() => creditingPlan(JUNE, 500, 499))).toBe('invalid_customer_total');
    expect(codeOf(() => creditingPlan(JUNE, -1, 0))).toBe('invalid_integer');
  });

  test('R-PAY-2 the delays come from the rule set', () => {
    const rs = { ...JUNE, creditDelayDays: 10, installmentPeriodDays: 45, installmentThresholdYunqi: 0 };
    expect(creditingPlan(rs, 3, 3)).toEqual([
      { n: 1, yunqi: 2, dueAfterReviewDays: 10 },
      { n: 2, yunqi: 1, dueAfterReviewDays: 55 },
    ]);
  });

  test('R-PAY-3 a split order is a completed valid order only when both installments are credited', () => {
    const split = creditingPlan(JUNE, 300_000, 300_000);
    expect(isCompletedValid(split, [])).toBe(false);
    expect(isCompletedValid(split, [1])).toBe(false);
    expect(isCompletedValid(split, [2])).toBe(false);
    expect(isCompletedValid(split, [1, 2])).toBe(true);
    const whole = creditingPlan(JUNE, 2475, 2475);
    expect(isCompletedValid(whole, [])).toBe(false);
    expect(isCompletedValid(whole, [1])).toBe(true);
    expect(isCompletedValid([], [1, 2])).toBe(false);
  });

  test('R-PAY-2 property: installments sum exactly to the reward, differ by at most one yunqi, first ≥ second', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...book.all()),
        fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 2) }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (rs, reward, more) => {
          const plan = creditingPlan(rs, reward, reward + more);
          expect(plan.reduce((s, i) => s + i.yunqi, 0)).toBe(reward);
          expect(plan.every((i) => Number.isSafeInteger(i.yunqi) && i.yunqi >= 0)).toBe(true);
          expect(plan).toHaveLength(reward + more > rs.installmentThresholdYunqi ? 2 : 1);
          const [a, b] = plan;
          if (a && b) expect(a.yunqi - b.yunqi === 0 || a.yunqi - b.yunqi === 1).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
