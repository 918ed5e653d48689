/**
 * System accounts spread over shards (migration system_account_shards, issue 16): a ledger written
 * before it keeps every balance and posting (the old system account is shard 0), system
 * balances are the sums of their shards, entries of one ambassador always use one shard, the
 * TypeScript and SQL posting paths agree on it, and grants never wait for each other's locks
 * (since 063, on one shard too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../db/client';
import { listMigrations, migrate } from '../db/migrate';
import { accountId, ambassador, ledgerEntryProblems, ledgerInconsistencies, postEntries, postEntry, system, systemBalance, type EntryInput } from '../ledger';

let admin: Sql;
let sql: Sql;
const name = `t_shards_${process.pid}_${Date.now()}`;
const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-shards-'));
const all = listMigrations();
const shardsAt = all.findIndex((m) => m.name.endsWith('_system_account_shards'));
const KINDS = ['rewards_expense', 'tax_payable', 'payout_clearing'] as const;

beforeAll(async () => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest');
  admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  sql = createSql(u.toString(), { max: 4 });
  for (const m of all.slice(0, shardsAt)) fs.writeFileSync(path.join(before, `${m.name}.sql`), m.sql);
});
afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
  fs.rmSync(before, { recursive: true, force: true });
});

async function createAmbassadors(ids: string[]): Promise<void> {
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    SELECT id, id, 'acct-' || id, 'individual', id, true, 'hash-' || id, now(), '2024-06-01' FROM unnest(${sql.array(ids) as never}::text[]) AS id`;
}

const grant = (amb: string, key: string, yunqi: number): EntryInput => ({
  idempotencyKey: key,
  kind: 'reward.granted',
  ambassadorId: amb,
  orderId: `o-${key}`,
  postings: [
    { account: system('rewards_expense'), amountYunqi: -yunqi },
    { account: ambassador(amb, 'pending'), amountYunqi: yunqi },
  ],
});

/** The system account an entry posted to. */
async function systemAccountOf(key: string): Promise<{ id: number; shard: number }> {
  const [row] = await sql<{ id: number; shard: number }[]>`
    SELECT a.id, a.shard FROM journal_entries j JOIN postings p ON p.entry_id = j.id JOIN ledger_accounts a ON a.id = p.account_id
     WHERE j.idempotency_key = ${key} AND a.ambassador_id IS NULL`;
  return row!;
}

test('a ledger written before the shards keeps every balance; new entries spread over the shards', async () => {
  expect(shardsAt).toBeGreaterThan(0);
  await migrate(sql, before);
  await createAmbassadors(['s-a', 's-b']);
  // Written as the code of then wrote it: the database function of migrations 004/007.
  const postOld = (key: string, amb: string, postings: [string | null, string, number][]) =>
    sql`SELECT * FROM ledger_post_entry(${sql.json({ idempotencyKey: key, kind: 'test', ambassadorId: amb, postings: postings.map(([ambassadorId, kind, amountYunqi]) => ({ ambassadorId, kind, amountYunqi })) } as never)})`;
  await postOld('old-g-a', 's-a', [[null, 'rewards_expense', -5000], ['s-a', 'pending', 5000]]);
  await postOld('old-g-b', 's-b', [[null, 'rewards_expense', -700], ['s-b', 'pending', 700]]);
  await postOld('old-t-a', 's-a', [['s-a', 'pending', -300], [null, 'tax_payable', 300]]);
  const balancesBefore = await sql<{ account_id: number; balance_yunqi: number }[]>`SELECT account_id, balance_yunqi FROM account_balances ORDER BY account_id`;
  const postingsBefore = await sql`SELECT entry_id, account_id, amount_yunqi FROM postings ORDER BY entry_id, position`;
  const systemBefore = await sql<{ id: number; kind: string }[]>`SELECT id, kind FROM ledger_accounts WHERE ambassador_id IS NULL ORDER BY kind`;

  expect(await migrate(sql)).toEqual(all.slice(shardsAt).map((m) => m.name));

  // Nothing written before moved: every balance and posting, and the old system accounts are shard 0.
  expect(await sql`SELECT account_id, balance_yunqi FROM account_balances WHERE account_id IN ${sql(balancesBefore.map((b) => b.account_id))} ORDER BY account_id`).toEqual(balancesBefore);
  expect(await sql`SELECT entry_id, account_id, amount_yunqi FROM postings ORDER BY entry_id, position`).toEqual(postingsBefore);
  for (const s of systemBefore) {
    expect(await sql`SELECT shard FROM ledger_accounts WHERE id = ${s.id}`).toEqual([{ shard: 0 }]);
  }
  const shards = await sql<{ kind: string; n: number; lo: number; hi: number; balance: number }[]>`
    SELECT a.kind, count(*)::int AS n, min(a.shard) AS lo, max(a.shard) AS hi, sum(b.balance_yunqi)::bigint AS balance
      FROM ledger_accounts a JOIN account_balances b ON b.account_id = a.id WHERE a.ambassador_id IS NULL GROUP BY a.kind ORDER BY a.kind`;
  expect(shards.map((s) => [s.kind, s.n, s.lo, s.hi])).toEqual([...KINDS].sort().map((k) => [k, 64, 0, 63]));
  expect(await systemBalance(sql, 'rewards_expense')).toBe(-5700);
  expect(await systemBalance(sql, 'tax_payable')).toBe(300);
  expect(await systemBalance(sql, 'payout_clearing')).toBe(0);
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  expect(await ledgerEntryProblems(sql)).toEqual([]);

  // A key posted before is still answered as a duplicate.
  expect((await postEntry(sql, grant('s-a', 'old-g-a', 5000))).duplicate).toBe(true);

  // Grants of 200 ambassadors, half through postEntry, half through postEntries (SQL).
  const ids = Array.from({ length: 200 }, (_, i) => `s-many-${i}`);
  await createAmbassadors(ids);
  for (const id of ids.slice(0, 100)) await postEntry(sql, grant(id, `new-${id}`, 100));
  await postEntries(sql, ids.slice(100).map((id) => grant(id, `new-${id}`, 100)));
  const used = new Set<number>();
  for (const id of ids) used.add((await systemAccountOf(`new-${id}`)).shard);
  expect(used.size).toBeGreaterThan(40); // 200 ambassadors over 64 shards: about 61 used
  expect(await systemBalance(sql, 'rewards_expense')).toBe(-5700 - 200 * 100);

  // One ambassador: always one shard, whichever path posts, and the one accountId names.
  for (const id of [ids[3]!, ids[150]!]) {
    await postEntry(sql, grant(id, `again-ts-${id}`, 7));
    await postEntries(sql, [grant(id, `again-sql-${id}`, 7)]);
    const first = await systemAccountOf(`new-${id}`);
    expect(await systemAccountOf(`again-ts-${id}`)).toEqual(first);
    expect(await systemAccountOf(`again-sql-${id}`)).toEqual(first);
    expect(await accountId(sql, system('rewards_expense'), id)).toBe(first.id);
  }

  // Accounts stay unique: an ambassador's four come once; a system shard cannot be made twice.
  await createAmbassadors(['s-late']);
  expect(await sql`SELECT kind FROM ledger_accounts WHERE ambassador_id = 's-late' ORDER BY kind`).toEqual(['available', 'paid_out', 'pending', 'reserved'].map((kind) => ({ kind })));
  await expect(sql`INSERT INTO ledger_accounts (ambassador_id, kind) VALUES ('s-late', 'pending')`).rejects.toThrow(/duplicate key/);
  await expect(sql`INSERT INTO ledger_accounts (ambassador_id, kind, shard) VALUES (NULL, 'rewards_expense', 5)`).rejects.toThrow(/duplicate key/);
  await expect(sql`INSERT INTO ledger_accounts (ambassador_id, kind, shard) VALUES ('s-late', 'available', 1)`).rejects.toThrow(/shard_of_system/);
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  expect(await ledgerEntryProblems(sql)).toEqual([]);
});

// On the database migrated above.
test('grants never wait for each other, for ambassadors on different shards or on one (balances are folded, 063)', async () => {
  const ids = Array.from({ length: 80 }, (_, i) => `s-lock-${i}`);
  await createAmbassadors(ids);
  const shardOf = new Map<number, string[]>();
  for (const id of ids) {
    const acct = await accountId(sql, system('rewards_expense'), id);
    shardOf.set(acct, [...(shardOf.get(acct) ?? []), id]);
  }
  const groups = [...shardOf.values()];
  const systemBefore = await systemBalance(sql, 'rewards_expense');
  const [a, b] = [groups[0]![0]!, groups[1]![0]!];
  const sameShard = groups.find((g) => g.length >= 2)!;
  // A's grant is written, its transaction open, while B grants: B must not wait, whether its
  // ambassador's system shard is A's or another (an entry locks no balance row since 063).
  const holding = async (holder: string, other: string, key: string) =>
    sql.begin(async (t1) => {
      await postEntry(t1 as unknown as Sql, grant(holder, `${key}-1`, 10));
      return sql.begin(async (t2) => {
        await t2`SET LOCAL lock_timeout = '2s'`;
        await postEntry(t2 as unknown as Sql, grant(other, `${key}-2`, 10));
      });
    });
  await expect(holding(a, b, 'lock-apart')).resolves.toBeUndefined();
  await expect(holding(sameShard[0]!, sameShard[1]!, 'lock-same')).resolves.toBeUndefined();
  expect(await systemBalance(sql, 'rewards_expense')).toBe(systemBefore - 4 * 10);
  expect(await ledgerInconsistencies(sql)).toEqual([]);
});
