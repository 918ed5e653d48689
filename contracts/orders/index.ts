/**
 * The orders contract: the messages order systems send, the order workflow's signals and queries,
 * its ID, its states and timeline. Workflow-safe (no I/O): the workflow, the activities, the API
 * and the tests all import it. The typed client for systems that use Temporal directly is
 * `contracts/orders/client.ts`.
 *
 * - Workflow ID = `order:<orderId>` (contracts/ids.ts): the ID is the idempotency key.
 * - Refunds and findings are signals, deduplicated by refundId / findingId.
 */
import { z } from 'zod';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { CnyAmountSchema } from '../../domain/money';
import { BUSINESS_ID_PATTERN, BUSINESS_ID_RULE } from '../ids';

export { orderWorkflowId } from '../ids';

const id = z.string().regex(BUSINESS_ID_PATTERN, BUSINESS_ID_RULE);
const instant = z.iso.datetime({ offset: true });

export const OrderPlacedSchema = z.strictObject({
  orderId: id,
  customerId: id,
  productCode: z.string().min(1).max(128),
  productCategory: z.enum(['core', 'strategic', 'none']).describe('rebate product category: core, strategic, or none (not a rebate product)'),
  paidAmount: CnyAmountSchema.describe('amount actually paid (实付金额), CNY'),
  billing: z.enum(['prepaid', 'payg']).describe('prepaid (预付费) or pay-as-you-go (按量付费)'),
  orderType: z.enum(['new', 'upgrade', 'renewal']).describe('new purchase (新购), upgrade (升级) or renewal (续费)'),
  cartId: id.nullable().optional().describe('cart or batch payment id: orders paid together (R-ORD-8)'),
  excludedChannel: z.boolean().optional().describe('bought through a channel or activity excluded from the program'),
  placedAt: instant.describe('when the order was placed and paid'),
});
export type OrderPlaced = z.infer<typeof OrderPlacedSchema>;

export const RefundSchema = z.strictObject({
  refundId: id,
  amount: CnyAmountSchema.describe('amount refunded by this refund, CNY'),
  full: z.boolean().describe('true when the whole order is refunded'),
  refundedAt: instant.optional(),
});
export type RefundRequest = z.infer<typeof RefundSchema>;

export const InvalidationSchema = z.strictObject({
  findingId: id,
  reason: z.enum(['same_person', 'cheating']).describe('same person (同人) or cheating order (作弊订单)'),
  note: z.string().max(1000).optional(),
});
export type Invalidation = z.infer<typeof InvalidationSchema>;

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

export const TERMINAL_STATES: readonly OrderState[] = ['not_attributed', 'ineligible', 'zero_reward', 'completed', 'voided', 'refunded', 'invalidated'];

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

export interface OrderWorkflowInput {
  order: OrderPlaced;
  bodyHash: string;
  /** Set CustomerId/AmbassadorId/OrderState search attributes (registered by `npm start`). */
  searchAttributes?: boolean;
}

/** The workflow type names (strings, so clients need not import workflow code). */
export const ORDER_WORKFLOW = 'orderSettlement';
export const ORDER_LATE_REFUND_WORKFLOW = 'orderLateRefund';

export const refundSignal = defineSignal<[RefundRequest]>('refund');
export const invalidateSignal = defineSignal<[Invalidation]>('invalidate');
export const orderStatusQuery = defineQuery<OrderStatus>('status');
