/** The rule set in force at an instant, as people read it: rates per level, caps, periods, tax
 * table (R-ORD-9). Read-only; the rule book is the one the settlement uses. */
import type { RuleBook } from '../../domain/rulesets';
import { LEVELS } from '../../domain/rulesets';

export function ruleSetInForce(ruleBook: RuleBook, atMs: number) {
  const rs = ruleBook.at(atMs);
  return {
    version: rs.version,
    effectiveFrom: new Date(Date.parse(rs.effectiveFrom)).toISOString(),
    associationWindowDays: rs.associationWindowDays,
    levels: LEVELS.map((level) => ({
      level,
      firstPurchaseRate: rs.levels[level].firstPurchaseRate,
      laterPurchaseRate: rs.levels[level].laterPurchaseRate,
      perOrderPaidCapYunqi: rs.levels[level].perOrderPaidCapYunqi,
    })),
    strategicRate: rs.strategicRate,
    perCustomerPaidCapYunqi: rs.perCustomerPaidCapYunqi,
    perCustomerRewardCapYunqi: rs.perCustomerRewardCapYunqi,
    capScope: rs.capScope,
    reviewPeriodDays: rs.reviewPeriodDays,
    installmentThresholdYunqi: rs.installmentThresholdYunqi,
    creditDelayDays: rs.creditDelayDays,
    installmentPeriodDays: rs.installmentPeriodDays,
    withdrawalMaxYunqi: rs.withdrawalMaxYunqi,
    taxTable: rs.tax.name,
    renewalsCount: rs.renewalsCount,
    dormantCustomers: rs.dormantCustomers,
    enterpriseAmbassadors: rs.enterpriseAmbassadors,
  };
}
