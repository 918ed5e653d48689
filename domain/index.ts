/** Public API of the pure commission rules engine: no I/O, no clock, no randomness. */
export { DomainError } from './errors';
export { CNY_PATTERN, YUNQI_PER_CNY, cnyToYunqi, yunqiToCny } from './money';
export { CnyAmountSchema } from './money-schema';
export { MS_PER_DAY, UTC8_OFFSET_MS, addMonthsUtc8, daysToMs, formatUtc8, monthKeyUtc8, toInstantMs, utc8 } from './time';
export {
  DEFAULT_RULE_SETS,
  LABOUR_REMUNERATION_TAX,
  LEVELS,
  LevelRulesSchema,
  RuleBook,
  RuleSetSchema,
  TaxBracketSchema,
  TaxTableSchema,
  associationEndMs,
  defaultRuleBook,
  describeRuleSets,
  ruleSetsMarkdown,
} from './rulesets';
export type { Level, LevelRules, RuleSet, RuleSetRow, TaxBracket, TaxTable } from './rulesets';
export { classifyCustomer, orderEligibility } from './classify';
export type {
  Billing,
  CustomerClass,
  CustomerFacts,
  CustomerReason,
  CustomerType,
  Eligibility,
  IneligibleReason,
  OrderContext,
  OrderFacts,
  OrderType,
  ProductCategory,
  PurchaseKind,
} from './classify';
export { computeCommission, recomputeOnRefund } from './commission';
export type { CapCheck, CapName, CapUsage, CommissionExplanation, CommissionInput, CommissionResult, RefundRecomputation } from './commission';
export { creditingPlan, creditingSchedule, isCompletedValid, redistribute, rewardAdjustment, splitEvenly } from './crediting';
export type { Installment, ScheduledInstallment } from './crediting';
export { monthTaxYunqi, splitTaxRefund, withholdingTax } from './tax';
export type { Withholding, WithholdingInput } from './tax';
export { withdrawalRefusal } from './withdrawal';
export type { WithdrawalRefusalCode, WithdrawalRequest } from './withdrawal';
export { NON_ASSOCIABLE_REASONS, clickRefusal, joinRefusal } from './refusals';
export type { AmbassadorKind, ClickFacts, JoinRefusalCode, NonAssociableReason } from './refusals';
export { IDENTITY_ATTRS, SAME_2_ATTRS, identityChangesAfter, samePersonMatches } from './identity';
export type { IdentityAttr, IdentityChange, IdentityRow, SubjectKind } from './identity';
