/** Shared fixtures of the domain tests. */
import { DomainError, defaultRuleBook, type RuleSet } from '../../domain';

export const book = defaultRuleBook();
export const EARLIEST = book.byVersion('earliest');
export const RENEWALS = book.byVersion('2024-04-17');
export const JUNE = book.byVersion('2024-06-01');

/** 2024-04-17 0:00 and 2024-06-01 0:00 UTC+8 in epoch ms. */
export const APR17 = Date.parse('2024-04-16T16:00:00.000Z');
export const JUN1 = Date.parse('2024-05-31T16:00:00.000Z');

export const NO_USAGE = { paidUsedYunqi: 0, rewardUsedYunqi: 0 };

/** The rule set with per-customer caps lifted, to see other caps alone. */
export function uncapped(rs: RuleSet): RuleSet {
  return { ...rs, perCustomerPaidCapYunqi: 1e12, perCustomerRewardCapYunqi: 1e12 };
}

/** Runs `f` and returns the DomainError code it throws (fails the test if it does not). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}
