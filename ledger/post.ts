/**
 * postEntry in one round trip: the same entry (same idempotency, same postings in account-id
 * order, the same deferred zero-sum check at commit) written by the database function
 * ledger_post_entry (db/migrations/004_withdrawals.sql), and many entries in one statement with
 * ledger_post_entries. Same input and answer as postEntry; `npm run bench:ledger` compares them.
 * A batch locks balance rows entry by entry: callers that run batches concurrently should give
 * each batch disjoint ambassadors (within an entry, rows are locked in account-id order).
 */
import type { Sql } from '../db/client';
import { LedgerError, type EntryInput, type PostedEntry } from './index';

function validate(entry: EntryInput): void {
  if (!entry.idempotencyKey) throw new LedgerError('invalid_entry', 'an idempotency key is required');
  if (entry.postings.length < 2) throw new LedgerError('invalid_entry', 'an entry needs at least two postings');
  let sum = 0;
  for (const p of entry.postings) {
    if (!Number.isSafeInteger(p.amountYunqi) || p.amountYunqi === 0) {
      throw new LedgerError('invalid_entry', `posting amounts must be non-zero integer yunqi, got ${p.amountYunqi}`);
    }
    sum += p.amountYunqi;
  }
  if (sum !== 0) throw new LedgerError('unbalanced_entry', `postings sum to ${sum}, not zero`);
}

function toJson(entry: EntryInput) {
  validate(entry);
  return {
    idempotencyKey: entry.idempotencyKey,
    kind: entry.kind,
    ambassadorId: entry.ambassadorId,
    orderId: entry.orderId ?? null,
    installment: entry.installment ?? null,
    withdrawalId: entry.withdrawalId ?? null,
    reversesEntry: entry.reversesEntry ?? null,
    ruleSetVersion: entry.ruleSetVersion ?? null,
    explanation: entry.explanation ?? {},
    postings: entry.postings.map((p) => ({ ambassadorId: p.account.ambassadorId, kind: p.account.kind, amountYunqi: p.amountYunqi })),
  };
}

/** One entry, one statement (atomic on its own, or inside the caller's transaction). */
export async function postEntryRoundTrip(sql: Sql, entry: EntryInput): Promise<PostedEntry> {
  const [row] = await sql<{ entry_id: number; duplicate: boolean }[]>`SELECT entry_id, duplicate FROM ledger_post_entry(${sql.json(toJson(entry) as never)})`;
  return { entryId: row!.entry_id, duplicate: row!.duplicate };
}

/** Many entries in one statement: all or none. Answers in the order given. */
export async function postEntries(sql: Sql, entries: EntryInput[]): Promise<PostedEntry[]> {
  if (entries.length === 0) return [];
  const rows = await sql<{ entry_id: number; duplicate: boolean }[]>`
    SELECT entry_id, duplicate FROM ledger_post_entries(${sql.json(entries.map(toJson) as never)})`;
  return rows.map((r) => ({ entryId: r.entry_id, duplicate: r.duplicate }));
}
