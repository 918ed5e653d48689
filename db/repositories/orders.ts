/**
 * Orders in Postgres: the order row (the settlement's projection), its timeline (order_events),
 * and the cap room it holds in its association (cap_usage, cap_reservations: R-ORD-6).
 */
import type { Sql } from '../client';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../contracts/errors';
import type { OrderPlaced, OrderSnapshot, OrderState, PlannedInstallment, TimelineEvent } from '../../contracts/orders';

export interface OrderRow {
  order_id: string;
  customer_id: string;
  body_hash: string;
  body: OrderPlaced;
  state: OrderState;
  reason_code: string | null;
  ambassador_id: string | null;
  association_id: string | null;
  association_started_at: Date | null;
  placed_at: Date;
  rule_set_version: string | null;
  review_ends_at: Date | null;
  paid_yunqi: number;
  refunded_yunqi: number;
  granted_yunqi: number;
  credited_yunqi: number;
  installments: (PlannedInstallment & { status?: 'due' | 'credited' | 'voided' })[];
  explanation: unknown;
  assessment: unknown;
  assessment_key: string | null;
  clawed_back_yunqi: number;
  next_wake_at: Date | null;
  wake_requested_at: Date | null;
  failure: { error: string; at: string } | null;
  workflow_id: string;
  run_id: string | null;
}

export function snapshot(row: OrderRow, events: TimelineEvent[]): OrderSnapshot {
  return {
    state: row.state,
    ambassadorId: row.ambassador_id,
    rewardYunqi: row.granted_yunqi,
    creditedYunqi: row.credited_yunqi,
    reviewEndsAtMs: row.review_ends_at ? row.review_ends_at.getTime() : null,
    installments: row.installments,
    events,
  };
}

/** Records a received order once; answers the stored body hash and state (of this or an earlier receipt). */
export async function insertOrder(
  sql: Sql,
  o: { order: OrderPlaced; bodyHash: string; workflowId: string; runId: string; paidYunqi: number },
): Promise<{ body_hash: string; state: OrderState }> {
  const { order } = o;
  const [row] = await sql<{ body_hash: string; state: OrderState }[]>`
    INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, state, workflow_id, run_id, cart_id, paid_yunqi)
    VALUES (${order.orderId}, ${order.customerId}, ${o.bodyHash}, ${sql.json(order as never)}, ${order.placedAt},
            'received', ${o.workflowId}, ${o.runId}, ${order.cartId ?? null}, ${o.paidYunqi})
    ON CONFLICT (order_id) DO UPDATE SET updated_at = orders.updated_at
    RETURNING body_hash, state`;
  return row!;
}

export async function getOrder(sql: Sql, orderId: string): Promise<OrderRow | undefined> {
  const [row] = await sql<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${orderId}`;
  return row;
}

/** The order row under a lock for the rest of the transaction; a step for an unknown order is a non-retryable failure. */
export async function lockOrder(tx: Sql, orderId: string): Promise<OrderRow> {
  const [row] = await tx<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${orderId} FOR UPDATE`;
  if (!row) throw ApplicationFailure.nonRetryable(`order ${orderId} is not recorded`, FailureType.orderNotRecorded);
  return row;
}

/** Writes what a settlement step changed on the row (money, installments, state, reason). */
export async function saveOrder(tx: Sql, row: OrderRow, extra: { reasonCode?: string | null } = {}): Promise<void> {
  await tx`UPDATE orders SET state = ${row.state}, granted_yunqi = ${row.granted_yunqi}, credited_yunqi = ${row.credited_yunqi},
             refunded_yunqi = ${row.refunded_yunqi}, installments = ${tx.json(row.installments as never)},
             reward_yunqi = ${row.granted_yunqi},
             reason_code = coalesce(${extra.reasonCode ?? null}, reason_code), updated_at = now()
           WHERE order_id = ${row.order_id}`;
}

/** Writes the outcome of an assessment: attribution, rule set, state and, when it earns, the reward and its plan. */
export async function saveAssessment(
  tx: Sql,
  row: OrderRow,
  extra: { reasonCode: string | null; explanation?: unknown },
): Promise<void> {
  await tx`UPDATE orders SET state = ${row.state}, reason_code = ${extra.reasonCode}, ambassador_id = ${row.ambassador_id},
             association_id = ${row.association_id}, association_started_at = ${row.association_started_at},
             rule_set_version = ${row.rule_set_version}, review_ends_at = ${row.review_ends_at},
             granted_yunqi = ${row.granted_yunqi}, reward_yunqi = ${row.granted_yunqi},
             installments = ${tx.json(row.installments as never)},
             explanation = coalesce(${extra.explanation === undefined ? null : tx.json(extra.explanation as never)}, explanation),
             updated_at = now()
           WHERE order_id = ${row.order_id}`;
}

export async function recordEvents(tx: Sql, orderId: string, events: TimelineEvent[]): Promise<void> {
  for (const e of events) {
    await tx`INSERT INTO order_events (order_id, key, kind, at, summary, detail)
             VALUES (${orderId}, ${e.key}, ${e.kind}, ${e.at}, ${e.summary}, ${tx.json((e.detail ?? {}) as never)})
             ON CONFLICT (order_id, key) DO NOTHING`;
  }
}

export async function hasEvent(tx: Sql, orderId: string, key: string): Promise<boolean> {
  const [seen] = await tx`SELECT 1 FROM order_events WHERE order_id = ${orderId} AND key = ${key}`;
  return Boolean(seen);
}

export async function orderEvents(sql: Sql, orderId: string): Promise<TimelineEvent[]> {
  const events = await sql<TimelineEvent[]>`SELECT key, kind, at, summary, detail FROM order_events WHERE order_id = ${orderId} ORDER BY at, id`;
  return events.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
}

/** Prepaid orders of the customer placed before `placedAtMs`, other than this one and outside its cart. */
export async function earlierPrepaidOrders(tx: Sql, o: { customerId: string; orderId: string; placedAtMs: number; cartId: string | null }): Promise<number> {
  const [prior] = await tx<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders
     WHERE customer_id = ${o.customerId} AND order_id <> ${o.orderId}
       AND placed_at < ${new Date(o.placedAtMs)} AND body->>'billing' = 'prepaid'
       AND (${o.cartId}::text IS NULL OR cart_id IS DISTINCT FROM ${o.cartId})`;
  return prior?.n ?? 0;
}

/** Orders of the customer in the cart placed at or before `atMs`. */
export async function cartOrdersUpTo(tx: Sql, o: { customerId: string; cartId: string; atMs: number }): Promise<number> {
  const [sibling] = await tx<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders WHERE customer_id = ${o.customerId} AND cart_id = ${o.cartId}
       AND placed_at <= ${new Date(o.atMs)}`;
  return sibling?.n ?? 0;
}

/** The association's cap usage row, created if missing, locked for the rest of the transaction (R-ORD-6 exactly once). */
export async function lockCapUsage(tx: Sql, associationId: string, customerId: string): Promise<{ paidUsedYunqi: number; rewardUsedYunqi: number }> {
  await tx`INSERT INTO cap_usage (association_id, customer_id) VALUES (${associationId}, ${customerId}) ON CONFLICT DO NOTHING`;
  const [usage] = await tx<{ paid_used_yunqi: number; reward_used_yunqi: number }[]>`
    SELECT paid_used_yunqi, reward_used_yunqi FROM cap_usage WHERE association_id = ${associationId} FOR UPDATE`;
  return { paidUsedYunqi: usage!.paid_used_yunqi, rewardUsedYunqi: usage!.reward_used_yunqi };
}

/** Reserves an order's cap room (its capped base and reward) in its association, with the computation it came from. */
export async function reserveCapRoom(
  tx: Sql,
  r: { orderId: string; associationId: string; paidYunqi: number; rewardYunqi: number; computation: unknown },
): Promise<void> {
  await tx`INSERT INTO cap_reservations (order_id, association_id, paid_yunqi, reward_yunqi, computation)
           VALUES (${r.orderId}, ${r.associationId}, ${r.paidYunqi}, ${r.rewardYunqi}, ${tx.json(r.computation as never)})`;
  await tx`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi + ${r.paidYunqi}, reward_used_yunqi = reward_used_yunqi + ${r.rewardYunqi}
            WHERE association_id = ${r.associationId}`;
}

export interface CapReservation {
  paid_yunqi: number;
  reward_yunqi: number;
  association_id: string;
  computation: unknown;
}

export async function lockCapReservation(tx: Sql, orderId: string): Promise<CapReservation | undefined> {
  const [res] = await tx<CapReservation[]>`
    SELECT paid_yunqi, reward_yunqi, association_id, computation FROM cap_reservations WHERE order_id = ${orderId} FOR UPDATE`;
  return res;
}

/** Shrinks an order's reservation to what it keeps; the freed room returns to the association. */
export async function shrinkCapReservation(tx: Sql, orderId: string, res: CapReservation, keep: { paidYunqi: number; rewardYunqi: number; adjustmentKey: string }): Promise<void> {
  await tx`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi - ${res.paid_yunqi - keep.paidYunqi},
             reward_used_yunqi = reward_used_yunqi - ${res.reward_yunqi - keep.rewardYunqi}
           WHERE association_id = ${res.association_id}`;
  await tx`UPDATE cap_reservations SET paid_yunqi = ${keep.paidYunqi}, reward_yunqi = ${keep.rewardYunqi}, last_adjustment = ${keep.adjustmentKey}
           WHERE order_id = ${orderId}`;
}

/** R-WD-1 / R-PAY-3: completed valid orders of the ambassador (state 'completed'). */
export async function completedValidOrders(tx: Sql, ambassadorId: string): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders WHERE ambassador_id = ${ambassadorId} AND state = 'completed'`;
  return row?.n ?? 0;
}

export interface OrderLedgerLine {
  id: number;
  kind: string;
  installment: number | null;
  occurred_at: Date;
  account: string;
  amount_yunqi: number;
}

/** The order row, its timeline and its ledger entries in one snapshot: a settlement step writes
 * the three in one transaction, and separate statements could mix two steps. */
export async function orderWithHistory(sql: Sql, orderId: string) {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    const [row] = await tx<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${orderId}`;
    const events = await tx<{ at: Date; recorded_at: Date | null; kind: string; summary: string; detail: unknown }[]>`
      SELECT at, recorded_at, kind, summary, detail FROM order_events WHERE order_id = ${orderId} ORDER BY at, id`;
    const entries = await tx<OrderLedgerLine[]>`
      SELECT e.id, e.kind, e.installment, e.occurred_at,
             coalesce(a.ambassador_id || ':', 'system:') || a.kind AS account, p.amount_yunqi
        FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
       WHERE e.order_id = ${orderId} ORDER BY e.id, p.position`;
    return { row, events, entries };
  });
}

/** A page of the ambassador's attributed orders, newest first (keyset on placed_at, order_id). */
export async function ambassadorOrdersPage(sql: Sql, ambassadorId: string, page: { limit: number; after: { at: string; id: string } | null }): Promise<OrderRow[]> {
  const { after } = page;
  return sql<OrderRow[]>`
    SELECT * FROM orders WHERE ambassador_id = ${ambassadorId}
      ${after ? sql`AND (placed_at, order_id) < (${after.at}, ${after.id})` : sql``}
     ORDER BY placed_at DESC, order_id DESC LIMIT ${page.limit}`;
}
