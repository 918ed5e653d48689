/**
 * Migration 061 on webhooks fanned out by the old cursor: what the cursors had not reached is
 * fanned out once (by each webhook's event types), nothing is delivered twice, and from then on
 * the queue feeds the fan-out: a webhook registered later receives only what is written after it.
 */
import type { Sql } from '../db/client';
import { useDatabaseBefore } from './harness/database-before';
import { migrate } from '../db/migrate';
import { fanOut, insertWebhook } from '../db/repositories/outbox';

const db = useDatabaseBefore(60, { name: 'outbox_migration', max: 2 });
let sql: Sql;
const before061 = db.migrationsUpTo();
beforeAll(() => {
  sql = db.sql();
});

const event = async (type: string): Promise<number> =>
  ((await sql`INSERT INTO outbox_events (type, payload) VALUES (${type}, '{}') RETURNING id`) as unknown as [{ id: number }])[0].id;
const deliveries = async (webhook: string): Promise<number[]> =>
  ((await sql`SELECT event_id::int AS e FROM webhook_deliveries WHERE webhook_id = ${webhook} ORDER BY event_id`) as unknown as { e: number }[]).map((r) => r.e);

test('migration 061 fans out what the old cursors had not reached, once; then the queue feeds new events to the webhooks registered before them', async () => {
  await migrate(sql, before061);
  await sql`INSERT INTO webhooks (id, url, secret, created_by) VALUES ('wh_all', 'http://x/all', 's', 'ops')`;
  await sql`INSERT INTO webhooks (id, url, secret, event_types, created_by) VALUES ('wh_ledger', 'http://x/ledger', 's', '{ledger.}', 'ops')`;
  const e1 = await event('order.state_changed');
  // e1 was fanned out to wh_all by the old cursor; e2 and e3 were not yet.
  await sql`INSERT INTO webhook_deliveries (webhook_id, event_id) VALUES ('wh_all', ${e1})`;
  await sql`UPDATE webhooks SET cursor_txid = (SELECT txid FROM outbox_events WHERE id = ${e1}), cursor_id = ${e1} WHERE id = 'wh_all'`;
  const e2 = await event('order.state_changed');
  const e3 = await event('ledger.reward.granted');
  await migrate(sql);

  expect(await deliveries('wh_all')).toEqual([e1, e2, e3]);
  expect(await deliveries('wh_ledger')).toEqual([e3]);
  expect(await fanOut(sql, 100)).toBe(0);

  const later = await insertWebhook(sql, { id: 'wh_later', url: 'http://x/later', secret: 's', eventTypes: [], description: null, createdBy: 'ops' });
  expect(Number((later as unknown as { after_event_id: string }).after_event_id)).toBe(e3);
  const e4 = await event('ledger.withdrawal.paid');
  expect(await fanOut(sql, 100)).toBe(3);
  expect(await deliveries('wh_all')).toEqual([e1, e2, e3, e4]);
  expect(await deliveries('wh_ledger')).toEqual([e3, e4]);
  expect(await deliveries('wh_later')).toEqual([e4]);
  expect(await sql`SELECT * FROM outbox_pending`).toHaveLength(0);
});
