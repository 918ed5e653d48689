/**
 * Commission of one eligible order (R-ORD-3..7, R-ORD-10, R-REV-2).
 *
 *   base   = min(paid, per-order paid cap of the level (R-ORD-7), per-customer paid room (R-ORD-6))
 *   rate   = strategic product → strategicRate (R-ORD-5); else the level's first-purchase
 *            (R-ORD-3) or later-purchase (R-ORD-4) rate
 *   reward = min(round(base × rate), per-customer reward room (R-ORD-6))
 *
 * Rounding: base × rate is rounded to the yunqi (fen) with ROUND_DOWN, the one mode used here:
 * the program never pays a fraction of a fen that was not earned. All three steps are
 * non-decreasing in `paid`, so the reward is monotonic in the paid amount. Only the multiplication
 * by a rate needs decimal.js; min and subtraction of safe-integer yunqi are exact as they are.
 *
 * Cap scope (R-ORD-6): 'association' (default) counts the per-customer caps cumulatively: `usage`
 * is what earlier orders of the same customer in the same association already consumed.
 * 'order' applies both per-customer caps to each order alone and ignores `usage`.
 */
import Decimal from 'decimal.js';
import type { ProductCategory, PurchaseKind } from './classify';
import { DomainError, assertSafeInt } from './errors';
import { yunqiToCny } from './money';
import type { Level, RuleSet } from './rulesets';

export interface CapUsage {
  /** Paid amount already counted for this customer in this association (before this order). */
  paidUsedYunqi: number;
  /** Reward already granted for this customer in this association (before this order). */
  rewardUsedYunqi: number;
}

export interface CommissionInput {
  ruleSet: RuleSet;
  level: Level;
  kind: PurchaseKind;
  /** 'none' is refused (NON_REBATE_PRODUCT): check orderEligibility first. */
  productCategory: ProductCategory;
  paidYunqi: number;
  usage: CapUsage;
}

export type CapName = 'perOrderPaid' | 'perCustomerPaid' | 'perCustomerReward';

export interface CapCheck {
  cap: CapName;
  rule: 'R-ORD-6' | 'R-ORD-7';
  /** The cap itself; null = this level has no such cap. */
  limitYunqi: number | null;
  /** Room left before this order (equal to the limit for per-order caps); null = unlimited. */
  roomBeforeYunqi: number | null;
  /** This cap reduced the amount. */
  bound: boolean;
}

/** A plain JSON object: everything needed to explain the reward to a person or an auditor. */
export interface CommissionExplanation {
  ruleSetVersion: string;
  level: Level;
  kind: PurchaseKind;
  productCategory: ProductCategory;
  rate: string;
  rateSource: 'strategicRate' | 'firstPurchaseRate' | 'laterPurchaseRate';
  paidYunqi: number;
  capScope: RuleSet['capScope'];
  caps: CapCheck[];
  cappedBaseYunqi: number;
  /** base × rate after ROUND_DOWN, before the reward cap. */
  uncappedRewardYunqi: number;
  rewardYunqi: number;
  rounding: 'ROUND_DOWN';
  summary: string;
}

export interface CommissionResult {
  rewardYunqi: number;
  cappedBaseYunqi: number;
  /** Decimal string, e.g. "0.25". */
  rate: string;
  explanation: CommissionExplanation;
}

const LABEL: Record<CapName, string> = {
  perOrderPaid: 'per-order paid cap',
  perCustomerPaid: 'per-customer paid cap',
  perCustomerReward: 'per-customer reward cap',
};

// Rates are few and immutable: parse each decimal string once.
const rateCache = new Map<string, { d: Decimal; pct: string }>();
function parsedRate(rate: string): { d: Decimal; pct: string } {
  let r = rateCache.get(rate);
  if (!r) {
    const d = new Decimal(rate);
    r = { d, pct: `${d.times(100).toString()}%` };
    rateCache.set(rate, r);
  }
  return r;
}

const minOf = (a: number, b: number | null): number => (b === null || a <= b ? a : b);

/** R-ORD-3..7, R-ORD-10: the reward of one eligible order, with its explanation. */
export function computeCommission(input: CommissionInput): CommissionResult {
  const { ruleSet, level, kind, productCategory, paidYunqi, usage } = input;
  assertSafeInt(paidYunqi, 'paidYunqi');
  const levelRules = ruleSet.levels[level];
  if (!levelRules) throw new DomainError('unknown_level', `unknown ambassador level ${String(level)}`);
  if (kind !== 'first_purchase' && kind !== 'later_purchase') throw new DomainError('unknown_kind', `unknown purchase kind ${String(kind)}`);

  let rate: string;
  let rateSource: CommissionExplanation['rateSource'];
  if (productCategory === 'strategic') {
    if (ruleSet.strategicRate === null) {
      throw new DomainError('strategic_not_in_ruleset', `rule set ${ruleSet.version} has no strategic rebate products`);
    }
    rate = ruleSet.strategicRate;
    rateSource = 'strategicRate';
  } else if (productCategory === 'core') {
    rate = kind === 'first_purchase' ? levelRules.firstPurchaseRate : levelRules.laterPurchaseRate;
    rateSource = kind === 'first_purchase' ? 'firstPurchaseRate' : 'laterPurchaseRate';
  } else {
    throw new DomainError('non_rebate_product', `product category ${String(productCategory)} earns nothing`);
  }

  const perOrder = levelRules.perOrderPaidCapYunqi;
  let paidRoom = ruleSet.perCustomerPaidCapYunqi;
  let rewardRoom = ruleSet.perCustomerRewardCapYunqi;
  if (ruleSet.capScope === 'association') {
    assertSafeInt(usage.paidUsedYunqi, 'usage.paidUsedYunqi');
    assertSafeInt(usage.rewardUsedYunqi, 'usage.rewardUsedYunqi');
    paidRoom = Math.max(0, paidRoom - usage.paidUsedYunqi);
    rewardRoom = Math.max(0, rewardRoom - usage.rewardUsedYunqi);
  }

  const base = minOf(minOf(paidYunqi, perOrder), paidRoom);
  const { d: rateD, pct } = parsedRate(rate);
  const uncapped = new Decimal(base).times(rateD).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber();
  const reward = minOf(uncapped, rewardRoom);

  const caps: CapCheck[] = [
    { cap: 'perOrderPaid', rule: 'R-ORD-7', limitYunqi: perOrder, roomBeforeYunqi: perOrder, bound: perOrder !== null && perOrder < paidYunqi && perOrder === base },
    { cap: 'perCustomerPaid', rule: 'R-ORD-6', limitYunqi: ruleSet.perCustomerPaidCapYunqi, roomBeforeYunqi: paidRoom, bound: paidRoom < paidYunqi && paidRoom === base },
    { cap: 'perCustomerReward', rule: 'R-ORD-6', limitYunqi: ruleSet.perCustomerRewardCapYunqi, roomBeforeYunqi: rewardRoom, bound: rewardRoom < uncapped },
  ];

  const [perOrderCheck, paidCheck, rewardCheck] = caps as [CapCheck, CapCheck, CapCheck];
  const paidBy = [perOrderCheck, paidCheck].filter((c) => c.bound).map((c) => LABEL[c.cap]);
  const summary =
    `${level} ${kind.replace('_', ' ')}${productCategory === 'strategic' ? ' (strategic product)' : ''}: ` +
    `paid ${yunqiToCny(paidYunqi)} CNY${paidBy.length ? `, capped to ${yunqiToCny(base)} by the ${paidBy.join(' and ')}` : ''}` +
    `; × ${pct} = ${yunqiToCny(uncapped)} CNY` +
    `${rewardCheck.bound ? `; cut to ${yunqiToCny(reward)} CNY by the ${LABEL.perCustomerReward}` : ''}` +
    ` (rule set ${ruleSet.version}, ${ruleSet.capScope} cap scope)`;

  return {
    rewardYunqi: reward,
    cappedBaseYunqi: base,
    rate,
    explanation: {
      ruleSetVersion: ruleSet.version,
      level,
      kind,
      productCategory,
      rate,
      rateSource,
      paidYunqi,
      capScope: ruleSet.capScope,
      caps,
      cappedBaseYunqi: base,
      uncappedRewardYunqi: uncapped,
      rewardYunqi: reward,
      rounding: 'ROUND_DOWN',
      summary,
    },
  };
}

export interface RefundRecomputation extends CommissionResult {
  previousRewardYunqi: number;
  /** reward − previous reward (≤ 0): the amount to reverse, or claw back if already credited. */
  adjustmentYunqi: number;
}

/**
 * R-REV-2 partial refund (default): the reward is recomputed on the amount kept, with the same
 * rule set, level, kind and `usage` as the original computation (the usage of the orders before
 * this one). keptYunqi = 0 is a full refund: reward 0.
 */
export function recomputeOnRefund(original: CommissionInput, keptYunqi: number): RefundRecomputation {
  assertSafeInt(keptYunqi, 'keptYunqi');
  if (keptYunqi > original.paidYunqi) {
    throw new DomainError('refund_exceeds_paid', `kept ${keptYunqi} yunqi exceeds the paid ${original.paidYunqi}`);
  }
  const previous = computeCommission(original).rewardYunqi;
  const now = computeCommission({ ...original, paidYunqi: keptYunqi });
  return { ...now, previousRewardYunqi: previous, adjustmentYunqi: now.rewardYunqi - previous };
}
