/**
 * The order-system contract: the messages order systems send, and a typed client for systems
 * that use Temporal directly (the REST API uses the same functions).
 *
 * - Workflow ID = `order:<orderId>`: the ID is the idempotency key. The same message twice is
 *   harmless (answered `duplicate: true`); the same orderId with a different body is refused
 *   (OrderConflictError), detected from the body hash kept in the workflow's memo.
 * - Refunds and invalidations are signals, deduplicated by refundId / findingId. After the
 *   order's workflow has completed, a refund starts a small adjustment workflow keyed by
 *   `order:<orderId>:refund:<refundId>` that claws back through the same idempotent activity.
 */
import { canonicalHash } from '../lib/canonical-hash';
import { z } from 'zod';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import { CustomerIdKey, OrderStateKey } from '../lib/search-attributes';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits and . _ : - (at most 128)');
/** CNY as a decimal string with at most 2 decimals, e.g. "99.00". */
export const CnyAmount = z.string().regex(/^(0|[1-9]\d{0,11})(\.\d{1,2})?$/, 'a CNY amount like "99.00" (at most 2 decimals)');
const instant = z.iso.datetime({ offset: true });

export const OrderPlacedSchema = z.strictObject({
  orderId: id,
  customerId: id,
  productCode: z.string().min(1).max(128),
  productCategory: z.enum(['core', 'strategic', 'none']).describe('rebate product category: core, strategic, or none (not a rebate product)'),
  paidAmount: CnyAmount.describe('amount actually paid (实付金额), CNY'),
  billing: z.enum(['prepaid', 'payg']).describe('prepaid (预付费) or pay-as-you-go (按量付费)'),
  orderType: z.enum(['new', 'upgrade', 'renewal']).describe('new purchase (新购), upgrade (升级) or renewal (续费)'),
  cartId: id.nullable().optional().describe('cart or batch payment id: orders paid together (R-ORD-8)'),
  excludedChannel: z.boolean().optional().describe('bought through a channel or activity excluded from the program'),
  placedAt: instant.describe('when the order was placed and paid'),
});
export type OrderPlaced = z.infer<typeof OrderPlacedSchema>;

export const RefundSchema = z.strictObject({
  refundId: id,
  amount: CnyAmount.describe('amount refunded by this refund, CNY'),
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

export const orderWorkflowId = (orderId: string) => `order:${orderId}`;

/** The order body's hash: equal bodies hash equal whatever the key order. */
export const bodyHash = canonicalHash;

export class OrderConflictError extends Error {
  readonly code = 'order_conflict';
}
export class OrderNotFoundError extends Error {
  readonly code = 'order_not_found';
}

export interface OrderClientOptions {
  taskQueue: string;
  /** Set the CustomerId/OrderState search attributes (needs them registered: `npm start` does). */
  searchAttributes?: boolean;
}

/** Starts the order's settlement workflow; a repeat of the same message is harmless. */
export async function placeOrder(
  client: Client,
  message: OrderPlaced,
  opts: OrderClientOptions,
): Promise<{ workflowId: string; runId?: string; duplicate: boolean }> {
  const order = OrderPlacedSchema.parse(message);
  const hash = bodyHash(order);
  const workflowId = orderWorkflowId(order.orderId);
  try {
    const handle = await client.workflow.start('orderSettlement', {
      taskQueue: opts.taskQueue,
      workflowId,
      args: [{ order, bodyHash: hash, searchAttributes: opts.searchAttributes ?? false }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { bodyHash: hash, customerId: order.customerId },
      ...(opts.searchAttributes
        ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: order.customerId }, { key: OrderStateKey, value: 'received' }]) }
        : {}),
    });
    return { workflowId, runId: handle.firstExecutionRunId, duplicate: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const desc = await client.workflow.getHandle(workflowId).describe();
    const prior = (desc.memo as { bodyHash?: string } | undefined)?.bodyHash;
    if (prior !== hash) {
      throw new OrderConflictError(`order ${order.orderId} was already received with a different body; an order's details cannot change`);
    }
    return { workflowId, runId: desc.runId, duplicate: true };
  }
}

/** Sends a refund to the order; after settlement completed, starts the adjustment workflow. */
export async function refundOrder(
  client: Client,
  orderId: string,
  refund: RefundRequest,
  opts: OrderClientOptions,
): Promise<{ workflowId: string; via: 'signal' | 'adjustment' }> {
  const r = RefundSchema.parse(refund);
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  let running: boolean;
  try {
    running = (await handle.describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new OrderNotFoundError(`order ${orderId} is not known`);
    throw err;
  }
  if (running) {
    try {
      await handle.signal('refund', r);
      return { workflowId: handle.workflowId, via: 'signal' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // completed meanwhile: adjust below
    }
  }
  const workflowId = `${orderWorkflowId(orderId)}:refund:${r.refundId}`;
  try {
    await client.workflow.start('orderLateRefund', {
      taskQueue: opts.taskQueue,
      workflowId,
      args: [{ orderId, refund: r }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { workflowId, via: 'adjustment' };
}

/** A same-person or cheating finding: the order's remaining reward is voided and credits clawed back. */
export async function invalidateOrder(client: Client, orderId: string, finding: Invalidation): Promise<void> {
  const f = InvalidationSchema.parse(finding);
  try {
    await client.workflow.getHandle(orderWorkflowId(orderId)).signal('invalidate', f);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new OrderNotFoundError(`order ${orderId} is not running (unknown or already settled)`);
    throw err;
  }
}
