/**
 * Which orders earn what, settled end to end through REST, the order workflow and the ledger.
 * Most orders here are placed in 2024 (the rule sets of the seed), so their review and crediting
 * instants are already past and they settle at once; amounts are asserted to the yunqi.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, uniq, type Harness } from './harness/association-fixtures';
import {
  associatedCustomer,
  balances,
  opsOrder,
  orderMessage,
  placed,
  postOrder,
  settled,
  type OpsOrder,
} from './harness/order-fixtures';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });

/** China Standard Time wall clock → ISO instant. */
const cst = (wall: string) => new Date(`${wall}+08:00`).toISOString();
const ms = (wall: string) => Date.parse(`${wall}+08:00`);

async function settle(order: { orderId: string }): Promise<OpsOrder> {
  await settled(ctx, order.orderId);
  return opsOrder(h, order.orderId);
}

test('R-ORD-10 R-ORD-3 R-ORD-4 seed example 1: 99.00 first purchase earns 24.75, next day 99.00 at 15% earns 14.85, credited to the yunqi', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const server = await placed(h, orderMessage(customerId, { paidAmount: '99.00', productCode: 'ecs', placedAt: cst('2024-05-02T10:00:00') }));
  const first = await settle(server);
  expect(first).toMatchObject({ state: 'completed', ruleSetVersion: '2024-04-17', reward: { yunqi: 2_475, cny: '24.75' } });
  expect(first.explanation?.rate).toBe('0.25');
  const rds = await placed(h, orderMessage(customerId, { paidAmount: '99.00', productCode: 'rds.mysql', placedAt: cst('2024-05-03T10:00:00') }));
  const later = await settle(rds);
  expect(later).toMatchObject({ state: 'completed', reward: { yunqi: 1_485, cny: '14.85' } });
  expect(later.explanation?.rate).toBe('0.15');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 2_475 + 1_485 });
});

test('R-ORD-10 R-ORD-6 seed example 2 under the default cumulative cap: 99.00, then 50,000.00 reaches the 3,000.00 reward cap in total', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  await settle(await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: cst('2024-05-02T10:00:00') })));
  const big = await settle(await placed(h, orderMessage(customerId, { paidAmount: '50000.00', productCode: 'polardb', placedAt: cst('2024-05-03T10:00:00') })));
  // Paid room 20,000 - 99 = 19,901 x 15% = 2,985.15, but the reward room is 3,000 - 24.75 = 2,975.25.
  expect(big.reward).toEqual({ yunqi: 297_525, cny: '2975.25' });
  expect(big.explanation?.caps.filter((c) => c.bound).map((c) => c.cap).sort()).toEqual(['perCustomerPaid', 'perCustomerReward']);
  // The customer's total is above 1,000.00: two installments, the odd yunqi in the first (R-PAY-2).
  expect(big.installments.map((i) => i.amount.yunqi)).toEqual([148_763, 148_762]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 300_000 });
});

test('R-ORD-8 a cart of three first purchases: each computed and credited separately at the first-purchase rate', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const cartId = uniq('cart');
  const cart = [
    orderMessage(customerId, { cartId, paidAmount: '99.00', placedAt: cst('2024-05-02T12:00:00') }),
    orderMessage(customerId, { cartId, paidAmount: '199.00', placedAt: cst('2024-05-02T12:00:01') }),
    orderMessage(customerId, { cartId, paidAmount: '1000.00', placedAt: cst('2024-05-02T12:00:02') }),
  ];
  for (const o of cart) await placed(h, o);
  const results = [];
  for (const o of cart) results.push(await settle(o));
  expect(results.map((r) => [r.state, r.reward.yunqi, r.explanation?.rate])).toEqual([
    ['completed', 2_475, '0.25'],
    ['completed', 4_975, '0.25'],
    ['completed', 25_000, '0.25'],
  ]);
  expect(new Set(results.map((r) => r.workflow.workflowId)).size).toBe(3);
  const after = await settle(await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: cst('2024-05-03T12:00:00') })));
  expect(after.explanation?.rate).toBe('0.15'); // not in the cart: a later purchase
  expect((await balances(ctx, amb.id)).available).toBe(2_475 + 4_975 + 25_000 + 1_485);
});

test('R-ORD-6 two concurrent orders at the reward cap: the last room is used once, the total never exceeds 3,000.00', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  // 11,000.00 x 25% = 2,750.00; 250.00 of reward room is left.
  await settle(await placed(h, orderMessage(customerId, { paidAmount: '11000.00', placedAt: cst('2024-05-02T10:00:00') })));
  const a = orderMessage(customerId, { paidAmount: '4000.00', placedAt: cst('2024-05-03T10:00:00') });
  const b = orderMessage(customerId, { paidAmount: '4000.00', placedAt: cst('2024-05-03T10:00:00') });
  const answers = await Promise.all([postOrder(h, a), postOrder(h, b)]);
  expect(answers.map((r) => r.status)).toEqual([202, 202]);
  const outcomes = [await settle(a), await settle(b)].map((o) => [o.state, o.reward.yunqi]);
  expect(outcomes.sort()).toEqual([
    ['completed', 25_000],
    ['zero_reward', 0],
  ]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 300_000 });
});

test('R-ORD-1 pay-as-you-go orders, non-rebate products and excluded channels earn nothing, each with its reason', async () => {
  const { customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const cases = [
    [{ billing: 'payg' as const }, 'PAYG_ORDER'],
    [{ productCategory: 'none' as const }, 'NON_REBATE_PRODUCT'],
    [{ excludedChannel: true }, 'EXCLUDED_CHANNEL'],
  ] as const;
  for (const [over, reason] of cases) {
    const o = await settle(await placed(h, orderMessage(customerId, { ...over, placedAt: cst('2024-05-02T10:00:00') })));
    expect([o.state, o.reasonCode, o.reward.yunqi]).toEqual(['ineligible', reason, 0]);
    expect(o.timeline.at(-1)?.summary).toMatch(/^no reward: /);
  }
});

test('R-CUST-3 R-CUST-1 a customer with paid history before the association is old and earns nothing', async () => {
  const { amb, customerId } = await associatedCustomer(h, {
    clickAt: ms('2024-05-01T10:00:00'),
    customer: { facts: { firstPaidPurchaseAt: cst('2023-02-01T10:00:00') } },
  });
  const o = await settle(await placed(h, orderMessage(customerId, { placedAt: cst('2024-05-02T10:00:00') })));
  expect([o.state, o.reasonCode]).toEqual(['ineligible', 'OLD_CUSTOMER']);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-CUST-4 a new customer who opens a pay-as-you-go order first loses first-purchase eligibility', async () => {
  const { customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const payg = await settle(await placed(h, orderMessage(customerId, { billing: 'payg', placedAt: cst('2024-05-02T10:00:00') })));
  expect(payg.reasonCode).toBe('PAYG_ORDER');
  const prepaid = await settle(await placed(h, orderMessage(customerId, { placedAt: cst('2024-05-03T10:00:00') })));
  expect([prepaid.state, prepaid.reasonCode]).toEqual(['ineligible', 'OLD_CUSTOMER']);
});

test('R-CUST-2 a dormant customer (no consumption for 12 months) earns at the level rate from 2024-06-01', async () => {
  const { customerId } = await associatedCustomer(h, {
    clickAt: ms('2024-07-01T10:00:00'),
    level: 'L2',
    customer: { facts: { firstPaidPurchaseAt: cst('2022-01-01T10:00:00'), lastConsumptionAt: cst('2023-05-01T10:00:00') } },
  });
  const o = await settle(await placed(h, orderMessage(customerId, { paidAmount: '1000.00', placedAt: cst('2024-07-02T10:00:00') })));
  expect(o).toMatchObject({ state: 'completed', ruleSetVersion: '2024-06-01', reward: { yunqi: 30_000 } });
  expect(o.explanation?.rate).toBe('0.3');
});

test('R-ORD-5 a strategic product earns a flat 15% from 2024-06-01, whatever the level', async () => {
  const { customerId } = await associatedCustomer(h, { clickAt: ms('2024-07-01T10:00:00'), level: 'L4' });
  const o = await settle(await placed(h, orderMessage(customerId, { productCategory: 'strategic', paidAmount: '1000.00', placedAt: cst('2024-07-02T10:00:00') })));
  expect(o.reward).toEqual({ yunqi: 15_000, cny: '150.00' });
});

test('R-ORD-2 a renewal after the first purchase counts only from 2024-04-17', async () => {
  const early = await associatedCustomer(h, { clickAt: ms('2024-03-01T10:00:00') });
  await settle(await placed(h, orderMessage(early.customerId, { placedAt: cst('2024-03-02T10:00:00') })));
  const renewal = await settle(await placed(h, orderMessage(early.customerId, { orderType: 'renewal', placedAt: cst('2024-03-10T10:00:00') })));
  expect([renewal.state, renewal.reasonCode]).toEqual(['ineligible', 'RENEWAL_NOT_COUNTED']);

  const late = await associatedCustomer(h, { clickAt: ms('2024-04-20T10:00:00') });
  await settle(await placed(h, orderMessage(late.customerId, { placedAt: cst('2024-04-21T10:00:00') })));
  const counted = await settle(await placed(h, orderMessage(late.customerId, { orderType: 'renewal', placedAt: cst('2024-04-22T10:00:00') })));
  expect(counted).toMatchObject({ state: 'completed', reward: { yunqi: 1_485 } });
});

test('R-ORD-9 an order is settled under the rule set in force when placed, exact to the millisecond', async () => {
  const rates: [string, string | null, string | undefined][] = [];
  for (const placedAt of ['2024-05-31T15:59:59.999Z', '2024-05-31T16:00:00.000Z']) {
    const { customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-20T10:00:00') });
    await settle(await placed(h, orderMessage(customerId, { placedAt: cst('2024-05-21T10:00:00') })));
    const later = await settle(await placed(h, orderMessage(customerId, { placedAt })));
    rates.push([placedAt, later.ruleSetVersion, later.explanation?.rate]);
  }
  expect(rates).toEqual([
    ['2024-05-31T15:59:59.999Z', '2024-04-17', '0.15'],
    ['2024-05-31T16:00:00.000Z', '2024-06-01', '0.25'],
  ]);
});

test('R-SAME-1 R-REV-1 an order whose customer has become the same person as the ambassador earns nothing', async () => {
  const amb = await joinAmbassador(h, { joinedAt: cst('2024-04-01T10:00:00'), identity: { phone: '+86 138 1111 2222' } });
  const { customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00'), ambassador: amb, customer: { identity: { phone: '+86 139 3333 4444' } } });
  await h.service(request(h.app).post(`/v1/customers/${customerId}/identity-changes`)).send({ phone: '+86 138 1111 2222', changedAt: cst('2024-05-01T11:00:00') }).expect(200);
  const o = await settle(await placed(h, orderMessage(customerId, { placedAt: cst('2024-05-02T10:00:00') })));
  expect([o.state, o.reasonCode]).toEqual(['ineligible', 'SAME_PERSON']);
});

test('R-ATTR-5 an order of a customer never associated is recorded with the reason and earns nothing', async () => {
  const customerId = uniq('cust');
  const o = await settle(await placed(h, orderMessage(customerId, { placedAt: cst('2024-05-02T10:00:00') })));
  expect([o.state, o.reasonCode, o.ambassadorId]).toEqual(['not_attributed', 'NO_ASSOCIATION', null]);
});

test('the same order message twice is harmless; the same orderId with a different body is refused with a reason', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const order = orderMessage(customerId, { paidAmount: '99.00', placedAt: cst('2024-05-02T10:00:00') });
  const first = await postOrder(h, order);
  expect(first.body).toMatchObject({ duplicate: false, workflowId: `order:${order.orderId}` });
  const reordered = Object.fromEntries(Object.entries(order).reverse()) as typeof order;
  const again = await postOrder(h, reordered);
  expect([again.status, again.body.duplicate]).toEqual([202, true]);
  const changed = await postOrder(h, { ...order, paidAmount: '9999.00' });
  expect(changed.status).toBe(409);
  expect(changed.body.error).toMatchObject({ code: 'order_conflict', message: expect.stringContaining('different body') });
  await settle(order);
  expect(await balances(ctx, amb.id)).toMatchObject({ available: 2_475 });
  const grants = await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM journal_entries WHERE order_id = ${order.orderId} AND kind = 'reward.granted'`;
  expect(grants).toEqual([{ n: 1 }]);
});

test('bad order messages get 4xx with field paths; unknown orders 404; tokens are required', async () => {
  const bad = await h.service(request(h.app).post('/v1/orders')).send({ orderId: 'bad id!', customerId: 'c1', paidAmount: '1.999', billing: 'monthly', placedAt: 'yesterday' });
  expect(bad.status).toBe(400);
  const paths = (bad.body.error.details as { path: string }[]).map((d) => d.path);
  expect(paths).toEqual(expect.arrayContaining(['body.orderId', 'body.paidAmount', 'body.billing', 'body.placedAt', 'body.productCode']));
  const noToken = await request(h.app).post('/v1/orders').send({});
  expect(noToken.status).toBe(401);
  const refundUnknown = await h.service(request(h.app).post('/v1/orders/no-such-order/refunds')).send({ refundId: 'r1', amount: '1.00', full: false });
  expect(refundUnknown.status).toBe(404);
  expect((await h.ops(request(h.app).get('/v1/ops/orders/no-such-order'))).status).toBe(404);
  expect((await h.service(request(h.app).get('/v1/ops/orders/no-such-order'))).status).toBe(401);
});

test('an ambassador lists only their own attributed orders; ops see the explanation and the workflow', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: ms('2024-05-01T10:00:00') });
  const other = await joinAmbassador(h);
  const orders = [];
  for (const day of ['02', '03', '04']) orders.push(await placed(h, orderMessage(customerId, { placedAt: cst(`2024-05-${day}T10:00:00`) })));
  for (const o of orders) await settle(o);
  const page1 = await request(h.app).get('/v1/ambassadors/me/orders?limit=2').set('Authorization', `Bearer ${amb.token}`);
  expect(page1.status).toBe(200);
  expect(page1.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([orders[2]!.orderId, orders[1]!.orderId]);
  const page2 = await request(h.app).get(`/v1/ambassadors/me/orders?limit=2&cursor=${page1.body.nextCursor}`).set('Authorization', `Bearer ${amb.token}`);
  expect(page2.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([orders[0]!.orderId]);
  expect(page2.body.nextCursor).toBeNull();
  const theirs = await request(h.app).get('/v1/ambassadors/me/orders').set('Authorization', `Bearer ${other.token}`);
  expect(theirs.body.items).toEqual([]);
  expect((await request(h.app).get('/v1/ambassadors/me/orders')).status).toBe(401);
  const ops = await opsOrder(h, orders[0]!.orderId);
  expect(ops.explanation?.summary).toEqual(expect.any(String));
  expect(ops.timeline.find((e) => e.kind === 'attributed')?.detail).toMatchObject({ ambassadorId: amb.id, level: 'L1' });
  expect(ops.workflow.runId).toEqual(expect.any(String));
});
