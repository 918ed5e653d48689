/**
 * Crediting (到账) of a reward after the review period (R-PAY-1..3).
 * Split rule: the two installments are 50%/50%; an odd yunqi goes to the FIRST installment
 * (first = ceil(reward / 2), second = floor(reward / 2)), so they always sum to the reward and
 * the ambassador is never paid later than needed.
 */
import Decimal from 'decimal.js';
import { DomainError, assertSafeInt } from './errors';
import type { RuleSet } from './rulesets';

export interface Installment {
  n: 1 | 2;
  yunqi: number;
  /** Days after the end of the order's review period (R-REV-1) at which it is credited. */
  dueAfterReviewDays: number;
}

/**
 * R-PAY-1: customer total ≤ installmentThresholdYunqi → the whole reward at +creditDelayDays.
 * R-PAY-2: above it → 50% at +creditDelayDays and 50% at +creditDelayDays+installmentPeriodDays.
 * `customerTotalRewardYunqi` is the promoted customer's total reward including this one (the
 * seed's 单用户佣金金额), so it cannot be below `rewardYunqi`. A split plan always has two
 * installments, even when the second is 0 yunqi (reward of 1 yunqi), so R-PAY-3 reads the same.
 */
export function creditingPlan(ruleSet: RuleSet, rewardYunqi: number, customerTotalRewardYunqi: number): Installment[] {
  assertSafeInt(rewardYunqi, 'rewardYunqi');
  assertSafeInt(customerTotalRewardYunqi, 'customerTotalRewardYunqi');
  if (customerTotalRewardYunqi < rewardYunqi) {
    throw new DomainError('INVALID_CUSTOMER_TOTAL', 'the customer total reward must include this reward');
  }
  const first = ruleSet.creditDelayDays;
  if (customerTotalRewardYunqi <= ruleSet.installmentThresholdYunqi) {
    return [{ n: 1, yunqi: rewardYunqi, dueAfterReviewDays: first }];
  }
  const firstHalf = new Decimal(rewardYunqi).div(2).toDecimalPlaces(0, Decimal.ROUND_UP).toNumber();
  return [
    { n: 1, yunqi: firstHalf, dueAfterReviewDays: first },
    { n: 2, yunqi: rewardYunqi - firstHalf, dueAfterReviewDays: first + ruleSet.installmentPeriodDays },
  ];
}

/** R-PAY-3: the order counts as a completed valid order only once every installment of its plan
 * is credited (both, when split). An empty plan is never complete. */
export function isCompletedValid(installments: readonly Installment[], creditedNs: readonly number[]): boolean {
  return installments.length > 0 && installments.every((i) => creditedNs.includes(i.n));
}
