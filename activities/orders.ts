/**
 * Order settlement activities (local activities of the order workflow), thin over
 * services/orders/settlement.ts. Each is idempotent: a step repeated finds its facts recorded and
 * nothing left to post. Times come from the workflow (its clock), not the host's.
 *
 * assessOrder, passReview, creditInstallment, applyRefund and applyInvalidation are the steps of
 * runs started before the settlement model (workflows/orders/legacy.ts): they settle the same way.
 */
import type { Finding, OrderPlaced, OrderRefundInput, OrderSnapshot } from '../contracts/orders';
import { markOrderFailed } from '../services/orders/failure';
import { settleOrder, type SettleInput, type SettleResult } from '../services/orders/settlement';
import type { Deps } from '../services/deps';

export function createOrderActivities(deps: Deps) {
  const settle = (input: SettleInput): Promise<OrderSnapshot> => settleOrder(deps, input).then((r) => r.snapshot);
  return {
    settleOrder: (input: SettleInput): Promise<SettleResult> => settleOrder(deps, input),
    markOrderFailed: (input: { orderId: string; order?: unknown; workflowId: string; runId: string; error: string; nowMs: number }): Promise<void> => markOrderFailed(deps.sql, input),

    assessOrder: (input: { order: OrderPlaced; bodyHash: string; workflowId: string; runId: string; nowMs: number }) =>
      settle({ orderId: input.order.orderId, nowMs: input.nowMs, placement: { order: input.order, bodyHash: input.bodyHash, workflowId: input.workflowId, runId: input.runId } }),
    passReview: (input: { orderId: string; atMs: number }) => settle({ orderId: input.orderId, nowMs: input.atMs }),
    creditInstallment: (input: { orderId: string; n: number; atMs: number }) => settle({ orderId: input.orderId, nowMs: input.atMs }),
    applyRefund: (input: { orderId: string; refund: OrderRefundInput; atMs: number }) =>
      settle({ orderId: input.orderId, nowMs: input.atMs, facts: [{ kind: 'refund', ...input.refund, atMs: input.atMs }] }),
    applyInvalidation: (input: { orderId: string; finding: Finding; atMs: number }) =>
      settle({ orderId: input.orderId, nowMs: input.atMs, facts: [{ kind: 'finding', findingId: input.finding.findingId, reason: input.finding.reason, atMs: input.atMs }] }),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
