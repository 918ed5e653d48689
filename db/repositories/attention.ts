/**
 * What operations should look at (read-only): orders that failed or whose next step is long
 * overdue, withdrawals reserved or processing for long, ambassadors whose available balance a
 * clawback took below zero (a debt, R-REV-2); and customers found by the start of their id.
 */
import type { Sql } from '../client';

export interface AttentionOrderRow {
  order_id: string;
  customer_id: string;
  ambassador_id: string | null;
  state: string;
  reason_code: string | null;
  placed_at: Date;
  next_wake_at: Date | null;
  failure: { error: string; at: string } | null;
  workflow_id: string;
}

/** Orders failed, or not finished with their next step due before `overdueBefore`. */
export async function ordersNeedingAttention(sql: Sql, overdueBefore: Date, limit: number): Promise<AttentionOrderRow[]> {
  return sql<AttentionOrderRow[]>`
    SELECT order_id, customer_id, ambassador_id, state, reason_code, placed_at, next_wake_at, failure, workflow_id
      FROM orders
     WHERE state = 'failed' OR failure IS NOT NULL OR next_wake_at < ${overdueBefore}
     ORDER BY coalesce(next_wake_at, placed_at), order_id LIMIT ${limit}`;
}

export interface AttentionWithdrawalRow {
  id: string;
  ambassador_id: string;
  status: string;
  gross_yunqi: number;
  requested_at: Date;
  payout_attempts: number;
  last_payout_error: string | null;
  workflow_id: string;
}

/** Withdrawals still reserved or processing that were requested before `requestedBefore`. */
export async function withdrawalsNeedingAttention(sql: Sql, requestedBefore: Date, limit: number): Promise<AttentionWithdrawalRow[]> {
  return sql<AttentionWithdrawalRow[]>`
    SELECT id, ambassador_id, status, gross_yunqi, requested_at, payout_attempts, last_payout_error, workflow_id
      FROM withdrawals
     WHERE status IN ('reserved', 'processing') AND requested_at < ${requestedBefore}
     ORDER BY requested_at, id LIMIT ${limit}`;
}

/** Ambassadors whose available balance now is below zero, largest debt first (ledger_balances_now,
 * migration 063: the folded balances with the entries above the horizon). */
export async function ambassadorsInDebt(sql: Sql, limit: number): Promise<{ ambassador_id: string; usercode: string; display_name: string; available_yunqi: number }[]> {
  return sql`
    SELECT b.ambassador_id, m.usercode, m.display_name, b.balance_yunqi AS available_yunqi
      FROM ledger_balances_now() b JOIN ambassadors m ON m.id = b.ambassador_id
     WHERE b.kind = 'available' AND b.balance_yunqi < 0
     ORDER BY b.balance_yunqi, b.ambassador_id LIMIT ${limit}`;
}

/** Customer ids starting with `prefix` that the system knows of (a record, an association or an
 * order), each once, in id order. A prefix match scans the three id columns; the ops console asks
 * for at least two characters and a small page. */
export async function customersByPrefix(sql: Sql, prefix: string, limit: number): Promise<{ id: string; known_from: string }[]> {
  return sql`
    SELECT id, min(known_from) AS known_from FROM (
      SELECT id, 'customer' AS known_from FROM customers WHERE starts_with(id, ${prefix})
      UNION ALL SELECT customer_id, 'association' FROM associations WHERE starts_with(customer_id, ${prefix})
      UNION ALL SELECT customer_id, 'order' FROM orders WHERE starts_with(customer_id, ${prefix})
    ) k GROUP BY id ORDER BY id LIMIT ${limit}`;
}
