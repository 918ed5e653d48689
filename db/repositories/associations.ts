/**
 * Associations (关联) in Postgres: the projection of the customer workflows (association rows,
 * upserted by timeline seq, and the append-only association timeline) and its readers.
 */
import type { Sql } from '../client';
import type { ProjectionInput } from '../../contracts/associations';
import type { NonAssociableReason } from '../../domain/refusals';

const ts = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Mirrors one batch of changes: association rows are upserted (a row is only overwritten by a
 * change with a higher timeline seq), events are inserted once per (customer_id, seq). */
export async function projectAssociationChange(sql: Sql, input: ProjectionInput): Promise<void> {
  await sql.begin(async (tx) => {
    for (const i of input.intervals) {
      await tx`
        INSERT INTO associations (id, customer_id, ambassador_id, started_at, ends_at, ended_at, end_reason, workflow_id,
                                  usercode, rule_set_version, last_click_at, last_seq)
        VALUES (${i.associationId}, ${input.customerId}, ${i.ambassadorId}, ${ts(i.startedAt)}, ${ts(i.endsAt)}, ${ts(i.endedAt)},
                ${i.endReason}, ${input.workflowId}, ${i.usercode}, ${i.ruleSetVersion}, ${ts(i.lastClickAt)}, ${i.lastSeq})
        ON CONFLICT (id) DO UPDATE SET
          ends_at = EXCLUDED.ends_at, ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason,
          rule_set_version = EXCLUDED.rule_set_version, last_click_at = EXCLUDED.last_click_at,
          last_seq = EXCLUDED.last_seq, workflow_id = EXCLUDED.workflow_id, updated_at = now()
        WHERE associations.last_seq < EXCLUDED.last_seq`;
    }
    if (input.superseded?.length) {
      await tx`UPDATE associations SET superseded_at = coalesce(superseded_at, now()), updated_at = now() WHERE id IN ${tx(input.superseded)}`;
    }
    for (const e of input.events) {
      await tx`
        INSERT INTO association_events (customer_id, seq, kind, at, ambassador_id, association_id, detail, click_id, workflow_id)
        VALUES (${input.customerId}, ${e.seq}, ${e.kind}, ${ts(e.at)}, ${e.ambassadorId}, ${e.associationId},
                ${tx.json(e.detail)}, ${e.clickId}, ${input.workflowId})
        ON CONFLICT (customer_id, seq) DO NOTHING`;
    }
  });
}

export interface AssociationRow {
  id: string;
  ambassador_id: string;
  usercode: string | null;
  started_at: Date;
  ends_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  rule_set_version: string | null;
}

export interface AssociationEventRow {
  seq: number;
  kind: string;
  at: Date;
  click_id: string | null;
  ambassador_id: string | null;
  association_id: string | null;
  detail: Record<string, unknown>;
}

/**
 * A customer's non-associable reason, associations and whole timeline in one snapshot: the
 * projection writes a batch's rows and events in one transaction, and separate read-committed
 * statements could see the events of a batch without its rows.
 */
export async function customerAssociationHistory(sql: Sql, customerId: string) {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    const [customer] = await tx<{ non_associable_reason: NonAssociableReason | null; non_associable_at: Date | null }[]>`
      SELECT non_associable_reason, non_associable_at FROM customers WHERE id = ${customerId}`;
    const associations = await tx<AssociationRow[]>`
      SELECT id, ambassador_id, usercode, started_at, ends_at, ended_at, end_reason, rule_set_version
        FROM associations WHERE customer_id = ${customerId} AND superseded_at IS NULL ORDER BY started_at, id`;
    const events = await tx<AssociationEventRow[]>`SELECT seq, kind, at, click_id, ambassador_id, association_id, detail
      FROM association_events WHERE customer_id = ${customerId} ORDER BY seq`;
    return { customer, associations, events };
  });
}

/** A page of the ambassador's associations, newest first (keyset on started_at, id). */
export async function ambassadorAssociationsPage(
  sql: Sql,
  ambassadorId: string,
  page: { limit: number; after: [number, string] | null },
): Promise<{ id: string; customer_id: string; started_at: Date; ends_at: Date; ended_at: Date | null; end_reason: string | null }[]> {
  const { after } = page;
  return sql`
    SELECT id, customer_id, started_at, ends_at, ended_at, end_reason FROM associations
     WHERE ambassador_id = ${ambassadorId} AND superseded_at IS NULL
       ${after ? sql`AND (started_at, id) < (${new Date(after[0])}, ${after[1]})` : sql``}
     ORDER BY started_at DESC, id DESC LIMIT ${page.limit}`;
}

/** Whether the customer has an order placed at or after the instant (a changed attribution may touch it). */
export async function hasOrdersPlacedSince(sql: Sql, customerId: string, sinceMs: number): Promise<boolean> {
  const [row] = await sql`SELECT 1 FROM orders WHERE customer_id = ${customerId} AND placed_at >= ${new Date(sinceMs)} LIMIT 1`;
  return Boolean(row);
}
