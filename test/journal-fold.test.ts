/**
 * Ledger entries' metrics and outbox events folded from the journal (migration 062, issue 16: the
 * three rows each entry wrote in its own transaction cost credits half their rate). The counters
 * are exact at every read, before and after a fold; each entry gets one event, once; an entry
 * still being written is never passed over, while a transaction left open in another database is
 * not waited for; a ledger written before 062 is neither counted nor sent twice.
 */
import type { Sql } from '../db/client';
import { createSql } from '../db/client';
import { useDatabaseBefore } from './harness/database-before';
import { migrate } from '../db/migrate';
import { grantReward } from './harness/ledger-fixtures';
import { counters } from '../db/repositories/ops-metrics';
import { foldJournal } from '../db/repositories/journal-fold';
import { fanOut, insertWebhook } from '../db/repositories/outbox';

const db = useDatabaseBefore(61, { name: 'journal_fold', max: 6 });
let sql: Sql;
beforeAll(() => {
  sql = db.sql();
});

let seq = 0;
/** A reward.granted entry of a new order of `amb`; answers the order's id. */
const grant = async (db: Sql, amb: string, yunqi: number): Promise<string> => {
  const orderId = `o-fold-${++seq}`;
  await grantReward(db, amb, orderId, yunqi);
  return orderId;
};
const ledgerCounts = async () => (await counters(sql)).filter((c) => c.metric === 'ledger').map((c) => ({ kind: c.label1, n: Number(c.n), yunqi: Number(c.yunqi) }));
const eventsPerEntry = async () =>
  ((await sql`SELECT j.id::int AS entry, count(e.id)::int AS events FROM journal_entries j LEFT JOIN outbox_events e ON e.entry_id = j.id GROUP BY j.id ORDER BY j.id`) as unknown as { entry: number; events: number }[]).map((r) => r.events);
const deliveriesOf = async (webhook: string) =>
  ((await sql`SELECT j.order_id FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id JOIN journal_entries j ON j.id = e.entry_id WHERE d.webhook_id = ${webhook} ORDER BY j.id`) as unknown as { order_id: string }[]).map((r) => r.order_id);

test('062 on a ledger written before it: nothing counted or sent twice; then every entry is counted at once and gets one event when folded', async () => {
  await migrate(sql, db.migrationsUpTo());
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    SELECT id, id, 'acct-' || id, 'individual', id, true, 'hash-' || id, now(), '2024-06-01' FROM unnest(ARRAY['amb-a', 'amb-b']) AS id`;
  await sql`INSERT INTO webhooks (id, url, secret, created_by) VALUES ('wh_old', 'http://x/old', 's', 'ops')`;
  await grant(sql, 'amb-a', 100);
  await grant(sql, 'amb-a', 200);
  await migrate(sql);
  expect(await ledgerCounts()).toEqual([{ kind: 'reward.granted', n: 2, yunqi: 300 }]);
  expect(await foldJournal(sql, 100)).toBe(0);
  expect(await eventsPerEntry()).toEqual([1, 1]);

  const later = await insertWebhook(sql, { id: 'wh_new', url: 'http://x/new', secret: 's', eventTypes: ['ledger.'], description: null, createdBy: 'ops' });
  expect(later.id).toBe('wh_new');
  const after = await grant(sql, 'amb-b', 50);
  // Counted before it is folded, and the same after: the metrics never miss or double an entry.
  expect(await ledgerCounts()).toEqual([{ kind: 'reward.granted', n: 3, yunqi: 350 }]);
  expect(await foldJournal(sql, 100)).toBe(1);
  expect(await foldJournal(sql, 100)).toBe(0);
  expect(await ledgerCounts()).toEqual([{ kind: 'reward.granted', n: 3, yunqi: 350 }]);
  expect(await eventsPerEntry()).toEqual([1, 1, 1]);
  await fanOut(sql, 100);
  expect((await deliveriesOf('wh_old')).length).toBe(3);
  expect(await deliveriesOf('wh_new')).toEqual([after]);
});

test('an entry still being written holds the fold back until it commits; a transaction left open in another database does not', async () => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const elsewhere = createSql(adminUrl, { max: 1 });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let openedElsewhere!: () => void;
  const opened = new Promise<void>((r) => (openedElsewhere = r));
  // Another database of the same server, a transaction with an id, left open.
  const other = elsewhere.begin(async (tx) => {
    await tx`SELECT pg_current_xact_id()`;
    openedElsewhere();
    await held;
  });
  await opened;

  let written!: () => void;
  const inFlight = new Promise<void>((r) => (written = r));
  let commit!: () => void;
  const committing = new Promise<void>((r) => (commit = r));
  const slow = sql.begin(async (tx) => {
    await grant(tx as unknown as Sql, 'amb-a', 7);
    written();
    await committing;
  });
  await inFlight;
  await grant(sql, 'amb-b', 11);

  // The entry in flight took its id before the one committed: the fold waits for it, and folds
  // nothing while it has not committed.
  const before = Date.now();
  expect(await foldJournal(sql, 100)).toBe(0);
  expect(Date.now() - before).toBeGreaterThanOrEqual(1_900);
  expect(await ledgerCounts()).toEqual([{ kind: 'reward.granted', n: 4, yunqi: 361 }]);

  setTimeout(commit, 300);
  expect(await foldJournal(sql, 100)).toBe(2);
  await slow;
  expect(await ledgerCounts()).toEqual([{ kind: 'reward.granted', n: 5, yunqi: 368 }]);
  expect(await eventsPerEntry()).toEqual([1, 1, 1, 1, 1]);

  // With only the other database's transaction open, a new entry is folded at once.
  await grant(sql, 'amb-b', 1);
  expect(await foldJournal(sql, 100)).toBe(1);
  release();
  await other;
  await elsewhere.end();
});
