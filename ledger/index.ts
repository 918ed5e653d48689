/**
 * The yunqi ledger: append-only double-entry journal in Postgres (see db/migrations/002_ledger.sql).
 *
 * Invariants (asserted by the database, and by tests after every scenario):
 *  - every journal entry's postings sum to zero (a deferred constraint trigger checks at commit);
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

/** The account's id, creating the ambassador's accounts on first use. */
export async function accountId(tx: Tx, ref: AccountRef): Promise<number> {
  if (ref.ambassadorId === null) {
    const [row] = await tx<{ id: number }[]>`SELECT id FROM ledger_accounts WHERE ambassador_id IS NULL AND kind = ${ref.kind}`;
    if (!row) throw new LedgerError('unknown_account', `system account ${ref.kind} is missing`);
    return row.id;
  }
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO ledger_accounts (ambassador_id, kind) VALUES (${ref.ambassadorId}, ${ref.kind})
    ON CONFLICT (ambassador_id, kind) DO UPDATE SET kind = EXCLUDED.kind
    RETURNING id`;
  return row!.id;
}

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

/**
 * Posts one balanced entry, at most once per idempotency key. Run it inside the caller's
 * transaction (`sql.begin`) when it must be atomic with other writes; on its own it opens one.
 */
export async function postEntry(sql: Sql, entry: EntryInput): Promise<PostedEntry> {
  validate(entry);
  const run = async (tx: Tx): Promise<PostedEntry> => {
    const [inserted] = await tx<{ id: number }[]>`
      INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, order_id, installment, withdrawal_id,
                                   reverses_entry, rule_set_version, explanation)
      VALUES (${entry.idempotencyKey}, ${entry.kind}, ${entry.ambassadorId}, ${entry.orderId ?? null},
              ${entry.installment ?? null}, ${entry.withdrawalId ?? null}, ${entry.reversesEntry ?? null},
              ${entry.ruleSetVersion ?? null}, ${tx.json((entry.explanation ?? {}) as never)})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id`;
    if (!inserted) {
      const [prior] = await tx<{ id: number }[]>`SELECT id FROM journal_entries WHERE idempotency_key = ${entry.idempotencyKey}`;
      return { entryId: prior!.id, duplicate: true };
    }
    // Lock accounts in id order so concurrent entries touching the same accounts cannot deadlock.
    const rows: { account_id: number; amount: number }[] = [];
    for (const p of entry.postings) rows.push({ account_id: await accountId(tx, p.account), amount: p.amountYunqi });
    rows.sort((a, b) => a.account_id - b.account_id);
    for (const r of rows) {
      await tx`INSERT INTO postings (entry_id, account_id, amount_yunqi) VALUES (${inserted.id}, ${r.account_id}, ${r.amount})`;
    }
    return { entryId: inserted.id, duplicate: false };
  };
  const maybeTx = sql as Sql & { savepoint?: unknown };
  // Inside sql.begin the handle has savepoint(); the pool does not: open our own transaction.
  if (typeof maybeTx.savepoint === 'function') return run(sql);
  return sql.begin((tx) => run(tx as unknown as Tx)) as Promise<PostedEntry>;
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
