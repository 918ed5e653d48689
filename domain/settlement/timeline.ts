/**
 * The readable timeline of an order, made from its outcome: each line has a key unique per order
 * (recording is idempotent) and the business instant it happened at. Operations staff settle
 * disputes from it, so every line says what happened and why, with the rule.
 */
import { yunqiToCny } from '../money';
import type { CustomerSettlementFacts, PlacedOrder } from './facts';
import type { OrderOutcome, SettlementEvent } from './outcome';

const cny = (y: number) => `${yunqiToCny(y)} CNY`;
const iso = (ms: number) => new Date(ms).toISOString();

/** What was decided at placement: attribution, eligibility, commission, review and plan. */
export function assessmentEvents(o: PlacedOrder, out: OrderOutcome, facts: CustomerSettlementFacts): SettlementEvent[] {
  const a = out.assessment;
  const at = o.placedAtMs;
  const events: SettlementEvent[] = [
    {
      key: 'placed',
      kind: 'placed',
      atMs: at,
      summary: `order placed: ${o.productCode} (${o.productCategory}), paid ${cny(o.paidYunqi)}, ${o.billing}, ${o.orderType}`,
      detail: { cartId: o.cartId },
    },
  ];
  if (out.state === 'failed') {
    events.push({ key: 'failed', kind: 'failed', atMs: at, summary: `the order cannot be assessed: ${a.reason}`, detail: { reasonCode: out.reasonCode } });
    return events;
  }
  if (!a.ambassadorId) {
    events.push({ key: 'not_attributed', kind: 'not_attributed', atMs: at, summary: `no reward: ${a.reason}`, detail: { reasonCode: out.reasonCode } });
    return events;
  }
  const span = facts.associations.find((s) => s.associationId === a.associationId);
  events.push({
    key: 'attributed',
    kind: 'attributed',
    atMs: at,
    summary: `attributed to ambassador ${a.ambassadorId} (level ${a.level}) through association ${a.associationId}`,
    detail: {
      ambassadorId: a.ambassadorId,
      associationId: a.associationId,
      associationStartedAt: a.associationStartedAtMs === null ? null : iso(a.associationStartedAtMs),
      associationEndsAt: span ? iso(span.endsAtMs) : null,
      level: a.level,
    },
  });
  if (out.state === 'ineligible') {
    events.push({ key: 'ineligible', kind: 'ineligible', atMs: at, summary: `no reward: ${a.reason}`, detail: { reasonCode: out.reasonCode, customerType: a.customerClass?.type ?? null, customerReason: a.customerClass?.reason ?? null } });
    return events;
  }
  if (a.commission) events.push({ key: 'commission', kind: 'commission', atMs: at, summary: a.commission.summary, detail: a.commission as unknown as Record<string, unknown> });
  if (out.state === 'zero_reward') {
    events.push({ key: 'zero_reward', kind: 'zero_reward', atMs: at, summary: 'no reward: the per-customer caps (R-ORD-6) leave no room' });
    return events;
  }
  const plan = out.installments;
  events.push({
    key: 'review_started',
    kind: 'review_started',
    atMs: at,
    summary: `review period (审核期) until ${iso(out.reviewEndsAtMs!)}; then ${plan.length === 1 ? 'credited whole' : 'credited in two installments'}: ${plan.map((i) => `${cny(i.yunqi)} at ${iso(i.dueAtMs)}`).join(', ')}`,
    detail: { reviewEndsAt: iso(out.reviewEndsAtMs!), customerRewardTotalYunqi: a.customerRewardTotalYunqi },
  });
  return events;
}

/** What time brought by `nowMs`: the review passed, installments credited, the order completed. */
export function progressEvents(out: OrderOutcome, nowMs: number): SettlementEvent[] {
  const events: SettlementEvent[] = [];
  const endedInReview = out.state === 'voided' && out.reasonCode !== 'IDENTITY_CHANGED' && out.installments.every((i) => i.status === 'voided');
  if (out.reviewEndsAtMs !== null && out.reviewEndsAtMs <= nowMs && !endedInReview) {
    events.push({ key: 'review_passed', kind: 'review_passed', atMs: out.reviewEndsAtMs, summary: 'review period (审核期) passed with no refund or same-person finding' });
  }
  for (const i of out.installments) {
    if (i.status !== 'credited' || i.yunqi === 0) continue;
    events.push({
      key: `installment:${i.n}`,
      kind: 'credited',
      atMs: i.dueAtMs,
      summary: `installment ${i.n} of ${out.installments.length} credited: ${i.yunqi} yunqi (${cny(i.yunqi)})`,
      detail: { installment: i.n, yunqi: i.yunqi },
    });
  }
  if (out.state === 'completed') {
    const last = Math.max(...out.installments.map((i) => i.dueAtMs));
    events.push({ key: 'completed', kind: 'completed', atMs: last, summary: 'every installment credited: a completed valid order (R-PAY-3)' });
  }
  return events;
}
