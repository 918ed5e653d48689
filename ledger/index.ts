/**
 * The yunqi ledger: append-only double-entry journal in Postgres (db/migrations/002_ledger.sql;
 * since 007 each entry row carries its postings, and `postings` is a view over them).
 *
 * Invariants (asserted by the database, and by tests after every scenario):
 *  - every journal entry has at least two postings, on existing accounts in ascending id order,
 *    non-zero and summing to zero, and an ambassador's account only on an entry naming that
 *    ambassador (the row trigger journal_entries_check checks each entry as it is inserted;
 *    migration 063);
 *  - entries (with their postings) and accounts are never updated or deleted (triggers refuse
 *    it); a correction is a new entry that references the one it corrects (`reversesEntry`);
 *  - an idempotency key is applied at most once: posting the same key again returns the first
 *    entry and changes nothing (a retry never credits twice);
 *  - a balance is the sum of its account's postings: account_balances holds it through a horizon,
 *    the journal fold (the delivery round) adds the entries above it, and every reader adds the
 *    entries not folded yet, so a read is exact whether or not a fold has run (migration 063).
 *    An entry writes no balance row and locks none: no two entries ever wait on each other.
 *
 * Sign convention: every account's balance is the signed sum of its postings, and all balances
 * together sum to zero. Ambassador accounts hold positive balances (yunqi they have); the
 * system account rewards_expense goes negative as rewards are granted.
 *
 * System accounts are spread over shards (migration 050): callers name one by kind
 * (`system('rewards_expense')`), and an entry's system postings go to the shard of its
 * ambassador (a hash, in the database); a kind's balance is the sum of its shards (systemBalance).
 * Since balances are folded (063) no entry waits on a shard's row; the shards keep the fold's
 * updates and the system balances spread as before.
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
const refKey = (ref: AccountRef) => `${ref.ambassadorId ?? ''}\u0000${ref.kind}`;
/** The key of a resolved account: a system account's shard depends on the entry's ambassador. */
const resolvedKey = (ref: AccountRef, shardKey: string | null) => (ref.ambassadorId === null ? `\u0000${ref.kind}\u0000${shardKey ?? ''}` : refKey(ref));

/** Postgres errors worth a LedgerError: a missing system account (ledger_account_id, 004). */
function ledgerErrorFrom(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  if (e?.code === '23503' && e.message?.startsWith('system account ')) return new LedgerError('unknown_account', e.message);
  return err;
}

/**
 * The accounts' ids, in order, in one round trip, creating missing ones (database function
 * ledger_account_id: a lookup, and an insert only when the account is missing); a system
 * account is the shard of `shardKey`, the entry's ambassador. Not cached.
 */
async function fetchAccountIds(tx: Tx, refs: AccountRef[], shardKey: string | null): Promise<number[]> {
  try {
    // '' stands for a system account (no ambassador) in the text array.
    const rows = await tx<{ id: number }[]>`
      SELECT ledger_account_id(nullif(r.amb, ''), r.kind, ${shardKey}::text) AS id
        FROM unnest(${tx.array(refs.map((r) => r.ambassadorId ?? '')) as never}::text[], ${tx.array(refs.map((r) => r.kind)) as never}::text[])
             WITH ORDINALITY AS r(amb, kind, n)
       ORDER BY r.n`;
    return rows.map((r) => r.id);
  } catch (err) {
    throw ledgerErrorFrom(err);
  }
}

/** The account's id, creating the ambassador's account on first use (read afresh, not cached);
 * a system account: the shard that entries of ambassador `shardKey` use. */
export async function accountId(tx: Tx, ref: AccountRef, shardKey: string | null = null): Promise<number> {
  return (await fetchAccountIds(tx, [ref], shardKey))[0]!;
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
  const accounts = new Set(entry.postings.map((p) => refKey(p.account)));
  if (accounts.size < entry.postings.length) throw new LedgerError('invalid_entry', 'an entry posts to each account once (an account appears twice)');
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
 * Account ids by reference, per connection pool. An id always names the same account
 * (ledger_accounts is append-only, migration 007), ids come from a sequence, and an ambassador's
 * accounts are created with the ambassador: a cached id is never another account's. It can only
 * name an account whose creating transaction rolled back (with its ambassador). The database
 * then refuses the entry ('does not exist'); postEntry
 * forgets the cached ids and retries once on the pool, or, inside the caller's transaction (which
 * the error aborted), lets the error end it, and the caller's retry resolves afresh.
 * The key is the pool's `json` helper, one function per postgres.js pool that its transactions
 * and reserved connections share (test/ledger.test.ts checks it; if a postgres.js upgrade
 * changed that, every handle would get its own cache: still correct, only slower).
 */
const accountIds = new WeakMap<object, Map<string, number>>();
/** Four accounts per ambassador: a cache this large is cleared rather than grown (memory bound). */
const MAX_CACHED_ACCOUNTS = 100_000;

function idCache(sql: Sql): Map<string, number> | undefined {
  const key = (sql as unknown as { json?: object }).json;
  if (typeof key !== 'function') return undefined;
  let cache = accountIds.get(key);
  if (!cache) accountIds.set(key, (cache = new Map()));
  return cache;
}

/** The ids of `refs` (in order) for an entry of `shardKey`, from the cache or in one round trip
 * (creating missing accounts). */
async function resolveAccounts(sql: Sql, refs: AccountRef[], shardKey: string | null): Promise<number[]> {
  const cache = idCache(sql);
  const ids = refs.map((r) => cache?.get(resolvedKey(r, shardKey)));
  const missing = refs.filter((_, i) => ids[i] === undefined);
  if (missing.length > 0) {
    const fetched = await fetchAccountIds(sql, missing, shardKey);
    let k = 0;
    for (let i = 0; i < refs.length; i++) {
      if (ids[i] !== undefined) continue;
      ids[i] = fetched[k++]!;
      if (cache && cache.size >= MAX_CACHED_ACCOUNTS) cache.clear();
      cache?.set(resolvedKey(refs[i]!, shardKey), ids[i]!);
    }
  }
  return ids as number[];
}

/**
 * Posts one balanced entry, at most once per idempotency key, in one round trip once its
 * accounts are known (their ids are cached per pool): an INSERT of the entry row with its
 * postings as arrays in account-id order. The database trigger journal_entries_check (migration
 * 063) checks the postings; the balances follow by the journal fold. A key posted before answers
 * its first entry with `duplicate: true` and writes nothing (a second round trip, on replays
 * only). One statement is atomic on its own: call it on the pool, or inside the caller's
 * transaction (`sql.begin`) when it must be atomic with other writes.
 */
export async function postEntry(sql: Sql, entry: EntryInput): Promise<PostedEntry> {
  validateEntry(entry);
  const post = async () => insertEntry(sql, entry, await resolveAccounts(sql, entry.postings.map((p) => p.account), entry.ambassadorId));
  try {
    return await post();
  } catch (err) {
    // A cached id whose account was rolled back: forget it; resolve again, once, unless the error
    // has aborted the caller's transaction (a transaction handle has `savepoint`).
    const e = err as { code?: string; message?: string };
    if (e?.code !== '23503' || !/account \d+ does not exist/.test(e.message ?? '')) throw err;
    const cache = idCache(sql);
    for (const p of entry.postings) cache?.delete(resolvedKey(p.account, entry.ambassadorId));
    if ('savepoint' in sql) throw err;
    return await post();
  }
}

/** int8: arrays sent as bigint[] (untyped, postgres.js sends a number array as text[], which costs
 * an escape per element here and a cast per element in the server). */
const INT8 = 20;

async function insertEntry(sql: Sql, entry: EntryInput, ids: number[]): Promise<PostedEntry> {
  // Postings in account-id order (validateEntry made sure each account is posted once).
  const order = ids.map((_, i) => i).sort((x, y) => ids[x]! - ids[y]!);
  const accounts = order.map((i) => ids[i]!);
  const amounts = order.map((i) => entry.postings[i]!.amountYunqi);
  const key = entry.idempotencyKey;
  const [inserted] = await sql<{ id: number }[]>`
    INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, order_id, installment, withdrawal_id, reverses_entry,
                                 rule_set_version, explanation, account_ids, amounts)
    VALUES (${key}, ${entry.kind}, ${entry.ambassadorId}, ${entry.orderId ?? null}, ${entry.installment ?? null},
            ${entry.withdrawalId ?? null}, ${entry.reversesEntry ?? null}, ${entry.ruleSetVersion ?? null},
            ${sql.json((entry.explanation ?? {}) as never)}, ${sql.array(accounts, INT8) as never}, ${sql.array(amounts, INT8) as never})
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id`;
  if (inserted) return { entryId: inserted.id, duplicate: false };
  // The key was posted before (a retry): answer its entry. A second round trip, on replays only.
  const [row] = await sql<{ id: number }[]>`SELECT id FROM journal_entries WHERE idempotency_key = ${key}`;
  if (!row) throw new Error(`journal entry ${key} was neither written nor found`);
  return { entryId: row.id, duplicate: true };
}

/**
 * Many entries in one statement (ledger_post_entries), all or none; answers in the order given.
 * No balance row is locked (balances are folded from the journal, 063), so concurrent batches
 * never wait on each other's accounts.
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

/** An ambassador's balances now (0 for accounts never used): each account's folded balance plus
 * the entries above the balance horizon (database function ledger_ambassador_balances, 063). */
export async function ambassadorBalances(sql: Sql, ambassadorId: string): Promise<Record<AmbassadorAccountKind, number>> {
  const rows = await sql<{ kind: AmbassadorAccountKind; balance_yunqi: number }[]>`
    SELECT kind, balance_yunqi FROM ledger_ambassador_balances(${ambassadorId})`;
  const out: Record<AmbassadorAccountKind, number> = { pending: 0, available: 0, reserved: 0, paid_out: 0 };
  for (const r of rows) out[r.kind] = r.balance_yunqi;
  return out;
}

/** A system account kind's balance now: the sum of its shards, with the entries above the balance
 * horizon (database function ledger_system_balance). */
export async function systemBalance(sql: Sql, kind: SystemAccountKind): Promise<number> {
  const [row] = await sql<{ balance_yunqi: number }[]>`SELECT ledger_system_balance(${kind}) AS balance_yunqi`;
  return row?.balance_yunqi ?? 0;
}

/** Accounts whose balance now disagrees with the sum of their postings (empty when the ledger is
 * sound; `cached` is the folded balance plus the entries above the horizon). */
export async function ledgerInconsistencies(sql: Sql): Promise<{ account_id: number | null; cached: number | null; computed: number }[]> {
  return sql`SELECT account_id, cached, computed FROM ledger_inconsistencies()`;
}

/** Entries that break a rule the database checks when they are written (empty when sound;
 * database function ledger_entry_problems, migration 007). */
export async function ledgerEntryProblems(sql: Sql): Promise<{ entry_id: number; problem: string }[]> {
  return sql`SELECT entry_id, problem FROM ledger_entry_problems()`;
}
