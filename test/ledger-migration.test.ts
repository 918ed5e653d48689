/**
 * Migration 007 on a ledger written before it: the postings move into their entries' rows and
 * nothing else changes (every posting, every cached balance), and the ledger keeps working.
 */
import type { Sql } from '../db/client';
import { useDatabaseBefore } from './harness/database-before';
import { listMigrations, migrate } from '../db/migrate';
import { ambassador, ambassadorBalances, ledgerEntryProblems, ledgerInconsistencies, postEntry, system } from '../ledger';

const db = useDatabaseBefore(6, { name: 'migration' });
let sql: Sql;
const before007 = db.migrationsUpTo();
beforeAll(() => {
  sql = db.sql();
});

/** An entry through the database function of migrations 004/006 (the only writer then). */
async function postOld(entry: { key: string; kind: string; amb: string; postings: [string | null, string, number][] }) {
  await sql`SELECT * FROM ledger_post_entry(${sql.json({
    idempotencyKey: entry.key,
    kind: entry.kind,
    ambassadorId: entry.amb,
    orderId: `o-${entry.key}`,
    postings: entry.postings.map(([ambassadorId, kind, amountYunqi]) => ({ ambassadorId, kind, amountYunqi })),
  } as never)})`;
}

test('migration 007 moves every posting into its entry and keeps every balance', async () => {
  expect(await migrate(sql, before007)).toHaveLength(6);
  for (const id of ['m-a', 'm-b', 'm-c']) {
    await sql`
      INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
      VALUES (${id}, ${id}, ${`acct-${id}`}, 'individual', ${id}, true, ${`hash-${id}`}, now(), '2024-06-01')`;
  }
  await postOld({ key: 'g-a', kind: 'reward.granted', amb: 'm-a', postings: [[null, 'rewards_expense', -5000], ['m-a', 'pending', 5000]] });
  await postOld({ key: 'c-a', kind: 'reward.credited', amb: 'm-a', postings: [['m-a', 'pending', -2500], ['m-a', 'available', 2500]] });
  await postOld({ key: 'r-a', kind: 'withdrawal.reserved', amb: 'm-a', postings: [['m-a', 'available', -2000], ['m-a', 'reserved', 2000]] });
  await postOld({ key: 't-a', kind: 'withdrawal.tax_withheld', amb: 'm-a', postings: [['m-a', 'reserved', -300], [null, 'tax_payable', 300]] });
  await postOld({ key: 'g-b', kind: 'reward.granted', amb: 'm-b', postings: [['m-b', 'pending', 700], [null, 'rewards_expense', -700]] });
  // Three postings, two of them on one account (allowed then): they become one posting.
  await postOld({
    key: 'x-b',
    kind: 'reward.clawback',
    amb: 'm-b',
    postings: [['m-b', 'pending', -100], [null, 'rewards_expense', 150], ['m-b', 'pending', -50]],
  });
  const postingsBefore = await sql<{ entry_id: number; account_id: number; amount: number }[]>`
    SELECT entry_id, account_id, sum(amount_yunqi)::bigint AS amount FROM postings GROUP BY 1, 2 ORDER BY 1, 2`;
  const balancesBefore = await sql`SELECT account_id, balance_yunqi FROM account_balances ORDER BY account_id`;
  const entriesBefore = await sql`SELECT id, idempotency_key, kind, ambassador_id, order_id FROM journal_entries ORDER BY id`;

  expect(await migrate(sql)).toEqual(listMigrations().filter((m) => m.version > 6).map((m) => m.name));

  const postingsAfter = await sql<{ entry_id: number; account_id: number; amount: number }[]>`
    SELECT entry_id, account_id, amount_yunqi AS amount FROM postings ORDER BY entry_id, position`;
  expect(postingsAfter).toEqual(postingsBefore);
  expect(await sql`SELECT account_id, balance_yunqi FROM account_balances WHERE account_id IN ${sql(balancesBefore.map((b) => b.account_id as number))} ORDER BY account_id`).toEqual(
    balancesBefore,
  );
  expect(await sql`SELECT id, idempotency_key, kind, ambassador_id, order_id FROM journal_entries ORDER BY id`).toEqual(entriesBefore);
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  expect(await ledgerEntryProblems(sql)).toEqual([]);
  // Every ambassador now has its four accounts (m-c had none).
  const [n] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ledger_accounts WHERE ambassador_id = 'm-c'`;
  expect(n!.n).toBe(4);

  // The ledger goes on: a credit through postEntry, and the old key is still a duplicate.
  const credit = {
    kind: 'reward.credited',
    ambassadorId: 'm-a',
    postings: [
      { account: ambassador('m-a', 'pending'), amountYunqi: -2500 },
      { account: ambassador('m-a', 'available'), amountYunqi: 2500 },
    ],
  };
  expect((await postEntry(sql, { ...credit, idempotencyKey: 'c-a' })).duplicate).toBe(true);
  expect((await postEntry(sql, { ...credit, idempotencyKey: 'c2-a' })).duplicate).toBe(false);
  expect(await ambassadorBalances(sql, 'm-a')).toEqual({ pending: 0, available: 3000, reserved: 1700, paid_out: 0 });
  await postEntry(sql, {
    idempotencyKey: 'g-c',
    kind: 'reward.granted',
    ambassadorId: 'm-c',
    postings: [
      { account: system('rewards_expense'), amountYunqi: -10 },
      { account: ambassador('m-c', 'pending'), amountYunqi: 10 },
    ],
  });
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  expect(await ledgerEntryProblems(sql)).toEqual([]);
});
