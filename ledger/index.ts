/**
 * The yunqi ledger: append-only double-entry journal in Postgres (see db/migrations/002_ledger.sql).
 *
 * Invariants (asserted by the database, and by tests after every scenario):
 *  - every journal entry has at least two postings and they sum to zero (a deferred constraint
 *    trigger checks each entry once at commit; postings are added only in the entry's transaction);
 *  - entries and postings are never updated or deleted (triggers refuse it); a correction is a
 *    new entry that references the one it corrects (`reversesEntry`);
 *  - an idempotency key is applied at most once: posting the same key again returns the first
 *    entry and changes nothing (a retry never credits twice);
 *  - cached balances (account_balances) equal the sum of postings per account.
 *
 * Sign convention: every account's balance is the signed sum of its postings, and all balances
 * together sum to zero. Ambassador accounts hold positive balances (yunqi they have); the
 * system account rewards_expense goes negative as rewards are granted.
 */
import type { Sql } from '../db/client';

export type AmbassadorAccountKind = 'pending' | 'available' | 'reserved' | 'paid_out';
export type SystemAccountKind = 'rewards_expense' | 'tax_payable' | 'payout_clearing';

export type AccountRef =
  | { ambassadorId: string; kind: AmbassadorAccountKind }
  | { ambassadorId: null; kind: SystemAccountKind };

export interface Posting {
  account: AccountRef;
  amountYunqi: number;
}

export interface EntryInput {
  idempotencyKey: string;
  kind: string;
  ambassadorId: string | null;
  orderId?: string | null;
  installment?: number | null;
  withdrawalId?: string | null;
  reversesEntry?: number | null;
  ruleSetVersion?: string | null;
  explanation?: Record<string, unknown>;
  postings: Posting[];
}

export interface PostedEntry {
  entryId: number;
  /** true when the key had been posted before: nothing changed now. */
  duplicate: boolean;
}

export class LedgerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A transaction or the pool: the caller decides the transaction boundary. */
type Tx = Sql;

export const system = (kind: SystemAccountKind): AccountRef => ({ ambassadorId: null, kind });
export const ambassador = (ambassadorId: string, kind: AmbassadorAccountKind): AccountRef => ({ ambassadorId, kind });

/** Postgres errors worth a LedgerError: a missing system account (ledger_account_id, 004). */
function ledgerErrorFrom(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  if (e?.code === '23503' && e.message?.startsWith('system account ')) return new LedgerError('unknown_account', e.message);
  return err;
}

/**
 * The account's id, creating the ambassador's accounts on first use (database function
 * ledger_account_id: a lookup, and an insert only when the account is missing).
 */
export async function accountId(tx: Tx, ref: AccountRef): Promise<number> {
  try {
    const [row] = await tx<{ id: number }[]>`SELECT ledger_account_id(${ref.ambassadorId}, ${ref.kind}) AS id`;
    return row!.id;
  } catch (err) {
    throw ledgerErrorFrom(err);
  }
}

/** Refuses an entry the database would refuse, before any round trip (LedgerError). */
export function validateEntry(entry: EntryInput): void {
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

/** The entry as the database functions take it (validated first). */
function entryJson(entry: EntryInput) {
  validateEntry(entry);
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

/**
 * Posts one balanced entry, at most once per idempotency key, in one round trip: the database
 * function ledger_post_entry (db/migrations/006_ledger_entry_checks.sql) writes the entry and its
 * postings in account-id order (so concurrent entries lock balance rows in one order); the
 * zero-sum check runs at commit. One statement is atomic on its own: call it on the pool, or
 * inside the caller's transaction (`sql.begin`) when it must be atomic with other writes.
 */
export async function postEntry(sql: Sql, entry: EntryInput): Promise<PostedEntry> {
  const json = entryJson(entry);
  let row: { entry_id: number; duplicate: boolean } | undefined;
  try {
    [row] = await sql<{ entry_id: number; duplicate: boolean }[]>`SELECT entry_id, duplicate FROM ledger_post_entry(${sql.json(json as never)})`;
  } catch (err) {
    throw ledgerErrorFrom(err);
  }
  if (!row) throw new Error(`ledger_post_entry answered nothing for ${entry.idempotencyKey}`);
  return { entryId: row.entry_id, duplicate: row.duplicate };
}

/**
 * Many entries in one statement (ledger_post_entries), all or none; answers in the order given.
 * Balance rows are locked entry by entry (in account-id order within an entry): callers running
 * batches concurrently should give each batch disjoint accounts, or expect a deadlock error.
 */
export async function postEntries(sql: Sql, entries: EntryInput[]): Promise<PostedEntry[]> {
  if (entries.length === 0) return [];
  const json = entries.map(entryJson);
  try {
    const rows = await sql<{ entry_id: number; duplicate: boolean }[]>`
      SELECT entry_id, duplicate FROM ledger_post_entries(${sql.json(json as never)})`;
    return rows.map((r) => ({ entryId: r.entry_id, duplicate: r.duplicate }));
  } catch (err) {
    throw ledgerErrorFrom(err);
  }
}

/** Current balances of an ambassador's accounts (0 for accounts never used). */
export async function ambassadorBalances(sql: Sql, ambassadorId: string): Promise<Record<AmbassadorAccountKind, number>> {
  const rows = await sql<{ kind: AmbassadorAccountKind; balance_yunqi: number }[]>`
    SELECT a.kind, b.balance_yunqi FROM ledger_accounts a JOIN account_balances b ON b.account_id = a.id
     WHERE a.ambassador_id = ${ambassadorId}`;
  const out: Record<AmbassadorAccountKind, number> = { pending: 0, available: 0, reserved: 0, paid_out: 0 };
  for (const r of rows) out[r.kind] = r.balance_yunqi;
  return out;
}

export async function systemBalance(sql: Sql, kind: SystemAccountKind): Promise<number> {
  const [row] = await sql<{ balance_yunqi: number }[]>`
    SELECT b.balance_yunqi FROM ledger_accounts a JOIN account_balances b ON b.account_id = a.id
     WHERE a.ambassador_id IS NULL AND a.kind = ${kind}`;
  return row?.balance_yunqi ?? 0;
}

/** Accounts whose cached balance disagrees with their postings (empty when the ledger is sound). */
export async function ledgerInconsistencies(sql: Sql): Promise<{ account_id: number | null; cached: number | null; computed: number }[]> {
  return sql`SELECT account_id, cached, computed FROM ledger_inconsistencies()`;
}
