/**
 * What-if over past orders (docs/operations.md "Simulations"), the pure part: an order as it was
 * actually settled beside its outcome under a candidate rule book (domain/settlement's
 * settleCustomer, the same facts), the difference in yunqi and a sentence that explains it.
 */
import Decimal from 'decimal.js';
import type { CommissionExplanation } from './commission';
import { yunqiToCny } from './money';
import type { OrderOutcome } from './settlement/outcome';

/** One side of the comparison. */
export interface OrderSide {
  ambassadorId: string | null;
  state: string;
  reasonCode: string | null;
  ruleSetVersion: string | null;
  rewardYunqi: number;
  creditedYunqi: number;
  rate: string | null;
  summary: string | null;
}

export interface ActualOrder extends OrderSide {
  orderId: string;
  customerId: string;
  placedAtMs: number;
}

export interface OrderDifference {
  orderId: string;
  customerId: string;
  placedAtMs: number;
  actual: OrderSide;
  simulated: OrderSide;
  deltaYunqi: number;
  deltaCreditedYunqi: number;
  /** Whether anything a person would care about differs (money, state, reason, attribution, rule set, rate). */
  changed: boolean;
  explanation: string;
}

/** The explanation fields of a stored commission explanation (null when the order earned nothing). */
export function sideOfExplanation(e: CommissionExplanation | null | undefined): Pick<OrderSide, 'rate' | 'summary'> {
  return { rate: e?.rate ?? null, summary: e?.summary ?? null };
}

const pct = (rate: string | null) => (rate === null ? 'none' : `${new Decimal(rate).times(100).toString()}%`);
const state = (s: OrderSide) => `${s.state}${s.reasonCode ? ` (${s.reasonCode})` : ''}`;

function explain(a: OrderSide, s: OrderSide, delta: number): string {
  const parts: string[] = [];
  if (a.ruleSetVersion !== s.ruleSetVersion) parts.push(`rule set ${a.ruleSetVersion ?? 'none'} → ${s.ruleSetVersion ?? 'none'}`);
  if (state(a) !== state(s)) parts.push(`state ${state(a)} → ${state(s)}`);
  if (a.ambassadorId !== s.ambassadorId) parts.push(`ambassador ${a.ambassadorId ?? 'none'} → ${s.ambassadorId ?? 'none'}`);
  if (a.rate !== s.rate) parts.push(`rate ${pct(a.rate)} → ${pct(s.rate)}`);
  if (delta !== 0) parts.push(`reward ${yunqiToCny(a.rewardYunqi)} → ${yunqiToCny(s.rewardYunqi)} CNY (${delta > 0 ? '+' : '−'}${yunqiToCny(Math.abs(delta))})`);
  if (parts.length === 0) return 'unchanged';
  return `${parts.join('; ')}${s.summary ? `. Under the candidate: ${s.summary}` : ''}`;
}

/** The order as settled beside its outcome under the candidate book. */
export function compareOrder(actual: ActualOrder, outcome: OrderOutcome): OrderDifference {
  const simulated: OrderSide = {
    ambassadorId: outcome.assessment.ambassadorId,
    state: outcome.state,
    reasonCode: outcome.reasonCode,
    ruleSetVersion: outcome.assessment.ruleSetVersion || null,
    rewardYunqi: outcome.rewardYunqi,
    creditedYunqi: outcome.creditedYunqi,
    ...sideOfExplanation(outcome.assessment.commission),
  };
  const { orderId, customerId, placedAtMs, ...a } = actual;
  const deltaYunqi = simulated.rewardYunqi - a.rewardYunqi;
  const explanation = explain(a, simulated, deltaYunqi);
  return {
    orderId,
    customerId,
    placedAtMs,
    actual: a,
    simulated,
    deltaYunqi,
    deltaCreditedYunqi: simulated.creditedYunqi - a.creditedYunqi,
    changed: explanation !== 'unchanged',
    explanation,
  };
}
