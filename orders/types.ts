/** Types shared by the order workflow, its activities and the API (types only: safe in workflow code). */

export type OrderState =
  | 'received'
  | 'not_attributed' // no association at placement (R-ATTR-5)
  | 'ineligible' // a reason code says why (R-ORD-1, R-CUST-3, R-SAME-1, ...)
  | 'zero_reward' // eligible, but the caps left no room (R-ORD-6)
  | 'in_review' // review period (审核期), R-REV-1
  | 'crediting' // review passed; installments being credited (R-PAY-1, R-PAY-2)
  | 'completed' // every installment credited: a completed valid order (R-PAY-3)
  | 'voided' // refund or finding inside the review, or identity change before the last credit
  | 'refunded' // fully refunded after the review: what was credited is clawed back
  | 'invalidated'; // same-person or cheating finding after the review (R-REV-2)

export const TERMINAL_STATES: readonly OrderState[] = [
  'not_attributed',
  'ineligible',
  'zero_reward',
  'completed',
  'voided',
  'refunded',
  'invalidated',
];

export interface TimelineEvent {
  /** Unique per order; makes recording an event idempotent. */
  key: string;
  kind: string;
  at: string;
  summary: string;
  detail?: Record<string, unknown>;
}

export interface PlannedInstallment {
  n: number;
  yunqi: number;
  dueAtMs: number;
  credited: boolean;
}

/** What an activity leaves the order as; the workflow mirrors it. */
export interface OrderSnapshot {
  state: OrderState;
  ambassadorId: string | null;
  rewardYunqi: number;
  creditedYunqi: number;
  reviewEndsAtMs: number | null;
  installments: PlannedInstallment[];
  /** Events recorded by this step (already persisted). */
  events: TimelineEvent[];
}

export interface OrderStatus extends Omit<OrderSnapshot, 'events'> {
  orderId: string;
  timeline: TimelineEvent[];
}

export interface OrderRefundInput {
  refundId: string;
  amountYunqi: number;
  full: boolean;
}
