/**
 * Crediting (到账) of a reward after the review period (R-PAY-1..3), and the arithmetic of
 * changing a reward that is partly credited (R-REV-2).
 * Split rule: the installments share the reward evenly; an odd yunqi goes to the FIRST
 * installment (first = ceil(reward / 2), second = floor(reward / 2)), so they always sum to the
 * reward and the ambassador is never paid later than needed. splitEvenly is that rule, and every
 * split (the plan, and a reward recomputed over the installments left) goes through it.
 */
import { DomainError, assertSafeInt } from './errors';
import type { RuleSet } from './rulesets';
import { daysToMs } from './time';

export interface Installment {
  n: 1 | 2;
  yunqi: number;
  /** Days after the end of the order's review period (R-REV-1) at which it is credited. */
  dueAfterReviewDays: number;
}

/** `total` yunqi over `parts` shares that differ by at most one yunqi, the larger ones first. */
export function splitEvenly(total: number, parts: number): number[] {
  assertSafeInt(total, 'total');
  assertSafeInt(parts, 'parts', 1);
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
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
    throw new DomainError('invalid_customer_total', 'the customer total reward must include this reward');
  }
  const first = ruleSet.creditDelayDays;
  if (customerTotalRewardYunqi <= ruleSet.installmentThresholdYunqi) {
    return [{ n: 1, yunqi: rewardYunqi, dueAfterReviewDays: first }];
  }
  const [firstHalf, secondHalf] = splitEvenly(rewardYunqi, 2) as [number, number];
  return [
    { n: 1, yunqi: firstHalf, dueAfterReviewDays: first },
    { n: 2, yunqi: secondHalf, dueAfterReviewDays: first + ruleSet.installmentPeriodDays },
  ];
}

/** One installment of an order's schedule, with its due instant. */
export interface ScheduledInstallment {
  n: number;
  yunqi: number;
  dueAtMs: number;
  credited: boolean;
}

/** The review's end (R-REV-1) and the installments' due instants of an order placed at
 * `placedAtMs`: every duration comes from the rule set in force at placement (R-ORD-9). */
export function creditingSchedule(ruleSet: RuleSet, placedAtMs: number, plan: readonly Installment[]): { reviewEndsAtMs: number; installments: ScheduledInstallment[] } {
  const reviewEndsAtMs = placedAtMs + daysToMs(ruleSet.reviewPeriodDays);
  return {
    reviewEndsAtMs,
    installments: plan.map((i) => ({ n: i.n, yunqi: i.yunqi, dueAtMs: reviewEndsAtMs + daysToMs(i.dueAfterReviewDays), credited: false })),
  };
}

/** What is left to credit, `leftYunqi`, spread over the installments not credited yet (splitEvenly:
 * odd yunqi to the earliest); credited installments keep their amounts. */
export function redistribute<T extends { yunqi: number; credited: boolean }>(installments: readonly T[], leftYunqi: number): T[] {
  const open = installments.filter((i) => !i.credited);
  const shares = open.length ? splitEvenly(leftYunqi, open.length) : [];
  let k = 0;
  return installments.map((i) => (i.credited ? i : { ...i, yunqi: shares[k++]! }));
}

/**
 * A reward moved to `newRewardYunqi` (R-REV-2, R-SAME-2): of what was granted, the part not yet
 * credited beyond the new reward is voided from pending, and what was credited beyond it is
 * clawed back; the installments not credited share what is left (redistribute).
 */
export function rewardAdjustment(
  current: { grantedYunqi: number; creditedYunqi: number },
  newRewardYunqi: number,
): { voidedPendingYunqi: number; clawedBackYunqi: number; creditedAfterYunqi: number; leftToCreditYunqi: number } {
  assertSafeInt(newRewardYunqi, 'newRewardYunqi');
  const pendingNow = current.grantedYunqi - current.creditedYunqi;
  const pendingAfter = Math.max(0, newRewardYunqi - current.creditedYunqi);
  const clawedBackYunqi = Math.max(0, current.creditedYunqi - newRewardYunqi);
  const creditedAfterYunqi = current.creditedYunqi - clawedBackYunqi;
  return { voidedPendingYunqi: pendingNow - pendingAfter, clawedBackYunqi, creditedAfterYunqi, leftToCreditYunqi: newRewardYunqi - creditedAfterYunqi };
}

/** R-PAY-3: the order counts as a completed valid order only once every installment of its plan
 * is credited (both, when split). An empty plan is never complete. */
export function isCompletedValid(installments: readonly Installment[], creditedNs: readonly number[]): boolean {
  return installments.length > 0 && installments.every((i) => creditedNs.includes(i.n));
}
