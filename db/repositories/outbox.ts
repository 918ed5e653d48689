/**
 * The outbox and the webhooks (032_outbox_webhooks.sql): registration, the fan-out of new events
 * to each webhook's deliveries (from the queue the outbox triggers fill, 061_outbox_pending.sql), the
 * claim of due deliveries under a lease, each attempt recorded, and the delivery log.
 */
import type { Sql } from '../client';

export interface WebhookRow {
  id: string;
  url: string;
  secret: string;
  event_types: string[];
  description: string | null;
  created_by: string;
  created_at: Date;
  deleted_at: Date | null;
  deleted_by: string | null;
}

export async function insertWebhook(sql: Sql, w: { id: string; url: string; secret: string; eventTypes: string[]; description: string | null; createdBy: string }): Promise<WebhookRow> {
  const [row] = await sql<WebhookRow[]>`
    INSERT INTO webhooks (id, url, secret, event_types, description, created_by, after_event_id, after_entry_id)
    VALUES (${w.id}, ${w.url}, ${w.secret}, ${w.eventTypes}, ${w.description}, ${w.createdBy},
            (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM outbox_events_id_seq),
            (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM journal_entries_id_seq)) RETURNING *`;
  return row!;
}

export const listWebhooks = (sql: Sql): Promise<WebhookRow[]> => sql<WebhookRow[]>`SELECT * FROM webhooks ORDER BY created_at, id`;

export async function getWebhook(sql: Sql, id: string): Promise<WebhookRow | undefined> {
  const [row] = await sql<WebhookRow[]>`SELECT * FROM webhooks WHERE id = ${id}`;
  return row;
}

/** Deletes (marks) a webhook; its pending deliveries are cancelled. Answers the row, or undefined when unknown. */
export async function deleteWebhook(sql: Sql, id: string, by: string): Promise<WebhookRow | undefined> {
  return (await sql.begin(async (tx) => {
    const [row] = await tx<WebhookRow[]>`
      UPDATE webhooks SET deleted_at = coalesce(deleted_at, now()), deleted_by = coalesce(deleted_by, ${by}) WHERE id = ${id} RETURNING *`;
    if (row) await tx`UPDATE webhook_deliveries SET status = 'cancelled' WHERE webhook_id = ${id} AND status = 'pending'`;
    return row;
  })) as WebhookRow | undefined;
}

/**
 * Takes up to `batch` queued events (outbox_pending; SKIP LOCKED, so rounds running at once take
 * different ones), turns each into a delivery for every live webhook that wants it and was
 * registered before it was written (a ledger event: before its entry was), and removes them
 * from the queue, all in one statement; answers how many deliveries it made.
 */
export async function fanOut(sql: Sql, batch: number): Promise<number> {
  const [{ created }] = (await sql`
    WITH taken AS (
      DELETE FROM outbox_pending WHERE event_id IN (SELECT event_id FROM outbox_pending ORDER BY event_id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING event_id),
    made AS (
      INSERT INTO webhook_deliveries (webhook_id, event_id)
      SELECT w.id, e.id FROM taken t
        JOIN outbox_events e ON e.id = t.event_id
        JOIN webhooks w ON w.deleted_at IS NULL AND e.id > w.after_event_id AND (e.entry_id IS NULL OR e.entry_id > w.after_entry_id)
                       AND (cardinality(w.event_types) = 0 OR EXISTS (SELECT FROM unnest(w.event_types) p WHERE starts_with(e.type, p)))
      ORDER BY e.id, w.id
      ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::int AS created FROM made`) as unknown as [{ created: number }];
  return created;
}

export interface ClaimedDelivery {
  id: number;
  webhook_id: string;
  event_id: number;
  attempts: number;
  url: string;
  secret: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  entry: Record<string, unknown> | null;
}

/** Claims up to `limit` due deliveries for `leaseMs` (another round does not attempt them meanwhile), with what to send. */
export async function claimDue(sql: Sql, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`
    WITH claimed AS (
      UPDATE webhook_deliveries d SET next_attempt_at = now() + ${leaseMs} * interval '1 millisecond', attempts = d.attempts + 1
       WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                       ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.webhook_id, d.event_id, d.attempts)
    SELECT c.id, c.webhook_id, c.event_id, c.attempts, w.url, w.secret, e.type, e.occurred_at, e.payload,
           CASE WHEN j.id IS NULL THEN NULL ELSE jsonb_build_object(
             'entryId', j.id, 'kind', j.kind, 'ambassadorId', j.ambassador_id, 'orderId', j.order_id, 'installment', j.installment,
             'withdrawalId', j.withdrawal_id, 'reversesEntry', j.reverses_entry, 'ruleSetVersion', j.rule_set_version,
             'explanation', j.explanation, 'occurredAt', j.occurred_at,
             'postings', (SELECT jsonb_agg(jsonb_build_object('ambassadorId', a.ambassador_id, 'account', a.kind, 'amountYunqi', p.amount) ORDER BY p.n)
                            FROM unnest(j.account_ids, j.amounts) WITH ORDINALITY AS p(account_id, amount, n)
                            JOIN ledger_accounts a ON a.id = p.account_id)) END AS entry
      FROM claimed c
      JOIN webhooks w ON w.id = c.webhook_id
      JOIN outbox_events e ON e.id = c.event_id
      LEFT JOIN journal_entries j ON j.id = e.entry_id
     ORDER BY c.id`;
}

/** Records one attempt and where the delivery stands after it. */
export async function recordAttempt(
  sql: Sql,
  a: { deliveryId: number; attempt: number; statusCode: number | null; error: string | null; durationMs: number; outcome: 'delivered' | 'failed' | 'retry'; retryInMs: number },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms)
             VALUES (${a.deliveryId}, ${a.attempt}, ${a.statusCode}, ${a.error}, ${a.durationMs}) ON CONFLICT DO NOTHING`;
    await tx`UPDATE webhook_deliveries SET
               status = CASE ${a.outcome} WHEN 'delivered' THEN 'delivered' WHEN 'failed' THEN 'failed' ELSE status END,
               delivered_at = CASE WHEN ${a.outcome} = 'delivered' THEN now() ELSE delivered_at END,
               next_attempt_at = now() + ${a.retryInMs} * interval '1 millisecond',
               last_status = ${a.statusCode}, last_error = ${a.error}
             WHERE id = ${a.deliveryId} AND status = 'pending'`;
  });
}

/** Milliseconds until the next pending delivery falls due (0: due now), or null when none is pending. */
export async function nextDueInMs(sql: Sql): Promise<number | null> {
  const [row] = await sql<{ ms: number | null }[]>`
    SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint AS ms FROM webhook_deliveries WHERE status = 'pending'`;
  return row?.ms ?? null;
}

export interface DeliveryLogRow {
  id: number;
  event_id: number;
  type: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  next_attempt_at: Date;
  log: { attempt: number; at: string; statusCode: number | null; error: string | null; durationMs: number }[];
}

/** A webhook's deliveries, newest first, each with its attempts (keyset page below `beforeId`). */
export async function deliveryLog(sql: Sql, webhookId: string, opts: { limit: number; beforeId?: number | undefined; status?: string | undefined }): Promise<DeliveryLogRow[]> {
  return sql<DeliveryLogRow[]>`
    SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at, d.next_attempt_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
                       FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS log
      FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
     WHERE d.webhook_id = ${webhookId}
       ${opts.beforeId ? sql`AND d.id < ${opts.beforeId}` : sql``}
       ${opts.status ? sql`AND d.status = ${opts.status}` : sql``}
     ORDER BY d.id DESC LIMIT ${opts.limit}`;
}

/** Deliveries by status, and the age of the oldest pending one (for the metrics). */
export async function deliveryStats(sql: Sql): Promise<{ byStatus: { status: string; n: number }[]; oldestPendingSeconds: number }> {
  const byStatus = await sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status ORDER BY status`;
  const [old] = await sql<{ s: number | null }[]>`SELECT extract(epoch FROM now() - min(created_at))::float8 AS s FROM webhook_deliveries WHERE status = 'pending'`;
  return { byStatus, oldestPendingSeconds: old?.s ?? 0 };
}
