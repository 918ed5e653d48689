/**
 * One customer's orders judged together, in placement order (docs/settlement.md): which orders
 * are first purchases (R-ORD-8), what cap room each finds (R-ORD-6: the room the association's
 * earlier orders left at this order's placement), and so each order's reward, plan and state at
 * `now`. Pure: the same facts and the same `now` give the same outcomes, whatever order the
 * facts arrived in.
 */
import { classifyCustomer, orderEligibility, type CustomerFacts } from '../classify';
import { computeCommission, type CapUsage, type CommissionInput } from '../commission';
import { creditingPlan, creditingSchedule } from '../crediting';
import { identityChangesAfter, samePersonMatches } from '../identity';
import type { Level, RuleBook, RuleSet } from '../rulesets';
import { applyAdjustments, installmentsAt } from './adjustments';
import type { AmbassadorFacts, AssociationSpan, CustomerSettlementFacts, PlacedOrder } from './facts';
import { assessmentEvents, progressEvents } from './timeline';
import type { Assessment, OrderOutcome, OrderReasonCode, OrderState } from './outcome';

const byPlacement = (a: PlacedOrder, b: PlacedOrder) => a.placedAtMs - b.placedAtMs || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** R-AMB-3: the level in force at `atMs`; before the first change, the level the ambassador joined with. */
export function levelAt(amb: AmbassadorFacts, atMs: number): Level {
  let level = amb.levels[0]?.level ?? 'L1';
  for (const l of amb.levels) if (l.effectiveAtMs <= atMs) level = l.level;
  return level;
}

/** R-ATTR-5: the association in force at the instant (start ≤ t < end). */
export function associationAt(spans: readonly AssociationSpan[], atMs: number): AssociationSpan | undefined {
  return spans.find((s) => s.startedAtMs <= atMs && atMs < s.endsAtMs);
}

/** What the customer's purchase history is, as the classification sees it at `atMs` (R-CUST-1..4):
 * the identity system's reports folded with the orders this system has. */
function customerFactsAt(facts: CustomerSettlementFacts, atMs: number): CustomerFacts {
  const prepaid = facts.orders.filter((o) => o.billing === 'prepaid').map((o) => o.placedAtMs);
  const payg = facts.orders.filter((o) => o.billing === 'payg').map((o) => o.placedAtMs);
  const min = (xs: (number | null)[]) => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.min(m, x)), null);
  const firstPaid = min([facts.reported.firstPaidPurchaseAt, ...prepaid]);
  const firstPayg = min([facts.reported.firstPaygUseAt, ...payg]);
  const consumption = [facts.reported.lastConsumptionAt, ...prepaid].filter((t): t is number => t !== null && t < atMs);
  return {
    firstPaidPurchaseAt: firstPaid,
    lastConsumptionAt: consumption.length ? Math.max(...consumption) : null,
    sameEntityHasPaidHistory: facts.reported.sameEntityHasPaidHistory,
    payAsYouGoBeforeFirstPurchase: facts.reported.payAsYouGoBeforeFirstPurchase || (firstPayg !== null && (firstPaid === null || firstPayg < firstPaid)),
  };
}

/** R-ORD-8: the earliest prepaid order(s) by placement, with the rest of their cart, are first purchases. */
function isFirstPurchase(facts: CustomerSettlementFacts, o: PlacedOrder): boolean {
  const inCart = (x: PlacedOrder) => o.cartId !== null && x.cartId === o.cartId;
  if (facts.orders.some((x) => x.orderId !== o.orderId && x.billing === 'prepaid' && x.placedAtMs < o.placedAtMs && !inCart(x))) return false;
  const reported = facts.reported.firstPaidPurchaseAt;
  if (reported === null || reported >= o.placedAtMs) return true;
  // Paid history before this order: still a first purchase when its cart holds that first payment.
  return o.cartId !== null && facts.orders.some((x) => inCart(x) && x.placedAtMs <= reported);
}

interface CapHolder {
  associationId: string;
  segments: { fromMs: number; paidYunqi: number; rewardYunqi: number }[];
}

/** The cap room the association's earlier orders hold at `atMs` (R-ORD-6). */
function usageAt(holders: readonly CapHolder[], associationId: string, atMs: number): CapUsage {
  const usage = { paidUsedYunqi: 0, rewardUsedYunqi: 0 };
  for (const h of holders) {
    if (h.associationId !== associationId) continue;
    const seg = [...h.segments].reverse().find((s) => s.fromMs <= atMs);
    if (seg) {
      usage.paidUsedYunqi += seg.paidYunqi;
      usage.rewardUsedYunqi += seg.rewardYunqi;
    }
  }
  return usage;
}

function nothing(o: PlacedOrder, ruleSetVersion: string, state: OrderState, reasonCode: OrderReasonCode, reason: string, partial: Partial<Assessment>): OrderOutcome {
  const assessment: Assessment = {
    ruleSetVersion,
    reason,
    ambassadorId: null,
    associationId: null,
    associationStartedAtMs: null,
    level: null,
    purchaseKind: null,
    customerClass: null,
    commission: null,
    rewardYunqi: 0,
    cappedBaseYunqi: 0,
    customerRewardTotalYunqi: 0,
    ...partial,
  };
  return {
    orderId: o.orderId,
    state,
    reasonCode,
    assessment,
    rewardYunqi: 0,
    creditedYunqi: 0,
    refundedYunqi: 0,
    reviewEndsAtMs: null,
    installments: [],
    clawedBackYunqi: 0,
    capUse: null,
    nextWakeAtMs: null,
    events: [],
  };
}

/** Every order of the customer, judged at `nowMs`. */
export function settleCustomer(facts: CustomerSettlementFacts, ruleBook: RuleBook, nowMs: number): Map<string, OrderOutcome> {
  const outcomes = new Map<string, OrderOutcome>();
  const holders: CapHolder[] = [];
  for (const o of [...facts.orders].sort(byPlacement)) {
    const outcome = judgeOrder(facts, o, ruleBook, nowMs, holders);
    outcome.events = [...assessmentEvents(o, outcome, facts), ...outcome.events];
    outcomes.set(o.orderId, outcome);
  }
  return outcomes;
}

function judgeOrder(facts: CustomerSettlementFacts, o: PlacedOrder, ruleBook: RuleBook, nowMs: number, holders: CapHolder[]): OrderOutcome {
  let ruleSet: RuleSet;
  try {
    ruleSet = ruleBook.at(o.placedAtMs); // R-ORD-9: the rules in force when placed
  } catch {
    return nothing(o, '', 'failed', 'NO_RULE_SET', `no rule set is in force at ${new Date(o.placedAtMs).toISOString()}`, {});
  }
  const span = associationAt(facts.associations, o.placedAtMs);
  if (!span) {
    // Judged by what had begun by the placement: a later association says nothing of it.
    return facts.associations.some((a) => a.startedAtMs <= o.placedAtMs)
      ? nothing(o, ruleSet.version, 'not_attributed', 'NOT_ASSOCIATED_AT_PLACEMENT', `customer ${facts.customerId} was not associated (关联) with any ambassador at ${new Date(o.placedAtMs).toISOString()} (R-ATTR-5)`, {})
      : nothing(o, ruleSet.version, 'not_attributed', 'NO_ASSOCIATION', `customer ${facts.customerId} has no association (关联) with any ambassador`, {});
  }
  const amb = facts.ambassadors.get(span.ambassadorId);
  const attributed = { ambassadorId: span.ambassadorId, associationId: span.associationId, associationStartedAtMs: span.startedAtMs, level: amb ? levelAt(amb, o.placedAtMs) : null };
  if (!amb) return nothing(o, ruleSet.version, 'failed', 'ASSESSMENT_FAILED', `association ${span.associationId} names ambassador ${span.ambassadorId}, who is not recorded`, attributed);
  const rows = (subject: 'customer' | 'ambassador', id: string) => facts.identity.filter((r) => r.subject === subject && r.subjectId === id);
  const same = samePersonMatches({ accountId: amb.accountId, rows: rows('ambassador', amb.id) }, { id: facts.customerId, rows: rows('customer', facts.customerId) }, o.placedAtMs);
  if (same.length) {
    return nothing(o, ruleSet.version, 'ineligible', 'SAME_PERSON', `the ambassador and the customer are the same person (同人), matched on ${same.join(', ')} (R-SAME-1)`, attributed);
  }
  const customerClass = classifyCustomer(customerFactsAt(facts, span.startedAtMs), span.startedAtMs, ruleSet);
  const eligibility = orderEligibility(o, { customerType: customerClass.type, isFirstPurchase: isFirstPurchase(facts, o) }, ruleSet);
  if (!eligibility.eligible) return nothing(o, ruleSet.version, 'ineligible', eligibility.reasonCode, eligibility.reason, { ...attributed, customerClass });

  const level = attributed.level!;
  const usage = ruleSet.capScope === 'association' ? usageAt(holders, span.associationId, o.placedAtMs) : { paidUsedYunqi: 0, rewardUsedYunqi: 0 };
  const commissionInput: CommissionInput = { ruleSet, level, kind: eligibility.kind, productCategory: o.productCategory, paidYunqi: o.paidYunqi, usage };
  const c = computeCommission(commissionInput);
  const customerTotal = usage.rewardUsedYunqi + c.rewardYunqi;
  const assessment: Assessment = {
    ruleSetVersion: ruleSet.version,
    reason: null,
    ...attributed,
    purchaseKind: eligibility.kind,
    customerClass,
    commission: c.explanation,
    rewardYunqi: c.rewardYunqi,
    cappedBaseYunqi: c.cappedBaseYunqi,
    customerRewardTotalYunqi: customerTotal,
  };
  const holder: CapHolder = { associationId: span.associationId, segments: [{ fromMs: o.placedAtMs, paidYunqi: c.cappedBaseYunqi, rewardYunqi: c.rewardYunqi }] };
  holders.push(holder);
  if (c.rewardYunqi === 0) {
    const z = nothing(o, ruleSet.version, 'zero_reward', 'CAP_EXHAUSTED', 'the per-customer caps (R-ORD-6) leave no room', assessment);
    return { ...z, capUse: { associationId: span.associationId, paidYunqi: c.cappedBaseYunqi, rewardYunqi: 0 } };
  }
  const { reviewEndsAtMs, installments } = creditingSchedule(ruleSet, o.placedAtMs, creditingPlan(ruleSet, c.rewardYunqi, customerTotal));
  const adjusted = applyAdjustments({
    orderId: o.orderId,
    paidYunqi: o.paidYunqi,
    commissionInput,
    rewardYunqi: c.rewardYunqi,
    cappedBaseYunqi: c.cappedBaseYunqi,
    reviewEndsAtMs,
    installments,
    refunds: facts.refunds.filter((r) => r.orderId === o.orderId),
    findings: facts.findings.filter((f) => f.orderId === o.orderId),
    identityChanges: identityChangesAfter([...rows('ambassador', amb.id), ...rows('customer', facts.customerId)], span.startedAtMs),
  });
  holder.segments.push(...adjusted.capSegments);
  const planned = installmentsAt(adjusted, nowMs);
  const creditedGross = planned.filter((i) => i.status === 'credited').reduce((s, i) => s + i.yunqi, 0);
  const credited = Math.max(0, creditedGross - adjusted.clawedBackYunqi);
  const open = planned.filter((i) => i.status === 'due');
  let state: OrderState;
  let reasonCode: OrderReasonCode | null = null;
  if (adjusted.terminal) ({ state, reasonCode } = adjusted.terminal);
  else if (nowMs < reviewEndsAtMs) state = 'in_review';
  else state = open.length ? 'crediting' : 'completed';
  const last = adjusted.capSegments[adjusted.capSegments.length - 1] ?? holder.segments[0]!;
  const outcome: OrderOutcome = {
    orderId: o.orderId,
    state,
    reasonCode,
    assessment,
    rewardYunqi: adjusted.rewardYunqi,
    creditedYunqi: Math.min(credited, adjusted.rewardYunqi),
    refundedYunqi: adjusted.refundedYunqi,
    reviewEndsAtMs,
    installments: planned,
    clawedBackYunqi: adjusted.clawedBackYunqi,
    capUse: { associationId: span.associationId, paidYunqi: last.paidYunqi, rewardYunqi: last.rewardYunqi },
    nextWakeAtMs: adjusted.terminal ? null : (open[0]?.dueAtMs ?? null),
    events: adjusted.events,
  };
  outcome.events.push(...progressEvents(outcome, nowMs));
  return outcome;
}
