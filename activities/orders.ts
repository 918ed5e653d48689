/**
 * Order settlement activities (local activities of the order workflow). Each is idempotent: it
 * locks the order row, and every ledger write carries a key derived from the order and the step,
 * so a retry after a crash changes nothing twice. Times come from the workflow (its clock).
 */
import type { Invalidation, OrderRefundInput, OrderSnapshot } from '../contracts/orders';
import { assessOrder, type AssessInput } from '../services/orders/assessment';
import { applyInvalidation, applyRefund, creditInstallment, passReview } from '../services/orders/steps';
import type { Deps } from '../services/deps';

export function createOrderActivities(deps: Deps) {
  const { sql, ruleBook } = deps;
  return {
    assessOrder: (input: AssessInput): Promise<OrderSnapshot> => assessOrder(deps, input),
    passReview: (input: { orderId: string; atMs: number }): Promise<OrderSnapshot> => passReview(sql, input),
    creditInstallment: (input: { orderId: string; n: number; atMs: number }): Promise<OrderSnapshot> => creditInstallment(sql, input),
    applyRefund: (input: { orderId: string; refund: OrderRefundInput; atMs: number }): Promise<OrderSnapshot> => applyRefund(sql, ruleBook, input),
    applyInvalidation: (input: { orderId: string; finding: Invalidation; atMs: number }): Promise<OrderSnapshot> => applyInvalidation(sql, input),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
