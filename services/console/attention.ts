/**
 * The ops console's list of what needs attention, and its customer search. Read-only: each line
 * names what to open (the order, the withdrawal's workflow, the ambassador) and why.
 */
import * as repo from '../../db/repositories/attention';
import { nowOf, type Deps } from '../deps';

/** How late a step may be before it is listed: a workflow wakes within seconds of its due instant. */
export const ORDER_OVERDUE_MS = 60 * 60_000;
/** How long a withdrawal may stay reserved or processing before it is listed (payouts take minutes). */
export const WITHDRAWAL_STUCK_MS = 60 * 60_000;

export async function attentionList(deps: Pick<Deps, 'sql' | 'now'>, limit: number) {
  const now = nowOf(deps);
  const [orders, withdrawals, debts] = await Promise.all([
    repo.ordersNeedingAttention(deps.sql, new Date(now - ORDER_OVERDUE_MS), limit),
    repo.withdrawalsNeedingAttention(deps.sql, new Date(now - WITHDRAWAL_STUCK_MS), limit),
    repo.ambassadorsInDebt(deps.sql, limit),
  ]);
  return {
    asOf: new Date(now).toISOString(),
    thresholds: { orderOverdueMinutes: ORDER_OVERDUE_MS / 60_000, withdrawalStuckMinutes: WITHDRAWAL_STUCK_MS / 60_000 },
    orders: orders.map((o) => ({
      orderId: o.order_id,
      customerId: o.customer_id,
      ambassadorId: o.ambassador_id,
      state: o.state,
      reasonCode: o.reason_code,
      why: (o.state === 'failed' || o.failure ? 'failed' : 'overdue') as 'failed' | 'overdue',
      placedAt: o.placed_at.toISOString(),
      nextDueAt: o.next_wake_at?.toISOString() ?? null,
      error: o.failure?.error ?? null,
      workflowId: o.workflow_id,
    })),
    withdrawals: withdrawals.map((w) => ({
      withdrawalId: w.id,
      ambassadorId: w.ambassador_id,
      status: w.status as 'reserved' | 'processing',
      grossYunqi: w.gross_yunqi,
      requestedAt: w.requested_at.toISOString(),
      payoutAttempts: w.payout_attempts,
      lastPayoutError: w.last_payout_error,
      workflowId: w.workflow_id,
    })),
    debts: debts.map((d) => ({ ambassadorId: d.ambassador_id, usercode: d.usercode, displayName: d.display_name, debtYunqi: -d.available_yunqi })),
  };
}

export async function searchCustomers(deps: Pick<Deps, 'sql'>, prefix: string, limit: number) {
  const rows = await repo.customersByPrefix(deps.sql, prefix, limit);
  return rows.map((r) => ({ customerId: r.id, knownFrom: r.known_from as 'customer' | 'association' | 'order' }));
}
