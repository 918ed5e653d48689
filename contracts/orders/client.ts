/**
 * The typed client of the orders contract, for order systems that use Temporal directly (the REST
 * API uses the same functions). The same message twice is harmless (answered `duplicate: true`);
 * the same orderId with a different body is refused (OrderConflictError), detected from the body
 * hash kept in the workflow's memo. Refunds and findings go to the order's workflow at any moment
 * of its life: a run that has ended is started again for them (the same workflow ID, a new run
 * that reads the order from Postgres), so none is ever acknowledged and dropped.
 */
import {
  TypedSearchAttributes,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { canonicalHash } from '../../lib/canonical-hash';
import { cnyToYunqi } from '../../domain/money';
import { CustomerIdKey, OrderStateKey } from '../search-attributes';
import { FindingSchema, OrderPlacedSchema, RefundSchema } from './schemas';
import {
  ORDER_WORKFLOW,
  findingUpdate,
  invalidateSignal,
  orderWorkflowId,
  reconcileSignal,
  refundSignal,
  refundUpdate,
  type FactOutcome,
  type Finding,
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
  const input: OrderWorkflowInput = { order, bodyHash: hash, searchAttributes: opts.searchAttributes ?? false, model: 'facts' };
  try {
    const handle = await client.workflow.start(ORDER_WORKFLOW, {
      taskQueue: opts.taskQueue,
      workflowId: id,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { bodyHash: hash, customerId: order.customerId, paidYunqi: cnyToYunqi(order.paidAmount) },
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

/** Where a fact for an order goes: the order's workflow, started again (resume) when its run has ended. */
interface Delivery {
  workflowId: string;
  startOptions: {
    taskQueue: string;
    workflowId: string;
    args: [OrderWorkflowInput];
    memo: Record<string, unknown>;
    workflowIdReusePolicy: typeof WorkflowIdReusePolicy.ALLOW_DUPLICATE;
    typedSearchAttributes?: TypedSearchAttributes;
  };
}

/** The start options of a resumed run of an order's workflow (memo and search attributes as the first run's). */
export function resumeDelivery(orderId: string, memo: { bodyHash?: string; customerId?: string; paidYunqi?: number }, opts: OrderClientOptions): Delivery {
  const id = orderWorkflowId(orderId);
  return {
    workflowId: id,
    startOptions: {
      taskQueue: opts.taskQueue,
      workflowId: id,
      args: [{ resume: { orderId }, searchAttributes: opts.searchAttributes ?? false, model: 'facts' }],
      memo,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      ...(opts.searchAttributes && memo.customerId
        ? { typedSearchAttributes: new TypedSearchAttributes([{ key: CustomerIdKey, value: memo.customerId }, { key: OrderStateKey, value: 'received' }]) }
        : {}),
    },
  };
}

/** The order's delivery, or OrderNotFoundError when no order of that ID was ever received. */
async function delivery(client: Client, orderId: string, opts: OrderClientOptions): Promise<Delivery> {
  try {
    const desc = await client.workflow.getHandle(orderWorkflowId(orderId)).describe();
    return resumeDelivery(orderId, (desc.memo ?? {}) as { bodyHash?: string; customerId?: string; paidYunqi?: number }, opts);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new OrderNotFoundError(`order ${orderId} is not known`);
    throw err;
  }
}

/** A refund, fire and forget (a signal): applied whenever it arrives, once per refundId. */
export async function refundOrder(client: Client, orderId: string, refund: RefundRequest, opts: OrderClientOptions): Promise<{ workflowId: string }> {
  const r = RefundSchema.parse(refund);
  const d = await delivery(client, orderId, opts);
  await client.workflow.signalWithStart(ORDER_WORKFLOW, { ...d.startOptions, signal: refundSignal, signalArgs: [r] });
  return { workflowId: d.workflowId };
}

/** A same-person or cheating finding, fire and forget (a signal): the order becomes invalid (R-REV-1, R-REV-2). */
export async function invalidateOrder(client: Client, orderId: string, finding: Finding, opts: OrderClientOptions): Promise<{ workflowId: string }> {
  const f = FindingSchema.parse(finding);
  const d = await delivery(client, orderId, opts);
  await client.workflow.signalWithStart(ORDER_WORKFLOW, { ...d.startOptions, signal: invalidateSignal, signalArgs: [f] });
  return { workflowId: d.workflowId };
}

/** A refund as an Update: answers whether it was applied and the order's state after it; a refund
 * that can never apply (more than was paid, dated before the order) is refused (FactRefusedError). */
export async function refundOrderAndWait(client: Client, orderId: string, refund: RefundRequest, opts: OrderClientOptions): Promise<FactOutcome> {
  return updateOrder(client, orderId, refundUpdate, RefundSchema.parse(refund), opts);
}

/** A finding as an Update (see refundOrderAndWait). */
export async function invalidateOrderAndWait(client: Client, orderId: string, finding: Finding, opts: OrderClientOptions): Promise<FactOutcome> {
  return updateOrder(client, orderId, findingUpdate, FindingSchema.parse(finding), opts);
}

/** The validator's refusal of a fact, with its reason. */
export class FactRefusedError extends Error {
  readonly code = 'fact_refused';
}

async function updateOrder<A>(client: Client, orderId: string, update: UpdateDefinition<FactOutcome, [A]>, arg: A, opts: OrderClientOptions): Promise<FactOutcome> {
  const d = await delivery(client, orderId, opts);
  const start = new WithStartWorkflowOperation(ORDER_WORKFLOW, { ...d.startOptions, workflowIdConflictPolicy: 'USE_EXISTING' });
  try {
    return await client.workflow.executeUpdateWithStart(update, { args: [arg], startWorkflowOperation: start });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof WorkflowUpdateFailedError && cause instanceof ApplicationFailure) throw new FactRefusedError(cause.message);
    throw err;
  }
}

/** Wakes an order whose outcome another settlement changed: a signal, or a new run when the last ended. */
export async function reconcileOrder(client: Client, orderId: string, because: string, memo: { bodyHash?: string; customerId?: string; paidYunqi?: number }, opts: OrderClientOptions): Promise<void> {
  const d = resumeDelivery(orderId, memo, opts);
  await client.workflow.signalWithStart(ORDER_WORKFLOW, { ...d.startOptions, signal: reconcileSignal, signalArgs: [{ because }] });
}
