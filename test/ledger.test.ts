/**
 * The ledger's invariants as the database enforces them (append-only, balanced entries, unique
 * idempotency keys, cached balances that agree), and the withdrawal ledger operations'
 * idempotency and state rules.
 */
import { createTestDatabase } from './harness/context';
import type { Sql } from '../db/client';
import { defaultRuleBook } from '../domain/rulesets';
import { LedgerError, accountId, ambassador, ambassadorBalances, ledgerInconsistencies, postEntry, system, systemBalance } from '../ledger';
import { releaseWithdrawal, requestWithdrawal, settleWithdrawal } from '../ledger/withdrawals';
import { postEntries, postEntryRoundTrip } from '../ledger/post';
import { completedOrder, createAmbassador, expectLedgerSound } from './harness/ledger-fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Sql;
const book = defaultRuleBook();
const NOW = Date.parse('2024-07-15T04:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  sql = db.sql;
});
afterAll(async () => {
  await db?.drop();
});
afterEach(async () => {
  await expectLedgerSound(sql);
});

async function someEntry(): Promise<number> {
  const a = await createAmbassador(sql);
  await completedOrder(sql, a.id, 1000);
  const [e] = await sql<{ id: number }[]>`SELECT id FROM journal_entries WHERE ambassador_id = ${a.id} ORDER BY id LIMIT 1`;
  return e!.id;
}

test('entries and postings are append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
  const id = await someEntry();
  await expect(sql`UPDATE journal_entries SET kind = 'x' WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`DELETE FROM journal_entries WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`UPDATE postings SET amount_yunqi = amount_yunqi * 2 WHERE entry_id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`DELETE FROM postings WHERE entry_id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`TRUNCATE postings`).rejects.toThrow(/append-only/);
  await expect(sql`TRUNCATE journal_entries CASCADE`).rejects.toThrow(/append-only/);
});

test('an entry whose postings do not sum to zero is refused at commit, even written by hand', async () => {
  const a = await createAmbassador(sql);
  await expect(
    postEntry(sql, {
      idempotencyKey: 'unbalanced-1',
      kind: 'test',
      ambassadorId: a.id,
      postings: [
        { account: ambassador(a.id, 'available'), amountYunqi: 100 },
        { account: system('rewards_expense'), amountYunqi: -99 },
      ],
    }),
  ).rejects.toThrow(LedgerError);
  await expect(
    sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const [e] = await t<{ id: number }[]>`INSERT INTO journal_entries (idempotency_key, kind) VALUES ('by-hand', 'test') RETURNING id`;
      const acc = await accountId(t, ambassador(a.id, 'available'));
      await t`INSERT INTO postings (entry_id, account_id, amount_yunqi) VALUES (${e!.id}, ${acc}, 100)`;
    }),
  ).rejects.toThrow(/does not balance/);
  expect((await ambassadorBalances(sql, a.id)).available).toBe(0);
});

test('an idempotency key is applied at most once (and is unique in the database)', async () => {
  const a = await createAmbassador(sql);
  const entry = {
    idempotencyKey: `order:o-${a.id}:installment:1`,
    kind: 'reward.credited',
    ambassadorId: a.id,
    postings: [
      { account: system('rewards_expense'), amountYunqi: -500 },
      { account: ambassador(a.id, 'available'), amountYunqi: 500 },
    ],
  };
  const first = await postEntry(sql, entry);
  const again = await postEntry(sql, entry);
  expect(again).toEqual({ entryId: first.entryId, duplicate: true });
  expect((await ambassadorBalances(sql, a.id)).available).toBe(500);
  await expect(sql`INSERT INTO journal_entries (idempotency_key, kind) VALUES (${entry.idempotencyKey}, 'x')`).rejects.toThrow(/unique/);
});

test('ledger_inconsistencies() finds a cached balance that disagrees with its postings', async () => {
  const a = await createAmbassador(sql);
  await completedOrder(sql, a.id, 700);
  const acc = await accountId(sql, ambassador(a.id, 'available'));
  expect(await ledgerInconsistencies(sql)).toEqual([]);
  await sql`UPDATE account_balances SET balance_yunqi = balance_yunqi + 1 WHERE account_id = ${acc}`;
  expect(await ledgerInconsistencies(sql)).toEqual([{ account_id: acc, cached: 701, computed: 700 }]);
  await sql`UPDATE account_balances SET balance_yunqi = balance_yunqi - 1 WHERE account_id = ${acc}`;
});

test('R-WD-4 settle and release are idempotent, and each refuses the other once done', async () => {
  const a = await createAmbassador(sql);
  await completedOrder(sql, a.id, 1_000_000);
  const amb = { id: a.id, kind: 'individual' as const };
  const w1 = await requestWithdrawal(sql, { ambassador: amb, amountYunqi: 300_000, nowMs: NOW, ruleBook: book });
  const w2 = await requestWithdrawal(sql, { ambassador: amb, amountYunqi: 200_000, nowMs: NOW, ruleBook: book });
  if (!w1.ok || !w2.ok) throw new Error('expected reservations');
  expect(w1.withdrawal.tax_yunqi).toBe(44_000);
  const taxBefore = await systemBalance(sql, 'tax_payable');
  const paid = await settleWithdrawal(sql, { withdrawalId: w1.withdrawal.id, providerRef: 'p1', nowMs: NOW });
  expect(await settleWithdrawal(sql, { withdrawalId: w1.withdrawal.id, providerRef: 'p1', nowMs: NOW })).toEqual(paid);
  await expect(releaseWithdrawal(sql, { withdrawalId: w1.withdrawal.id, reason: 'x', nowMs: NOW })).rejects.toThrow(/was paid/);
  const failed = await releaseWithdrawal(sql, { withdrawalId: w2.withdrawal.id, reason: 'refused', nowMs: NOW });
  expect(await releaseWithdrawal(sql, { withdrawalId: w2.withdrawal.id, reason: 'refused', nowMs: NOW })).toEqual(failed);
  await expect(settleWithdrawal(sql, { withdrawalId: w2.withdrawal.id, providerRef: 'p2', nowMs: NOW })).rejects.toThrow(/released/);
  expect(await ambassadorBalances(sql, a.id)).toEqual({ pending: 0, available: 700_000, reserved: 0, paid_out: 256_000 });
  expect((await systemBalance(sql, 'tax_payable')) - taxBefore).toBe(44_000);
  const [month] = await sql<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${a.id} AND month = '2024-07'`;
  expect(month).toEqual({ gross_yunqi: 300_000, tax_yunqi: 44_000 });
});

test('every ambassador account plus the system accounts sums to zero', async () => {
  const [row] = await sql<{ total: number }[]>`SELECT coalesce(sum(balance_yunqi), 0)::bigint AS total FROM account_balances`;
  expect(row!.total).toBe(0);
});

describe('one-round-trip posting (ledger/post.ts)', () => {
  const credit = (ambassadorId: string, key: string, x: number) => ({
    idempotencyKey: key,
    kind: 'reward.credited',
    ambassadorId,
    installment: 1,
    postings: [
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: -x },
      { account: ambassador(ambassadorId, 'available'), amountYunqi: x },
    ],
  });

  test('posts what postEntry posts, at most once per key', async () => {
    const a = await createAmbassador(sql);
    const first = await postEntryRoundTrip(sql, credit(a.id, `rt-${a.id}`, 250));
    expect(first.duplicate).toBe(false);
    expect(await postEntryRoundTrip(sql, credit(a.id, `rt-${a.id}`, 250))).toEqual({ entryId: first.entryId, duplicate: true });
    expect(await postEntry(sql, credit(a.id, `rt-${a.id}`, 250))).toEqual({ entryId: first.entryId, duplicate: true });
    expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: -250, available: 250 });
    const [e] = await sql<{ kind: string; installment: number }[]>`SELECT kind, installment FROM journal_entries WHERE id = ${first.entryId}`;
    expect(e).toEqual({ kind: 'reward.credited', installment: 1 });
  });

  test('a batch is all or nothing, and the database refuses an unbalanced entry in it', async () => {
    const a = await createAmbassador(sql);
    const ok = await postEntries(sql, [credit(a.id, `b1-${a.id}`, 10), credit(a.id, `b2-${a.id}`, 20)]);
    expect(ok.map((r) => r.duplicate)).toEqual([false, false]);
    const bad = { ...credit(a.id, `b4-${a.id}`, 5), postings: [{ account: ambassador(a.id, 'available'), amountYunqi: 5 }, { account: system('rewards_expense'), amountYunqi: -4 }] };
    await expect(postEntries(sql, [credit(a.id, `b3-${a.id}`, 30), bad])).rejects.toThrow(LedgerError);
    // Past the TypeScript check (a hand-built call): the deferred trigger refuses it at commit.
    await expect(
      sql`SELECT * FROM ledger_post_entries(${sql.json([{ idempotencyKey: `b5-${a.id}`, kind: 'x', ambassadorId: a.id, postings: [{ ambassadorId: a.id, kind: 'available', amountYunqi: 5 }, { ambassadorId: null, kind: 'rewards_expense', amountYunqi: -4 }] }] as never)})`,
    ).rejects.toThrow(/does not balance/);
    expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: -30, available: 30 });
  });
});
