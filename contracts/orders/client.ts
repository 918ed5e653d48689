/**
 * The typed client of the orders contract, for order systems that use Temporal directly (the REST
 * API uses the same functions). The same message twice is harmless (answered `duplicate: true`);
 * the same orderId with a different body is refused (OrderConflictError), detected from the body
 * hash kept in the workflow's memo.
 */
import {
  TypedSearchAttributes,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { canonicalHash } from '../../lib/canonical-hash';
import { workflowId } from '../ids';
import { CustomerIdKey, OrderStateKey } from '../search-attributes';
import {
  InvalidationSchema,
  ORDER_LATE_REFUND_WORKFLOW,
  ORDER_WORKFLOW,
  OrderPlacedSchema,
  RefundSchema,
  invalidateSignal,
  orderWorkflowId,
  refundSignal,
  type Invalidation,
  type OrderPlaced,
  type OrderWorkflowInput,
  type RefundRequest,
} from './index';

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
  const id = orderWorkflowId(order.orderId);
  const input: OrderWorkflowInput = { order, bodyHash: hash, searchAttributes: opts.searchAttributes ?? false };
  try {
    const handle = await client.workflow.start(ORDER_WORKFLOW, {
      taskQueue: opts.taskQueue,
      workflowId: id,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { bodyHash: hash, customerId: order.customerId },
      ...(opts.searchAttributes
        ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: order.customerId }, { key: OrderStateKey, value: 'received' }]) }
        : {}),
    });
    return { workflowId: id, runId: handle.firstExecutionRunId, duplicate: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const desc = await client.workflow.getHandle(id).describe();
    const prior = (desc.memo as { bodyHash?: string } | undefined)?.bodyHash;
    if (prior !== hash) {
      throw new OrderConflictError(`order ${order.orderId} was already received with a different body; an order's details cannot change`);
    }
    return { workflowId: id, runId: desc.runId, duplicate: true };
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
      await handle.signal(refundSignal, r);
      return { workflowId: handle.workflowId, via: 'signal' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // completed meanwhile: adjust below
    }
  }
  const lateId = workflowId('order', orderId, 'refund', r.refundId);
  try {
    await client.workflow.start(ORDER_LATE_REFUND_WORKFLOW, {
      taskQueue: opts.taskQueue,
      workflowId: lateId,
      args: [{ orderId, refund: r }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { workflowId: lateId, via: 'adjustment' };
}

/** A same-person or cheating finding: the order's remaining reward is voided and credits clawed back. */
export async function invalidateOrder(client: Client, orderId: string, finding: Invalidation): Promise<void> {
  const f = InvalidationSchema.parse(finding);
  try {
    await client.workflow.getHandle(orderWorkflowId(orderId)).signal(invalidateSignal, f);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new OrderNotFoundError(`order ${orderId} is not running (unknown or already settled)`);
    throw err;
  }
}
