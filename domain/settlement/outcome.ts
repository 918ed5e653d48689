/** What the settlement model answers for one order: its state at `now`, its money, its plan, its timeline. */
import type { CommissionExplanation } from '../commission';
import type { CustomerClass, PurchaseKind } from '../classify';
import type { Level } from '../rulesets';

/** Order states and what each means (the README's table is made from this; the OpenAPI lists them). */
export const ORDER_STATE_MEANINGS = {
  received: 'recorded, not yet judged',
  not_attributed: 'no association (关联) at placement (R-ATTR-5)',
  ineligible: 'earns nothing; the reason code says why (R-ORD-1, R-CUST-3, R-SAME-1, ...)',
  zero_reward: 'eligible, but the per-customer caps left no room (R-ORD-6)',
  in_review: 'in its review period (审核期, R-REV-1)',
  crediting: 'review passed; installments being credited (R-PAY-1, R-PAY-2)',
  completed: 'every installment credited: a completed valid order (R-PAY-3)',
  voided: 'refund or finding inside the review, or an identity change before the last credit (R-SAME-2)',
  refunded: 'fully refunded after the review: what was credited is clawed back (R-REV-2)',
  invalidated: 'same-person or cheating finding after the review (R-REV-2)',
  failed: 'could not be assessed (bad data): earns nothing, the error is in the ops view',
} as const;
export type OrderState = keyof typeof ORDER_STATE_MEANINGS;
export const ORDER_STATES = Object.keys(ORDER_STATE_MEANINGS) as [OrderState, ...OrderState[]];

export const TERMINAL_STATES: readonly OrderState[] = ['not_attributed', 'ineligible', 'zero_reward', 'completed', 'voided', 'refunded', 'invalidated', 'failed'];

/** Why an order earns nothing, or less than it did (reason codes). */
export const ORDER_REASON_CODES = [
  'NO_ASSOCIATION',
  'NOT_ASSOCIATED_AT_PLACEMENT',
  'SAME_PERSON',
  'PAYG_ORDER',
  'NON_REBATE_PRODUCT',
  'STRATEGIC_NOT_IN_RULESET',
  'EXCLUDED_CHANNEL',
  'OLD_CUSTOMER',
  'DORMANT_NOT_IN_RULESET',
  'RENEWAL_NOT_COUNTED',
  'CAP_EXHAUSTED',
  'REFUND_IN_REVIEW',
  'FULL_REFUND',
  'REFUNDED_TO_ZERO',
  'CHEATING',
  'IDENTITY_CHANGED',
  'NO_RULE_SET',
  'ASSESSMENT_FAILED',
] as const;
export type OrderReasonCode = (typeof ORDER_REASON_CODES)[number];

export type InstallmentStatus = 'due' | 'credited' | 'voided';

export interface PlannedInstallment {
  n: number;
  yunqi: number;
  dueAtMs: number;
  status: InstallmentStatus;
}

/** One line of an order's timeline; `key` is unique per order, `atMs` the business instant. */
export interface SettlementEvent {
  key: string;
  kind: string;
  atMs: number;
  summary: string;
  detail?: Record<string, unknown>;
}

/** The judgment made at placement (before any refund, finding or identity change). */
export interface Assessment {
  ruleSetVersion: string;
  /** Why the order earns nothing, for people (null when it earns). */
  reason: string | null;
  ambassadorId: string | null;
  associationId: string | null;
  associationStartedAtMs: number | null;
  level: Level | null;
  purchaseKind: PurchaseKind | null;
  customerClass: CustomerClass | null;
  commission: CommissionExplanation | null;
  /** The reward at placement and the cap room it took. */
  rewardYunqi: number;
  cappedBaseYunqi: number;
  customerRewardTotalYunqi: number;
}

export interface OrderOutcome {
  orderId: string;
  state: OrderState;
  reasonCode: OrderReasonCode | null;
  assessment: Assessment;
  /** What the order earns now (after refunds, findings, identity changes). */
  rewardYunqi: number;
  /** What of it is credited by now (available to the ambassador). */
  creditedYunqi: number;
  refundedYunqi: number;
  reviewEndsAtMs: number | null;
  installments: PlannedInstallment[];
  /** Credited earlier and taken back (R-REV-2), in total. */
  clawedBackYunqi: number;
  /** The cap room (R-ORD-6) the order holds at the end. */
  capUse: { associationId: string; paidYunqi: number; rewardYunqi: number } | null;
  /** When the next installment falls due; null when nothing more is due. */
  nextWakeAtMs: number | null;
  events: SettlementEvent[];
}

/** The README's table of order states. */
export function orderStatesMarkdown(): string {
  return ['| state | meaning |', '| --- | --- |', ...ORDER_STATES.map((st) => `| \`${st}\` | ${ORDER_STATE_MEANINGS[st]} |`)].join('\n');
}

/** The README's list of reason codes. */
export const reasonCodesMarkdown = (): string => ORDER_REASON_CODES.map((c) => `\`${c}\``).join(', ');
