/**
 * The read-only endpoints the consoles use, over the real app: the rule set in force, the
 * withdrawal preview (R-WD-4, the same tax the request then withholds), one order with its
 * explanation and its ambassador-safe timeline, the monthly statement as CSV, the ops attention
 * list and customer search, and the ops token on findings and refunds. Bad input is a clear 4xx.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { TestContext } from '../harness/context';
import type { Harness } from '../harness/association-fixtures';
import { joinAmbassador } from '../harness/association-fixtures';
import { useHarness } from '../harness/use-harness';
import { clawback } from '../harness/ledger-fixtures';
import { asAmbassador, walkthrough, type Walkthrough } from './fixtures';

let ctx: TestContext;
let h: Harness;
let w: Walkthrough;
useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });

beforeAll(async () => {
  w = await walkthrough(ctx, h);
});

const amb = (r: request.Test) => asAmbassador(w.amb)(r);

test('GET /v1/rulesets/current: the rule set in force now, and at an instant; a bad instant is 400', async () => {
  const now = await request(h.app).get('/v1/rulesets/current').expect(200);
  expect(now.body.version).toBe('2024-06-01');
  expect(now.body.levels[0]).toEqual({ level: 'L1', firstPurchaseRate: '0.25', laterPurchaseRate: '0.25', perOrderPaidCap: { yunqi: 10_000_000, cny: '100000.00' } });
  expect(now.body.withdrawalMax.cny).toBe('100000.00');
  const then = await request(h.app).get('/v1/rulesets/current').query({ at: '2024-05-02T10:00:00+08:00' }).expect(200);
  expect(then.body).toMatchObject({ version: '2024-04-17', associationWindowDays: 30, strategicRate: null });
  const bad = await request(h.app).get('/v1/rulesets/current').query({ at: 'yesterday' });
  expect(bad.status).toBe(400);
});

test('R-WD-4 preview: gross, tax and net of 3,000.00 with the month aggregation, and the request withholds the same', async () => {
  const p = await amb(request(h.app).get('/v1/ambassadors/me/withdrawals/preview').query({ amount: '3000.00' })).expect(200);
  expect(p.body).toMatchObject({ gross: { cny: '3000.00' }, tax: { cny: '440.00', yunqi: 44_000 }, net: { cny: '2560.00' }, available: { cny: '3000.00' }, refusal: null });
  expect(p.body.explanation).toMatchObject({ rule: 'R-WD-4', monthGrossBefore: { cny: '0.00' }, monthGross: { cny: '3000.00' }, taxable: { cny: '2200.00' }, monthTax: { cny: '440.00' }, bracket: { n: 1, rate: '0.2' } });
  const over = await amb(request(h.app).get('/v1/ambassadors/me/withdrawals/preview').query({ amount: '3000.01' })).expect(200);
  expect(over.body.refusal.code).toBe('insufficient_available');
  for (const amount of ['', '-1', '1.001', '0', 'abc']) {
    const bad = await amb(request(h.app).get('/v1/ambassadors/me/withdrawals/preview').query({ amount }));
    expect([amount, bad.status, bad.body.error.code]).toEqual([amount, 400, 'validation_failed']);
  }
  const posted = await amb(request(h.app).post('/v1/ambassadors/me/withdrawals')).set('Idempotency-Key', crypto.randomUUID()).send({ amount: '1000.00' }).expect(201);
  const second = await amb(request(h.app).get('/v1/ambassadors/me/withdrawals/preview').query({ amount: '2000.00' })).expect(200);
  expect(posted.body.tax).toBe('40.00');
  expect(second.body.explanation).toMatchObject({ monthGrossBefore: { cny: '1000.00' }, taxWithheldBefore: { cny: '40.00' }, monthGross: { cny: '3000.00' }, monthTax: { cny: '440.00' } });
  expect(second.body.tax.cny).toBe('400.00');
  await ctx.client.workflow.getHandle(`withdrawal:${posted.body.id}`).result();
});

test('GET /v1/ambassadors/me/orders/{id}: why this amount (rate, the cap that bound it), installments, and a timeline without free text', async () => {
  const o = await amb(request(h.app).get(`/v1/ambassadors/me/orders/${w.orderId}`)).expect(200);
  expect(o.body).toMatchObject({ state: 'completed', paid: { cny: '20000.00' }, reward: { cny: '3000.00' }, ruleSetVersion: '2024-04-17', productCode: 'ecs' });
  expect(o.body.explanation).toMatchObject({ rate: '0.25', level: 'L1', kind: 'first_purchase', uncappedRewardYunqi: 500_000, rewardYunqi: 300_000 });
  expect(o.body.explanation.caps.find((c: { bound: boolean }) => c.bound)).toMatchObject({ cap: 'perCustomerReward', rule: 'R-ORD-6', roomBeforeYunqi: 300_000 });
  expect(o.body.assessment).toEqual({ purchaseKind: 'first_purchase', customerType: 'new', customerReason: 'NO_PAID_HISTORY', level: 'L1' });
  expect(o.body.installments.map((i: { status: string; amount: { cny: string } }) => [i.status, i.amount.cny])).toEqual([['credited', '1500.00'], ['credited', '1500.00']]);
  expect(o.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['placed', 'attributed', 'commission', 'review_started', 'review_passed', 'credited', 'completed']));
  expect(JSON.stringify(o.body.timeline)).not.toMatch(/summary|ambassadorId|associationId/);
  expect(o.body).not.toHaveProperty('ambassadorId');
  const other = await joinAmbassador(h);
  await request(h.app).get(`/v1/ambassadors/me/orders/${w.orderId}`).set('Authorization', `Bearer ${other.token}`).expect(404);
  await amb(request(h.app).get('/v1/ambassadors/me/orders/no-such-order')).expect(404);
});

test('GET /v1/ambassadors/me/statements/{month}: the month as CSV, one line per entry; a bad month is 400', async () => {
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const res = await amb(request(h.app).get(`/v1/ambassadors/me/statements/${month}`)).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  const lines = res.text.trim().split('\r\n');
  expect(lines[0]).toBe('occurred_at_utc8,entry_id,kind,order_id,installment,withdrawal_id,pending_cny,available_cny,reserved_cny,paid_out_cny,tax_withheld_cny');
  expect(lines.some((l) => l.includes(',reward.granted,') && l.includes(',3000.00,'))).toBe(true);
  expect(lines.find((l) => l.includes(',reward.credited,'))).toMatch(/,-3000\.00,3000\.00,0\.00,0\.00,0\.00$/);
  expect(lines.find((l) => l.includes(',withdrawal.tax_withheld,'))).toMatch(/,0\.00,0\.00,-40\.00,0\.00,40\.00$/);
  expect(lines.slice(1).every((l) => / \+08:00,/.test(l))).toBe(true);
  const empty = await amb(request(h.app).get('/v1/ambassadors/me/statements/2020-01')).expect(200);
  expect(empty.text.trim().split('\r\n')).toHaveLength(1);
  await amb(request(h.app).get('/v1/ambassadors/me/statements/2024-13')).expect(400);
});

test('GET /v1/ops/attention lists a debt; GET /v1/ops/customers finds by prefix; both need the ops token', async () => {
  const other = await joinAmbassador(h);
  await clawback(ctx.sql, other.id, 'attention-order', 1234);
  const a = await h.ops(request(h.app).get('/v1/ops/attention')).expect(200);
  expect(a.body.debts).toEqual(expect.arrayContaining([expect.objectContaining({ ambassadorId: other.id, debt: { yunqi: 1234, cny: '12.34' } })]));
  expect(a.body.orders.find((o: { orderId: string }) => o.orderId === w.orderId)).toBeUndefined();
  await request(h.app).get('/v1/ops/attention').set('Authorization', `Bearer ${w.amb.token}`).expect(401);
  const found = await h.ops(request(h.app).get('/v1/ops/customers').query({ prefix: w.customerId.slice(0, -1) })).expect(200);
  expect(found.body.items).toEqual(expect.arrayContaining([{ customerId: w.customerId, knownFrom: expect.any(String) }]));
  await h.ops(request(h.app).get('/v1/ops/customers').query({ prefix: 'c' })).expect(400);
  const s = await h.ops(request(h.app).get('/v1/ops/console-settings')).expect(200);
  expect(s.body).toEqual({ temporalUiUrl: `http://127.0.0.1:${ctx.config.TEMPORAL_UI_PORT}`, namespace: ctx.config.TEMPORAL_NAMESPACE });
});

test('findings and refunds accept the ops token as well as the service token; an ambassador token is 401', async () => {
  const body = { findingId: 'f-ops-1', reason: 'cheating', note: 'from the ops console' };
  await request(h.app).post(`/v1/orders/${w.orderId}/findings`).set('Authorization', `Bearer ${w.amb.token}`).send(body).expect(401);
  const r = await h.ops(request(h.app).post('/v1/orders/no-such-order/refunds')).send({ refundId: 'r1', amount: '1.00', full: false });
  expect(r.status).toBe(404);
  const doc = await request(h.app).get('/openapi.json').expect(200);
  expect(doc.body.paths['/v1/orders/{orderId}/findings'].post.security).toEqual([{ serviceToken: [] }, { opsToken: [] }]);
});
