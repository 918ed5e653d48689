/**
 * Order messages at the edge: an order, a refund or a finding is refused (with its reason) when it
 * can never be assessed — an instant out of bounds (docs/settlement.md) — and otherwise handed to
 * the orders contract. Refunds and findings over REST are Updates: the caller learns what they did.
 */
import { OrderConflictError, OrderNotFoundError, FactRefusedError, invalidateOrderAndWait, placeOrder, refundOrderAndWait } from '../../contracts/orders/client';
import type { FactOutcome, Finding, OrderPlaced, RefundRequest } from '../../contracts/orders';
import { instantProblem } from '../../domain/instants';
import { nowOf, temporalOptions, type Deps } from '../deps';

export type Refused = { ok: false; code: 'order_conflict' | 'order_not_found' | 'placed_at_out_of_bounds' | 'fact_refused'; reason: string };

/** Records an order placed and paid; a repeat is harmless (duplicate), another body under its ID is a conflict. */
export async function receiveOrder(deps: Deps, order: OrderPlaced): Promise<{ ok: true; workflowId: string; duplicate: boolean } | Refused> {
  const earliest = deps.ruleBook.all()[0]!;
  const problem = instantProblem(Date.parse(order.placedAt), { nowMs: nowOf(deps), notBeforeMs: Date.parse(earliest.effectiveFrom), notBeforeWhat: `the earliest rule set (${earliest.effectiveFrom})` }, 'placedAt');
  if (problem) return { ok: false, code: 'placed_at_out_of_bounds', reason: problem };
  try {
    const r = await placeOrder(deps.client, order, temporalOptions(deps.config));
    return { ok: true, workflowId: r.workflowId, duplicate: r.duplicate };
  } catch (err) {
    if (err instanceof OrderConflictError) return { ok: false, code: 'order_conflict', reason: err.message };
    throw err;
  }
}

async function deliver(send: () => Promise<FactOutcome>): Promise<({ ok: true } & FactOutcome) | Refused> {
  try {
    return { ok: true, ...(await send()) };
  } catch (err) {
    if (err instanceof OrderNotFoundError) return { ok: false, code: 'order_not_found', reason: err.message };
    if (err instanceof FactRefusedError) return { ok: false, code: 'fact_refused', reason: err.message };
    throw err;
  }
}

export const receiveRefund = (deps: Deps, orderId: string, refund: RefundRequest) => deliver(() => refundOrderAndWait(deps.client, orderId, refund, temporalOptions(deps.config)));
export const receiveFinding = (deps: Deps, orderId: string, finding: Finding) => deliver(() => invalidateOrderAndWait(deps.client, orderId, finding, temporalOptions(deps.config)));
