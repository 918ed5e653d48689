/**
 * An order that could not be assessed after its bounded retries (data Postgres cannot store, or
 * that no rule judges) ends visibly: `failed`, with the error in the ops view, earning nothing.
 * What it carried is stored with anything Postgres cannot hold replaced, so the row can be written.
 */
import type { Sql } from '../../db/client';

/** The value with NUL characters replaced (Postgres text cannot hold them) and bad instants nulled. */
function storable(v: unknown): unknown {
  if (typeof v === 'string') return v.split(String.fromCharCode(0)).join('\uFFFD');
  if (Array.isArray(v)) return v.map(storable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k) as string, storable(x)]));
  return v;
}

export async function markOrderFailed(sql: Sql, input: { orderId: string; order?: unknown; workflowId: string; runId: string; error: string; nowMs: number }): Promise<void> {
  const body = (storable(input.order ?? {}) ?? {}) as Record<string, unknown>;
  const placed = Date.parse(String(body.placedAt ?? ''));
  const placedAt = Number.isFinite(placed) && placed >= 0 && placed < Date.UTC(10000, 0) ? new Date(placed) : new Date(0);
  const orderId = storable(input.orderId) as string;
  const error = (storable(input.error) as string).slice(0, 2000);
  const failure = { error, at: new Date(input.nowMs).toISOString() };
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, state, workflow_id, run_id, reason_code, failure)
      VALUES (${orderId}, ${storable(body.customerId ?? '') as string}, '', ${tx.json(body as never)}, ${placedAt}, 'failed',
              ${storable(input.workflowId) as string}, ${storable(input.runId) as string}, 'ASSESSMENT_FAILED', ${tx.json(failure as never)})
      ON CONFLICT (order_id) DO UPDATE SET state = 'failed', reason_code = 'ASSESSMENT_FAILED', failure = EXCLUDED.failure, next_wake_at = NULL, updated_at = now()`;
    await tx`
      INSERT INTO order_events (order_id, key, kind, at, summary, detail)
      VALUES (${orderId}, 'failed', 'failed', ${new Date(input.nowMs)}, ${`the order could not be assessed and earns nothing: ${error}`}, ${tx.json(failure as never)})
      ON CONFLICT (order_id, key) DO NOTHING`;
  });
}
