/**
 * Events out (issue 14, item 4): the outbox gets an event for each ledger entry (folded from the
 * journal by the delivery round) and each order state change (a trigger, in its transaction); the
 * delivery workflow POSTs each event at least once, with a stable event ID and an HMAC-SHA256
 * signature, to a real HTTP receiver started here; failures are retried with backoff and the delivery log shows every attempt.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed } from './harness/order-fixtures';
import { keepHistory, OPS_HISTORIES_DIR } from './harness/histories';
import { deliveriesStatusQuery, deliveriesWorkflowId } from '../contracts/deliveries';

let ctx: TestContext;
let h: Harness;
useHarness((x) => ({ ctx, h } = x), {
  ledgerSound: true,
  env: { WEBHOOK_RETRY_BASE_SECONDS: '0.2', WEBHOOK_IDLE_MAX_SECONDS: '0.5', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_SECONDS: '2' },
});

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver: records every request; `/flaky` fails each event's first two attempts, `/down` always fails. */
let received: Received[] = [];
let server: http.Server;
let base: string;
beforeAll(async () => {
  const tries = new Map<string, number>();
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const id = String(req.headers['x-event-id']);
      const n = (tries.get(`${req.url}:${id}`) ?? 0) + 1;
      tries.set(`${req.url}:${id}`, n);
      const answered = req.url === '/down' || (req.url === '/flaky' && n <= 2) ? 500 : 204;
      received.push({ path: req.url ?? '', headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const register = (body: object) => h.ops(request(h.app).post('/v1/ops/webhooks')).send(body);
const log = async (id: string) => (await h.ops(request(h.app).get(`/v1/ops/webhooks/${id}/deliveries`))).body.deliveries as { eventId: string; eventType: string; status: string; attempts: number; log: { statusCode: number }[] }[];
const at = (path: string) => received.filter((r) => r.path === path);

test('bad input is a 4xx with its reason', async () => {
  expect((await register({ url: 'ftp://x', createdBy: 'ops' })).status).toBe(400);
  expect((await register({ url: `${base}/ok` })).body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.createdBy' })]));
  expect((await register({ url: `${base}/ok`, createdBy: 'ops', secret: 'short' })).status).toBe(400);
  expect((await h.ops(request(h.app).get('/v1/ops/webhooks/wh_nope/deliveries'))).status).toBe(404);
  expect((await h.ops(request(h.app).get('/v1/ops/webhooks/not-an-id'))).status).toBe(400);
  expect((await request(h.app).get('/v1/ops/webhooks')).status).toBe(401);
});

test('every ledger entry and order state change reaches the webhooks, signed, at least once with a stable event ID; failures are retried with backoff', async () => {
  received = [];
  const secret = 'a-secret-of-the-finance-system';
  const all = await register({ url: `${base}/flaky`, secret, createdBy: 'ops-zhao', description: 'finance' });
  expect(all.status).toBe(201);
  expect(all.body.secret).toBe(secret);
  const orders = await register({ url: `${base}/orders`, eventTypes: ['order.'], createdBy: 'ops-zhao' });
  expect(orders.body.secret).toMatch(/^whsec_/);

  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: new Date(now).toISOString() }));
  await opsOrder(h, order.orderId, (x) => x.state === 'in_review');

  // The delivery round folds every entry into one event of the outbox.
  const unfolded = async () => ((await ctx.sql`SELECT count(*)::int AS n FROM journal_entries j WHERE NOT EXISTS (SELECT FROM outbox_events e WHERE e.entry_id = j.id)`) as unknown as [{ n: number }])[0].n;
  await waitFor(unfolded, (n) => n === 0, 'every ledger entry to have its event');
  const [{ doubled }] = (await ctx.sql`SELECT count(*)::int AS doubled FROM (SELECT entry_id FROM outbox_events WHERE entry_id IS NOT NULL GROUP BY entry_id HAVING count(*) > 1) d`) as unknown as [{ doubled: number }];
  expect(doubled).toBe(0);

  const granted = await waitFor(
    async () => at('/flaky').filter((r) => r.headers['x-event-type'] === 'ledger.reward.granted'),
    (rs) => rs.some((r) => r.answered === 204),
    'the granted event delivered',
  );
  // Two failed attempts then a success, each carrying the same event ID and a valid signature.
  expect(granted.map((r) => r.answered)).toEqual([500, 500, 204]);
  expect(new Set(granted.map((r) => r.headers['x-event-id'])).size).toBe(1);
  expect(granted.map((r) => r.headers['x-delivery-attempt'])).toEqual(['1', '2', '3']);
  for (const r of granted) {
    expect(r.headers['x-signature']).toBe(`sha256=${crypto.createHmac('sha256', secret).update(r.body).digest('hex')}`);
  }
  const event = JSON.parse(granted[2]!.body);
  expect(event).toMatchObject({ id: granted[0]!.headers['x-event-id'], type: 'ledger.reward.granted', data: { kind: 'reward.granted', orderId: order.orderId, ambassadorId: amb.id, ruleSetVersion: '2024-06-01' } });
  expect(event.data.postings).toEqual(expect.arrayContaining([{ ambassadorId: amb.id, account: 'pending', amountYunqi: 2_475 }]));

  // The order's state changes too; the order webhook gets only those.
  await waitFor(async () => at('/orders'), (rs) => rs.some((r) => JSON.parse(r.body).data.to.state === 'in_review'), 'the in_review change at /orders');
  expect(new Set(at('/orders').map((r) => r.headers['x-event-type']))).toEqual(new Set(['order.state_changed']));
  const change = JSON.parse(at('/orders').find((r) => JSON.parse(r.body).data.to.state === 'in_review')!.body);
  expect(change.data).toMatchObject({ orderId: order.orderId, customerId, ambassadorId: amb.id, from: { state: 'received' }, to: { state: 'in_review', reasonCode: null }, grantedYunqi: 2_475 });

  // The delivery log shows every attempt.
  const entries = await waitFor(() => log(all.body.webhook.id), (l) => l.length >= 3 && l.every((d) => d.status === 'delivered'), 'the log to show every delivery delivered');
  const g = entries.find((d) => d.eventType === 'ledger.reward.granted')!;
  expect(g).toMatchObject({ eventId: granted[0]!.headers['x-event-id'], status: 'delivered', attempts: 3 });
  expect(g.log.map((a) => a.statusCode)).toEqual([500, 500, 204]);

  const status = await ctx.client.workflow.getHandle(deliveriesWorkflowId()).query(deliveriesStatusQuery);
  expect(status.delivered).toBeGreaterThanOrEqual(entries.length);
  await keepHistory(ctx.client.workflow.getHandle(deliveriesWorkflowId()), 'delivery-webhooks-with-retries', OPS_HISTORIES_DIR);
});

test('a receiver that never answers 2xx ends failed after WEBHOOK_MAX_ATTEMPTS; a deleted webhook receives nothing more', async () => {
  received = [];
  const down = await register({ url: `${base}/down`, eventTypes: ['ledger.reward.granted'], createdBy: 'ops' });
  const gone = await register({ url: `${base}/gone`, createdBy: 'ops' });
  const del = await h.ops(request(h.app).delete(`/v1/ops/webhooks/${gone.body.webhook.id}`).query({ by: 'ops-qian' }));
  expect(del.status).toBe(200);
  expect(del.body).toMatchObject({ deletedBy: 'ops-qian' });

  const now = await h.clock.sync();
  const { customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: new Date(now).toISOString() }));
  const l = await waitFor(() => log(down.body.webhook.id), (x) => x.length === 1 && x[0]!.status === 'failed', 'the delivery to fail');
  expect(l[0]!.attempts).toBe(3);
  expect(at('/down')).toHaveLength(3);
  expect(at('/gone')).toHaveLength(0);
  const metrics = await h.ops(request(h.app).get('/metrics'));
  expect(metrics.text).toMatch(/^settlement_webhook_deliveries\{status="failed"\} 1$/m);
  const list = await h.ops(request(h.app).get('/v1/ops/webhooks'));
  expect(list.body.webhooks.find((w: { id: string }) => w.id === gone.body.webhook.id).deletedAt).not.toBeNull();
  expect(JSON.stringify(list.body)).not.toContain('secret');
});

test('a transaction left open elsewhere on the server (here: another session holding a transaction ID) does not hold deliveries back', async () => {
  received = [];
  const held = await ctx.sql.reserve();
  try {
    await held`BEGIN`;
    await held`SELECT pg_current_xact_id()`;
    const hook = await register({ url: `${base}/held`, eventTypes: ['order.'], createdBy: 'ops' });
    const now = await h.clock.sync();
    const { customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
    const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: new Date(now).toISOString() }));
    await waitFor(async () => at('/held'), (rs) => rs.some((r) => JSON.parse(r.body).data.orderId === order.orderId), 'the order event while a transaction is open');
    expect((await log(hook.body.webhook.id)).every((d) => d.eventType === 'order.state_changed')).toBe(true);
  } finally {
    await held`ROLLBACK`;
    held.release();
  }
});
