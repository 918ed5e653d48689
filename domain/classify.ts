/**
 * Who and what may earn: customer classification (R-CUST-1..4) and order eligibility
 * (R-ORD-1, R-ORD-2, R-ORD-5, R-ORD-8, R-CUST-2..4). Every "no" carries a reason code.
 * Association (R-ATTR-*) and validity (R-REV-*, R-SAME-*) are judged elsewhere.
 */
import type { RuleSet } from './rulesets';
import { addMonthsUtc8 } from './time';

export type CustomerType = 'new' | 'dormant' | 'old';

/** What is known about the customer. Timestamps are epoch ms; events at or after the judging
 * instant are ignored, so the same facts can be reused as history grows. */
export interface CustomerFacts {
  /** The customer's first paid purchase, if any. */
  firstPaidPurchaseAt?: number | null;
  /** The last resource consumption of the customer or a same-person account, if any (R-CUST-2). */
  lastConsumptionAt?: number | null;
  /** A same-person account (R-SAME-1) has paid purchase history (R-CUST-1). */
  sameEntityHasPaidHistory?: boolean;
  /** The customer opened a pay-as-you-go order before any paid first purchase (R-CUST-4). */
  payAsYouGoBeforeFirstPurchase?: boolean;
}

export type CustomerReason =
  | 'NO_PAID_HISTORY'
  | 'PAYG_BEFORE_FIRST_PURCHASE'
  | 'SAME_ENTITY_PAID_HISTORY'
  | 'PAID_HISTORY'
  | 'NO_CONSUMPTION_IN_DORMANCY_PERIOD'
  | 'DORMANT_NOT_IN_RULESET';

export interface CustomerClass {
  type: CustomerType;
  /** Machine-readable reason code. */
  reason: CustomerReason;
  /** One sentence for people. */
  detail: string;
}

/**
 * R-CUST-1..4: classifies the customer as judged at `atMs`. Callers judge at the start of the
 * association (the promoting click), so that the first purchase made inside the association does
 * not turn the customer "old" for that association's later purchases (R-ORD-2); `ruleSet` is the
 * one in force when the order was placed (R-ORD-9).
 * - R-CUST-4 (default): a pay-as-you-go order opened before any paid purchase makes the customer old.
 * - R-CUST-1: no paid purchase before `atMs` by the customer or a same-person account → new.
 * - R-CUST-2: paid history but no consumption in the `dormancyMonths` calendar months (UTC+8)
 *   before `atMs` → dormant, only when the rule set has dormant customers; a consumption exactly
 *   `dormancyMonths` months before still counts as recent. The first paid purchase counts as
 *   consumption; with neither on record (only a same-person account's history) there is none.
 * - R-CUST-3: otherwise old.
 */
export function classifyCustomer(facts: CustomerFacts, atMs: number, ruleSet: RuleSet): CustomerClass {
  const before = (t: number | null | undefined): t is number => typeof t === 'number' && t < atMs;
  const ownHistory = before(facts.firstPaidPurchaseAt);
  if (!ownHistory && !facts.sameEntityHasPaidHistory) {
    if (facts.payAsYouGoBeforeFirstPurchase) {
      return { type: 'old', reason: 'PAYG_BEFORE_FIRST_PURCHASE', detail: 'opened a pay-as-you-go order before any first purchase (R-CUST-4)' };
    }
    return { type: 'new', reason: 'NO_PAID_HISTORY', detail: 'no paid purchase on record (R-CUST-1)' };
  }
  const cutoff = addMonthsUtc8(atMs, -ruleSet.dormancyMonths);
  // A paid purchase starts consumption, so it counts as activity too (a caller that omits
  // lastConsumptionAt cannot make a recent buyer dormant).
  const activity = [facts.lastConsumptionAt, facts.firstPaidPurchaseAt].filter(before);
  const last = activity.length ? Math.max(...activity) : null;
  if (last === null || last < cutoff) {
    return ruleSet.dormantCustomers
      ? { type: 'dormant', reason: 'NO_CONSUMPTION_IN_DORMANCY_PERIOD', detail: `no consumption in the last ${ruleSet.dormancyMonths} months (R-CUST-2)` }
      : { type: 'old', reason: 'DORMANT_NOT_IN_RULESET', detail: `idle for ${ruleSet.dormancyMonths} months, but rule set ${ruleSet.version} has no dormant customers (R-CUST-2)` };
  }
  return ownHistory
    ? { type: 'old', reason: 'PAID_HISTORY', detail: 'has paid purchase history (R-CUST-3)' }
    : { type: 'old', reason: 'SAME_ENTITY_PAID_HISTORY', detail: 'a same-person account has paid purchase history (R-CUST-1)' };
}

export type Billing = 'prepaid' | 'payg';
export type ProductCategory = 'core' | 'strategic' | 'none';
export type OrderType = 'new' | 'upgrade' | 'renewal';
export type PurchaseKind = 'first_purchase' | 'later_purchase';

export interface OrderFacts {
  billing: Billing;
  /** core = the 100+ core rebate products; strategic = R-ORD-5 products; none = not a rebate product. */
  productCategory: ProductCategory;
  orderType: OrderType;
  /** Placed through a channel or activity excluded from the program (R-ORD-1). */
  excludedChannel?: boolean;
}

export interface OrderContext {
  customerType: CustomerType;
  /**
   * The caller decides: true for the customer's first purchase in the association, and for every
   * order paid together with it in one cart or batch payment (R-ORD-8); each such order is then
   * computed and credited on its own under the rule set in force when it was placed.
   */
  isFirstPurchase: boolean;
}

export type IneligibleReason =
  | 'PAYG_ORDER'
  | 'NON_REBATE_PRODUCT'
  | 'STRATEGIC_NOT_IN_RULESET'
  | 'EXCLUDED_CHANNEL'
  | 'OLD_CUSTOMER'
  | 'DORMANT_NOT_IN_RULESET'
  | 'RENEWAL_NOT_COUNTED';

export type Eligibility =
  | { eligible: true; kind: PurchaseKind }
  | { eligible: false; reasonCode: IneligibleReason; reason: string };

const no = (reasonCode: IneligibleReason, reason: string): Eligibility => ({ eligible: false, reasonCode, reason });

/**
 * R-ORD-1 (prepaid rebate products outside excluded channels only), R-ORD-5 (strategic products
 * only where the rule set has them), R-CUST-3 (old customers earn nothing), R-CUST-2 (dormant
 * only where the rule set has them), R-ORD-2 (renewals only where the rule set counts them),
 * R-CUST-4 (after the first purchase a pay-as-you-go order alone earns nothing: PAYG_ORDER).
 * The first failing check, in this order, is the reason.
 */
export function orderEligibility(order: OrderFacts, ctx: OrderContext, ruleSet: RuleSet): Eligibility {
  if (order.billing !== 'prepaid') return no('PAYG_ORDER', 'pay-as-you-go orders earn nothing (R-ORD-1, R-CUST-4)');
  if (order.productCategory === 'none') return no('NON_REBATE_PRODUCT', 'not a rebate product (R-ORD-1)');
  if (order.productCategory === 'strategic' && ruleSet.strategicRate === null) {
    return no('STRATEGIC_NOT_IN_RULESET', `rule set ${ruleSet.version} has no strategic rebate products (R-ORD-5)`);
  }
  if (order.excludedChannel) return no('EXCLUDED_CHANNEL', 'channel or activity excluded from the program (R-ORD-1)');
  if (ctx.customerType === 'old') return no('OLD_CUSTOMER', 'old customers earn nothing (R-CUST-3)');
  if (ctx.customerType === 'dormant' && !ruleSet.dormantCustomers) {
    return no('DORMANT_NOT_IN_RULESET', `rule set ${ruleSet.version} has no dormant customers (R-CUST-2)`);
  }
  if (order.orderType === 'renewal' && !ruleSet.renewalsCount) {
    return no('RENEWAL_NOT_COUNTED', `renewals do not count under rule set ${ruleSet.version} (R-ORD-2: from 2024-04-17)`);
  }
  return { eligible: true, kind: ctx.isFirstPurchase ? 'first_purchase' : 'later_purchase' };
}
