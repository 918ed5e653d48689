/**
 * The ledger's invariants as the database enforces them (append-only, balanced entries, unique
 * idempotency keys, cached balances that agree; migration 007), and the withdrawal ledger operations'
 * idempotency and state rules.
 */
import { createTestDatabase } from './harness/context';
import type { Sql } from '../db/client';
import { defaultRuleBook } from '../domain/rulesets';
import { LedgerError, accountId, ambassador, ambassadorBalances, ledgerEntryProblems, ledgerInconsistencies, postEntry, system, systemBalance } from '../ledger';
import { releaseWithdrawal, requestWithdrawal, settleWithdrawal } from '../services/withdrawals';
import { postEntries, postEntry as postEntryRoundTrip } from '../ledger';
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

test('entries, their postings and accounts are append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
  const id = await someEntry();
  await expect(sql`UPDATE journal_entries SET kind = 'x' WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`UPDATE journal_entries SET amounts = ARRAY[-1, 1] WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`DELETE FROM journal_entries WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(sql`TRUNCATE journal_entries CASCADE`).rejects.toThrow(/append-only/);
  // Postings are part of their entry's row (migration 007); the postings view takes no writes.
  await expect(sql`UPDATE postings SET amount_yunqi = amount_yunqi * 2 WHERE entry_id = ${id}`).rejects.toThrow(/cannot update view/);
  await expect(sql`DELETE FROM postings WHERE entry_id = ${id}`).rejects.toThrow(/cannot delete from view/);
  const [acc] = await sql<{ account_id: number }[]>`SELECT account_id FROM postings WHERE entry_id = ${id} LIMIT 1`;
  await expect(sql`UPDATE ledger_accounts SET kind = 'available' WHERE id = ${acc!.account_id}`).rejects.toThrow(/append-only/);
  await expect(sql`DELETE FROM ledger_accounts WHERE id = ${acc!.account_id}`).rejects.toThrow(/append-only/);
});

test('an entry whose postings do not sum to zero is refused, even written by hand', async () => {
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
  const [expense, avail] = [await accountId(sql, system('rewards_expense')), await accountId(sql, ambassador(a.id, 'available'))];
  await expect(
    sql`INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, account_ids, amounts)
        VALUES (${`by-hand-${a.id}`}, 'test', ${a.id}, ${sql.array([expense, avail]) as never}::bigint[], ARRAY[-99, 100])`,
  ).rejects.toThrow(/does not balance \(sum 1, 2 postings/);
  expect((await ambassadorBalances(sql, a.id)).available).toBe(0);
});

test('the database checks every entry as it is written: two or more postings, ascending accounts, non-zero amounts summing to zero, existing accounts of its own ambassador', async () => {
  const [a, other] = [await createAmbassador(sql), await createAmbassador(sql)];
  const [pend, avail] = [await accountId(sql, ambassador(a.id, 'pending')), await accountId(sql, ambassador(a.id, 'available'))];
  const othersAvail = await accountId(sql, ambassador(other.id, 'available'));
  let n = 0;
  const byHand = (ids: number[], amounts: number[], amb: string | null = a.id) =>
    sql`INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, account_ids, amounts)
        VALUES (${`hand-${a.id}-${++n}`}, 'test', ${amb}, ${sql.array(ids) as never}::bigint[], ${sql.array(amounts) as never}::bigint[])`;
  await expect(byHand([], [])).rejects.toThrow(/does not balance \(0 postings, 0 amounts/);
  await expect(byHand([avail], [100])).rejects.toThrow(/does not balance \(1 postings/);
  await expect(byHand([pend, avail], [100])).rejects.toThrow(/does not balance \(2 postings, 1 amounts/);
  await expect(byHand([pend, avail, avail + 10_000], [-100, 100, 1])).rejects.toThrow(/does not exist/);
  await expect(byHand([pend, avail], [-100, 101])).rejects.toThrow(/does not balance \(sum 1, 2 postings/);
  await expect(byHand([avail, pend], [100, -100])).rejects.toThrow(/ascending, each account once/);
  await expect(byHand([avail, avail], [100, -100])).rejects.toThrow(/ascending, each account once/);
  await expect(byHand([pend, avail], [0, 0])).rejects.toThrow(/non-zero/);
  await expect(byHand([avail, othersAvail], [-100, 100])).rejects.toThrow(/belongs to another ambassador/);
  await expect(byHand([pend, avail], [-100, 100], null)).rejects.toThrow(/belongs to another ambassador/);
  expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: 0, available: 0 });
  // A balanced entry written by hand is accepted, and its balances follow.
  await byHand([pend, avail], [-100, 100]);
  expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: -100, available: 100 });
  // A posting cannot be added to an entry afterwards: the postings view takes no INSERT.
  const [e] = await sql<{ id: number }[]>`SELECT id FROM journal_entries WHERE idempotency_key = ${`hand-${a.id}-${n}`}`;
  await expect(sql`INSERT INTO postings (entry_id, account_id, amount_yunqi) VALUES (${e!.id}, ${avail}, 5)`).rejects.toThrow(/cannot insert into view/);
  // An entry written inside a savepoint.
  const posted = await sql.begin((tx) =>
    tx.savepoint((sp) =>
      postEntry(sp as unknown as Sql, {
        idempotencyKey: `sp-${a.id}`,
        kind: 'test',
        ambassadorId: a.id,
        postings: [
          { account: ambassador(a.id, 'pending'), amountYunqi: 40 },
          { account: ambassador(a.id, 'available'), amountYunqi: -40 },
        ],
      }),
    ),
  );
  expect(posted.duplicate).toBe(false);
  expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: -60, available: 60 });
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM postings WHERE entry_id = ${posted.entryId}`;
  expect(row!.n).toBe(2);
});

test('ledger_entry_problems() finds an entry of system accounts alone that names no existing ambassador', async () => {
  const [expense, tax] = [await accountId(sql, system('rewards_expense')), await accountId(sql, system('tax_payable'))];
  await expect(
    sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      await t`INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, account_ids, amounts)
              VALUES ('ghost-entry', 'test', 'nobody', ${sql.array([expense, tax]) as never}::bigint[], ARRAY[-1, 1])`;
      expect(await ledgerEntryProblems(t)).toEqual([{ entry_id: expect.any(Number), problem: 'names an ambassador who does not exist' }]);
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');
  expect(await ledgerEntryProblems(sql)).toEqual([]);
});

test('cached account ids: one cache per pool, and an id whose account was rolled back is resolved again', async () => {
  // postEntry keys its account-id cache on the pool's json helper: shared by transactions.
  await sql.begin(async (tx) => expect((tx as unknown as Sql).json).toBe(sql.json));
  const id = `amb-rolled-back-${Date.now()}`;
  const entry = (key: string) => ({
    idempotencyKey: key,
    kind: 'test',
    ambassadorId: id,
    postings: [
      { account: ambassador(id, 'pending'), amountYunqi: -10 },
      { account: ambassador(id, 'reserved'), amountYunqi: 10 },
    ],
  });
  // The ambassador, its accounts (created with it) and an entry, in a transaction that rolls
  // back: the account ids postEntry cached there name nothing now.
  await expect(
    sql.begin(async (tx) => {
      await createAmbassador(tx as unknown as Sql, { id });
      await postEntry(tx as unknown as Sql, entry(`rolled-${id}`));
      throw new Error('caller gives up');
    }),
  ).rejects.toThrow('caller gives up');
  await createAmbassador(sql, { id });
  // Inside a transaction the stale id fails the transaction (nothing is written) and is forgotten…
  await expect(sql.begin((tx) => postEntry(tx as unknown as Sql, entry(`tx-${id}`)))).rejects.toThrow(/does not exist/);
  expect(await ambassadorBalances(sql, id)).toMatchObject({ pending: 0, reserved: 0 });
  // …so the caller's retry posts; on the pool, postEntry retries by itself.
  expect((await sql.begin((tx) => postEntry(tx as unknown as Sql, entry(`tx-${id}`)))).duplicate).toBe(false);
  await expect(
    sql.begin(async (tx) => {
      await createAmbassador(tx as unknown as Sql, { id: `${id}-2` });
      await postEntry(tx as unknown as Sql, { ...entry(`rolled-2-${id}`), ambassadorId: `${id}-2`, postings: entry('').postings.map((p) => ({ ...p, account: ambassador(`${id}-2`, p.account.kind as 'pending') })) });
      throw new Error('caller gives up');
    }),
  ).rejects.toThrow('caller gives up');
  await createAmbassador(sql, { id: `${id}-2` });
  expect((await postEntry(sql, { ...entry(`pool-${id}`), ambassadorId: `${id}-2`, postings: entry('').postings.map((p) => ({ ...p, account: ambassador(`${id}-2`, p.account.kind as 'pending') })) })).duplicate).toBe(false);
  expect(await ambassadorBalances(sql, id)).toMatchObject({ pending: -10, reserved: 10 });
  expect(await ambassadorBalances(sql, `${id}-2`)).toMatchObject({ pending: -10, reserved: 10 });
});

test('postEntry refuses malformed entries before the database (same LedgerError codes)', async () => {
  const a = await createAmbassador(sql);
  const p = (x: number) => ({ account: ambassador(a.id, 'available'), amountYunqi: x });
  const base = { idempotencyKey: `bad-${a.id}`, kind: 'test', ambassadorId: a.id };
  const code = (entry: Parameters<typeof postEntry>[1]) => postEntry(sql, entry).then(() => 'posted', (e: LedgerError) => e.code);
  expect(await code({ ...base, idempotencyKey: '', postings: [p(1), p(-1)] })).toBe('invalid_entry');
  expect(await code({ ...base, postings: [p(1)] })).toBe('invalid_entry');
  expect(await code({ ...base, postings: [p(0), p(0)] })).toBe('invalid_entry');
  expect(await code({ ...base, postings: [p(1.5), p(-1.5)] })).toBe('invalid_entry');
  expect(await code({ ...base, postings: [p(2), p(-1)] })).toBe('unbalanced_entry');
  expect(await code({ ...base, postings: [p(5), p(-2), { account: system('rewards_expense'), amountYunqi: -3 }] })).toBe('invalid_entry'); // available twice
  const [n] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM journal_entries WHERE idempotency_key = ${base.idempotencyKey}`;
  expect(n!.n).toBe(0);
});

test('postEntry inside the caller\'s transaction commits and rolls back with it', async () => {
  const a = await createAmbassador(sql);
  const entry = (key: string) => ({
    idempotencyKey: key,
    kind: 'test',
    ambassadorId: a.id,
    postings: [
      { account: system('rewards_expense'), amountYunqi: -30 },
      { account: ambassador(a.id, 'available'), amountYunqi: 30 },
    ],
  });
  await expect(
    sql.begin(async (tx) => {
      await postEntry(tx as unknown as Sql, entry(`tx-rolled-back-${a.id}`));
      throw new Error('caller gives up');
    }),
  ).rejects.toThrow('caller gives up');
  const [first, again] = (await sql.begin(async (tx) => {
    const t = tx as unknown as Sql;
    return [await postEntry(t, entry(`tx-${a.id}`)), await postEntry(t, entry(`tx-${a.id}`))];
  })) as [Awaited<ReturnType<typeof postEntry>>, Awaited<ReturnType<typeof postEntry>>];
  expect(again).toEqual({ entryId: first.entryId, duplicate: true });
  expect((await postEntry(sql, entry(`tx-rolled-back-${a.id}`))).duplicate).toBe(false);
  expect((await ambassadorBalances(sql, a.id)).available).toBe(60);
});

test('concurrent entries over the same accounts, in both directions, neither deadlock nor lose an update', async () => {
  const a = await createAmbassador(sql);
  const n = 40;
  // Every entry touches the same three rows (two system accounts and a's), listed in either order.
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const postings = [
        { account: system('tax_payable'), amountYunqi: i % 2 ? i + 1 : -(i + 1) },
        { account: system('rewards_expense'), amountYunqi: i % 2 ? -(i + 2) : i + 2 },
        { account: ambassador(a.id, 'available'), amountYunqi: i % 2 ? 1 : -1 },
      ];
      return postEntry(sql, { idempotencyKey: `race-${a.id}-${i}`, kind: 'test', ambassadorId: a.id, postings: i % 2 ? postings : postings.reverse() });
    }),
  );
  expect(results.every((r) => !r.duplicate)).toBe(true);
  expect((await ambassadorBalances(sql, a.id)).available).toBe(0); // +1 on odd i, −1 on even i
});

test('fifty concurrent first withdrawals neither deadlock nor overdraw', async () => {
  const a = await createAmbassador(sql);
  await completedOrder(sql, a.id, 1000_00);
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, () =>
      requestWithdrawal(sql, { ambassador: { id: a.id, kind: 'individual' }, amountYunqi: 30_00, nowMs: NOW, ruleBook: book }),
    ),
  );
  expect(outcomes.filter((o) => o.ok)).toHaveLength(33); // 33 × 30 = 990 ≤ 1000 < 34 × 30
  expect(await ambassadorBalances(sql, a.id)).toMatchObject({ available: 10_00, reserved: 990_00 });
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
  // Written by hand, the same entry again is refused by the unique key (the entry check passes it).
  const [row] = await sql<{ account_ids: number[]; amounts: number[] }[]>`SELECT account_ids, amounts FROM journal_entries WHERE id = ${first.entryId}`;
  await expect(
    sql`INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, account_ids, amounts)
        VALUES (${entry.idempotencyKey}, 'x', ${a.id}, ${sql.array(row!.account_ids) as never}::bigint[], ${sql.array(row!.amounts) as never}::bigint[])`,
  ).rejects.toThrow(/unique/);
});

test('the same key posted twenty times at once is applied once, and every caller gets its entry', async () => {
  const a = await createAmbassador(sql);
  const entry = {
    idempotencyKey: `order:race-${a.id}:installment:1`,
    kind: 'reward.credited',
    ambassadorId: a.id,
    postings: [
      { account: system('rewards_expense'), amountYunqi: -700 },
      { account: ambassador(a.id, 'available'), amountYunqi: 700 },
    ],
  };
  const results = await Promise.all(Array.from({ length: 20 }, () => postEntry(sql, entry)));
  expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
  expect((await ambassadorBalances(sql, a.id)).available).toBe(700);
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
  expect(await ambassadorBalances(sql, a.id)).toEqual({ pending: 0, available: 700_000, reserved: 0, paid_out: 256_000 });
  expect((await systemBalance(sql, 'tax_payable')) - taxBefore).toBe(44_000);
  const [month] = await sql<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${a.id} AND month = '2024-07'`;
  expect(month).toEqual({ gross_yunqi: 300_000, tax_yunqi: 44_000 });
  // A payout reported for the released one is taken into the ledger, never refused (a refusal
  // would be retried forever): the gross comes back out of available.
  const late = await settleWithdrawal(sql, { withdrawalId: w2.withdrawal.id, providerRef: 'p2', nowMs: NOW });
  expect(late).toMatchObject({ status: 'paid', provider_ref: 'p2', paid_after_release_at: expect.any(Date), failed_at: expect.any(Date) });
  expect(await ambassadorBalances(sql, a.id)).toMatchObject({ available: 500_000, reserved: 0 });
});

test('every ambassador account plus the system accounts sums to zero', async () => {
  const [row] = await sql<{ total: number }[]>`SELECT coalesce(sum(balance_yunqi), 0)::bigint AS total FROM account_balances`;
  expect(row!.total).toBe(0);
});

describe('ledger/post.ts names, and batches through ledger_post_entries', () => {
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
    // Past the TypeScript check (a hand-built call): the database refuses it.
    await expect(
      sql`SELECT * FROM ledger_post_entries(${sql.json([{ idempotencyKey: `b5-${a.id}`, kind: 'x', ambassadorId: a.id, postings: [{ ambassadorId: a.id, kind: 'available', amountYunqi: 5 }, { ambassadorId: null, kind: 'rewards_expense', amountYunqi: -4 }] }] as never)})`,
    ).rejects.toThrow(/does not balance/);
    expect(await ambassadorBalances(sql, a.id)).toMatchObject({ pending: -30, available: 30 });
  });
});
