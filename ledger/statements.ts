/** The ledger statement of one ambassador: the journal entries that touch its accounts, newest first. */
import type { Sql } from '../db/client';

export interface LedgerLine {
  entryId: number;
  kind: string;
  occurredAt: Date;
  orderId: string | null;
  installment: number | null;
  withdrawalId: string | null;
  reversesEntry: number | null;
  ruleSetVersion: string | null;
  explanation: Record<string, unknown>;
  postings: { account: string; ambassadorAccount: boolean; amountYunqi: number }[];
}

/** The ambassador's journal entries, newest first (keyset pagination on the entry id). Only
 * entries with a posting on one of this ambassador's accounts are listed; the database makes
 * every such entry name the ambassador (journal_entries_check, migrations 007 and 063), so the
 * (ambassador_id, id) index finds them. */
export async function ambassadorLedger(sql: Sql, ambassadorId: string, page: { limit: number; beforeEntryId?: number }): Promise<LedgerLine[]> {
  const before = page.beforeEntryId ?? Number.MAX_SAFE_INTEGER;
  const entries = await sql<
    {
      id: number;
      kind: string;
      occurred_at: Date;
      order_id: string | null;
      installment: number | null;
      withdrawal_id: string | null;
      reverses_entry: number | null;
      rule_set_version: string | null;
      explanation: Record<string, unknown>;
    }[]
  >`
    SELECT e.id, e.kind, e.occurred_at, e.order_id, e.installment, e.withdrawal_id, e.reverses_entry, e.rule_set_version, e.explanation
      FROM journal_entries e
     WHERE e.ambassador_id = ${ambassadorId} AND e.id < ${before}
       AND e.account_ids && ARRAY(SELECT id FROM ledger_accounts WHERE ambassador_id = ${ambassadorId})
     ORDER BY e.id DESC LIMIT ${page.limit}`;
  if (entries.length === 0) return [];
  const postings = await sql<{ entry_id: number; kind: string; ambassador_id: string | null; amount_yunqi: number }[]>`
    SELECT p.entry_id, a.kind, a.ambassador_id, p.amount_yunqi
      FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
     WHERE p.entry_id IN ${sql(entries.map((e) => e.id))}
       AND (a.ambassador_id IS NULL OR a.ambassador_id = ${ambassadorId})
     ORDER BY p.entry_id, p.position`;
  return entries.map((e) => ({
    entryId: e.id,
    kind: e.kind,
    occurredAt: e.occurred_at,
    orderId: e.order_id,
    installment: e.installment,
    withdrawalId: e.withdrawal_id,
    reversesEntry: e.reverses_entry,
    ruleSetVersion: e.rule_set_version,
    explanation: e.explanation,
    postings: postings
      .filter((p) => p.entry_id === e.id)
      .map((p) => ({ account: p.ambassador_id ? p.kind : `system:${p.kind}`, ambassadorAccount: p.ambassador_id !== null, amountYunqi: p.amount_yunqi })),
  }));
}
