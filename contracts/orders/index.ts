/**
 * The orders contract: the messages order systems send, the order workflow's signals and queries,
 * its ID, its states and timeline. Workflow-safe (no I/O): the workflow, the activities, the API
 * and the tests all import it. The typed client for systems that use Temporal directly is
 * `contracts/orders/client.ts`; the zod schemas of the messages are `contracts/orders/schemas.ts`.
 *
 * No zod here: the workflow bundle imports this module in every workflow it creates, and building
 * the schemas (with zod's modules) there was half the worker's CPU per workflow
 * (docs/performance.md). The workflow loads the schemas on its first refund or finding.
 *
 * - Workflow ID = `order:<orderId>` (contracts/ids.ts): the ID is the idempotency key.
 * - Refunds and findings are facts with their own instants (refundedAt, foundAt), deduplicated by
 *   refundId / findingId: fire-and-forget signals, or Updates whose validator refuses what can never
 *   apply and whose answer says what it did. Either reaches the order whenever it arrives: a run
 *   that has ended is started again (resume) for it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderState } from '../../domain/settlement/outcome';
import type { Finding, OrderPlaced, RefundRequest } from './schemas';

export { orderWorkflowId } from '../ids';
export type { Finding, OrderPlaced, RefundRequest } from './schemas';

export { ORDER_REASON_CODES, ORDER_STATES, TERMINAL_STATES, type OrderReasonCode, type OrderState } from '../../domain/settlement/outcome';

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
  /** due, credited or voided (absent on orders settled before the settlement model). */
  status?: 'due' | 'credited' | 'voided';
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
  /** When the next installment falls due; null when nothing more is due (absent before the settlement model). */
  nextWakeAtMs?: number | null;
  paidYunqi?: number;
  refundedYunqi?: number;
}

export interface OrderStatus extends Omit<OrderSnapshot, 'events'> {
  orderId: string;
  timeline: TimelineEvent[];
}

/** A refund or a finding as the order workflow hands it to a settlement step, dated. */
export type OrderFactInput = (
  | { kind: 'refund'; refundId: string; amountYunqi: number; full: boolean; atMs: number }
  | { kind: 'finding'; findingId: string; reason: 'same_person' | 'cheating'; atMs: number; note?: string }
) & {
  /** The sender dated it (refundedAt, foundAt); otherwise `atMs` is when it was received, and a
   * repeat of the same message is the same fact whenever it arrives. */
  dated?: boolean;
};

export interface OrderRefundInput {
  refundId: string;
  amountYunqi: number;
  full: boolean;
}

/** A new order (its placement), or an order whose run had ended and that a fact or a settlement of
 * another order woke again (`resume`: the order is read from Postgres). */
export type OrderWorkflowInput =
  | { order: OrderPlaced; bodyHash: string; resume?: undefined; searchAttributes?: boolean; /** the settlement model (absent in runs started before it) */ model?: 'facts' }
  | { resume: { orderId: string }; order?: undefined; bodyHash?: undefined; searchAttributes?: boolean; model?: 'facts' };

/** What a refund or finding sent as an Update did. */
export interface FactOutcome {
  orderId: string;
  /** false when it changed nothing: a repeat, a conflict, or the order already earned nothing. */
  applied: boolean;
  duplicate: boolean;
  /** The same id was recorded earlier with another body: refused. */
  conflict: boolean;
  state: OrderState;
  rewardYunqi: number;
  creditedYunqi: number;
  summary: string;
}

/** The workflow type names (strings, so clients need not import workflow code). */
export const ORDER_WORKFLOW = 'orderSettlement';
export const ORDER_LATE_REFUND_WORKFLOW = 'orderLateRefund';

export const refundSignal = defineSignal<[RefundRequest]>('refund');
export const invalidateSignal = defineSignal<[Finding]>('invalidate');
/** Facts of the customer changed (another order, a click, an identity change): settle now. */
export const reconcileSignal = defineSignal<[{ because: string }]>('reconcile');
export const refundUpdate = defineUpdate<FactOutcome, [RefundRequest]>('applyRefund');
export const findingUpdate = defineUpdate<FactOutcome, [Finding]>('applyFinding');
export const orderStatusQuery = defineQuery<OrderStatus>('status');
