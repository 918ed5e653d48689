/**
 * Balances folded from the journal (migration 063, issue 16: the two balance UPDATEs of every entry
 * kept grants and credits at 32 connections under half a plain insert's rate). An entry writes no
 * balance row; a balance read is its folded row plus the entries above the horizon, so it is the
 * same before and after a fold; a ledger written before 063 keeps every balance and is not folded
 * twice; the withdrawal lock's reader sees the entry of the withdrawal it waited for.
 */
import type { Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { foldJournal } from '../db/repositories/journal-fold';
import { ambassador, ambassadorBalances, ledgerEntryProblems, ledgerInconsistencies, postEntry, system, systemBalance } from '../ledger';
import { lockAvailable } from '../ledger/locks';
import { useDatabaseBefore } from './harness/database-before';
import { clawback, creditInstallment, grantReward } from './harness/ledger-fixtures';

const db = useDatabaseBefore(62, { name: 'balances_folded', max: 6 });
let sql: Sql;
beforeAll(() => {
  sql = db.sql();
});

const rows = async () =>
  (await sql`SELECT account_id::int AS id, balance_yunqi::int AS yunqi FROM account_balances WHERE balance_yunqi <> 0 ORDER BY account_id`) as unknown as { id: number; yunqi: number }[];
const horizon = async () => (await sql<{ h: number }[]>`SELECT balances_through_id AS h FROM journal_horizon`)[0]!.h;
const sound = async () => expect([...(await ledgerInconsistencies(sql)), ...(await ledgerEntryProblems(sql))]).toEqual([]);

test('063 on a ledger written before it keeps every balance, and a fold adds none of its entries again', async () => {
  await migrate(sql, db.migrationsUpTo());
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    SELECT id, id, 'acct-' || id, 'individual', id, true, 'hash-' || id, now(), '2024-06-01' FROM unnest(ARRAY['bf-a', 'bf-b']) AS id`;
  await grantReward(sql, 'bf-a', 'bf-o1', 1000);
  await creditInstallment(sql, 'bf-a', 'bf-o1', 1, 500);
  await grantReward(sql, 'bf-b', 'bf-o2', 300);
  const before = await rows();
  expect(before.length).toBeGreaterThan(0);

  await migrate(sql);
  expect(await rows()).toEqual(before);
  expect(await ambassadorBalances(sql, 'bf-a')).toEqual({ pending: 500, available: 500, reserved: 0, paid_out: 0 });
  await foldJournal(sql, 100);
  expect(await rows()).toEqual(before);
  expect(await ambassadorBalances(sql, 'bf-a')).toEqual({ pending: 500, available: 500, reserved: 0, paid_out: 0 });
  expect(await systemBalance(sql, 'rewards_expense')).toBe(-1300);
  await sound();
});

test('an entry writes no balance row; its balances read the same before and after the fold', async () => {
  const rowsBefore = await rows();
  const h = await horizon();
  await grantReward(sql, 'bf-b', 'bf-o3', 700);
  await creditInstallment(sql, 'bf-b', 'bf-o2', 1, 300);
  await clawback(sql, 'bf-a', 'bf-o1', 800);
  // Written, not folded: the rows are as they were; every reader adds the entries above the horizon.
  expect(await rows()).toEqual(rowsBefore);
  const expected = {
    a: { pending: 500, available: -300, reserved: 0, paid_out: 0 },
    b: { pending: 700, available: 300, reserved: 0, paid_out: 0 },
    expense: -1300 - 700 + 800,
  };
  const read = async () => ({ a: await ambassadorBalances(sql, 'bf-a'), b: await ambassadorBalances(sql, 'bf-b'), expense: await systemBalance(sql, 'rewards_expense') });
  expect(await read()).toEqual(expected);
  expect(await sql`SELECT ambassador_id, balance_yunqi::int AS yunqi FROM ledger_balances_now() WHERE kind = 'available' AND balance_yunqi < 0`).toEqual([
    { ambassador_id: 'bf-a', yunqi: -300 },
  ]);
  await sound();

  expect(await foldJournal(sql, 100)).toBe(3);
  expect(await horizon()).toBeGreaterThan(h);
  expect(await rows()).not.toEqual(rowsBefore);
  expect(await read()).toEqual(expected);
  // Folded, the rows alone are the balances, and they still sum to zero.
  const [{ total }] = (await sql`SELECT coalesce(sum(balance_yunqi), 0)::int AS total FROM account_balances`) as unknown as [{ total: number }];
  expect(total).toBe(0);
  expect(await sql`SELECT balance_yunqi::int AS yunqi FROM account_balances b JOIN ledger_accounts a ON a.id = b.account_id WHERE a.ambassador_id = 'bf-b' AND a.kind = 'pending'`).toEqual([
    { yunqi: 700 },
  ]);
  await sound();
});

test('a withdrawal waiting for the ambassador lock reads the balance that the one before it left', async () => {
  await creditInstallment(sql, 'bf-b', 'bf-o3', 1, 700); // available 1000
  let locked!: () => void;
  const holding = new Promise<void>((r) => (locked = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const first = sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const available = await lockAvailable(tx, 'bf-b');
    locked();
    await released;
    await postEntry(tx, {
      idempotencyKey: 'bf-reserve-1',
      kind: 'withdrawal.reserved',
      ambassadorId: 'bf-b',
      postings: [
        { account: ambassador('bf-b', 'available'), amountYunqi: -600 },
        { account: ambassador('bf-b', 'reserved'), amountYunqi: 600 },
      ],
    });
    return available;
  });
  await holding;
  // The second waits for the first's lock, then reads after the first's entry has committed.
  const second = sql.begin(async (t) => lockAvailable(t as unknown as Sql, 'bf-b'));
  await new Promise((r) => setTimeout(r, 200));
  release();
  expect(await first).toBe(1000);
  expect(await second).toBe(400);
  expect(await systemBalance(sql, 'rewards_expense')).toBe(-1300 - 700 + 800);
  await sound();
});

test('the fold leaves no entry out and none twice under concurrent writers', async () => {
  const ambs = ['bf-a', 'bf-b'];
  const expectedBefore = { a: await ambassadorBalances(sql, 'bf-a'), b: await ambassadorBalances(sql, 'bf-b') };
  let writing = true;
  const folding = (async () => {
    let folds = 0;
    while (writing) folds += await foldJournal(sql, 7);
    return folds;
  })();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 25; i++) await grantReward(sql, ambs[(w + i) % 2]!, `bf-c-${w}-${i}`, 10);
    }),
  );
  writing = false;
  await folding;
  while ((await foldJournal(sql, 100)) > 0);
  expect((await ambassadorBalances(sql, 'bf-a')).pending).toBe(expectedBefore.a.pending + 500);
  expect((await ambassadorBalances(sql, 'bf-b')).pending).toBe(expectedBefore.b.pending + 500);
  expect(await systemBalance(sql, 'rewards_expense')).toBe(-1300 - 700 + 800 - 1000);
  expect(await sql`SELECT count(*)::int AS n FROM journal_entries WHERE id > (SELECT balances_through_id FROM journal_horizon)`).toEqual([{ n: 0 }]);
  await sound();
});

test('a correction names an entry that exists: the check refuses any other (the foreign key it replaces)', async () => {
  const [granted] = await sql<{ id: number }[]>`SELECT id FROM journal_entries WHERE idempotency_key = 'order:bf-o3:granted'`;
  const reversal = (key: string, reversesEntry: number) => ({
    idempotencyKey: key,
    kind: 'reward.voided',
    ambassadorId: 'bf-b',
    reversesEntry,
    postings: [
      { account: ambassador('bf-b', 'pending'), amountYunqi: -1 },
      { account: system('rewards_expense'), amountYunqi: 1 },
    ],
  });
  await expect(postEntry(sql, reversal('bf-rev-missing', granted!.id + 1_000_000))).rejects.toThrow(/reverses entry \d+, which does not exist/);
  expect(await postEntry(sql, reversal('bf-rev', granted!.id))).toMatchObject({ duplicate: false });
  expect(await sql`SELECT reverses_entry::int AS r FROM journal_entries WHERE idempotency_key = 'bf-rev'`).toEqual([{ r: granted!.id }]);
  await sound();
});
