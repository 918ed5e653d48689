/**
 * The ambassador lock: the ambassador's `available` balance row, locked (SELECT … FOR UPDATE) for
 * the rest of a transaction. Withdrawal requests and releases take it first, so they never
 * overdraw. Posting takes no balance row lock (balances are folded from the journal, 063).
 */
import type { Sql } from '../db/client';
import { accountId, ambassador } from './index';

/** Locks the ambassador's `available` balance row for the rest of the transaction; answers its
 * balance now. The balance is read by a second statement, once the lock is held: since migration
 * 063 an entry does not touch the row (balances are folded from the journal), so a statement that
 * waited for the lock would still read the journal as of before the wait, and miss the entry of
 * the withdrawal it waited for. The ambassador's accounts exist from its creation (migration 007);
 * accountId would create a missing one all the same. */
export async function lockAvailable(tx: Sql, ambassadorId: string): Promise<number> {
  const id = await accountId(tx, ambassador(ambassadorId, 'available'));
  await tx`SELECT FROM account_balances WHERE account_id = ${id} FOR UPDATE`;
  const [row] = await tx<{ balance_yunqi: number }[]>`
    SELECT balance_yunqi FROM ledger_ambassador_balances(${ambassadorId}) WHERE account_id = ${id}`;
  return row!.balance_yunqi;
}

/** Runs `fn` in one transaction holding the ambassador's available-balance lock. */
export async function withAmbassadorLock<T>(sql: Sql, ambassadorId: string, fn: (tx: Sql, availableYunqi: number) => Promise<T>): Promise<T> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const available = await lockAvailable(tx, ambassadorId);
    return fn(tx, available);
  }) as Promise<T>;
}
