/**
 * Same facts, same money (docs/settlement.md): refunds and findings are applied whenever they
 * arrive (during the last credit, after completion), order IDs of any shape are just orders, and
 * one customer's orders are judged in placement order whatever order their messages arrive in.
 * Through REST, the real order workflows on the time-skipping server and the real ledger.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, type Harness } from './harness/association-fixtures';
import { DAY, associatedCustomer, balances, opsOrder, orderMessage, placed, postOrder, settled } from './harness/order-fixtures';
import { finding, refund, whileSettling } from './harness/settlement-fixtures';
import { keepHistory } from './harness/histories';
import { orderWorkflowId } from '../contracts/orders';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });

const nowIso = () => new Date(h.clock.now()).toISOString();
const cst = (wall: string) => new Date(`${wall}+08:00`).toISOString();

/** A new customer's 5,000.00 first purchase placed now (1,250.00 in two installments), past its first installment. */
async function orderBetweenInstallments() {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: nowIso() }));
  await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  await h.clock.skip(37 * DAY + 1000);
  await opsOrder(h, order.orderId, (x) => x.credited.yunqi === 62_500);
  return { amb, customerId, order };
}

test('R-REV-2 a full refund sent while the last installment is being credited is applied: the order ends refunded, nothing kept', async () => {
  const { amb, customerId, order } = await orderBetweenInstallments();
  const sent = await whileSettling(
    ctx,
    { customerId, orderId: order.orderId },
    () => h.clock.skip(30 * DAY),
    () => refund(h, order.orderId, { refundId: 'rf-during', amount: '5000.00', full: true }).then((r) => r),
  );
  expect((await sent).status).toBeLessThan(300);
  expect((await settled(ctx, order.orderId)).state).toBe('refunded');
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-refund-during-last-credit');
  const o = await opsOrder(h, order.orderId);
  expect([o.state, o.reward.yunqi, o.credited.yunqi]).toEqual(['refunded', 0, 0]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-REV-2 a cheating finding sent while the last installment is being credited invalidates the order', async () => {
  const { amb, customerId, order } = await orderBetweenInstallments();
  const sent = await whileSettling(
    ctx,
    { customerId, orderId: order.orderId },
    () => h.clock.skip(30 * DAY),
    () => finding(h, order.orderId, { findingId: 'f-during', reason: 'cheating' }).then((r) => r),
  );
  expect((await sent).status).toBeLessThan(300);
  await settled(ctx, order.orderId);
  const o = await opsOrder(h, order.orderId);
  expect([o.state, o.reasonCode, o.reward.yunqi]).toEqual(['invalidated', 'CHEATING', 0]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-REV-2 a same-person finding after completion invalidates the order like a full refund: what was credited is clawed back', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: nowIso() }));
  expect((await settled(ctx, order.orderId)).state).toBe('completed');
  expect((await balances(ctx, amb.id)).available).toBe(2_475);
  const res = await finding(h, order.orderId, { findingId: 'f-late', reason: 'same_person' });
  expect(res.status).toBe(200);
  await settled(ctx, order.orderId);
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-resumed-for-late-finding');
  expect(res.body).toMatchObject({ applied: true, state: 'invalidated', reward: { yunqi: 0 } });
  const o = await opsOrder(h, order.orderId);
  expect([o.state, o.reasonCode]).toEqual(['invalidated', 'SAME_PERSON']);
  expect(o.ledger.map((e) => e.kind)).toEqual(['reward.granted', 'reward.credited', 'reward.clawback']);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test("an order ID of the shape <X>:refund:<R> is just an order: X's late refund is applied, and such an order placed after it is no conflict", async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const x = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: nowIso() }));
  const shaped = await placed(h, orderMessage(customerId, { orderId: `${x.orderId}:refund:r-1`, paidAmount: '99.00', placedAt: nowIso() }));
  await settled(ctx, x.orderId);
  await settled(ctx, shaped.orderId);
  expect((await refund(h, x.orderId, { refundId: 'r-1', full: true })).status).toBe(200);
  expect((await opsOrder(h, x.orderId)).state).toBe('refunded');
  expect((await opsOrder(h, shaped.orderId)).state).toBe('completed');

  // The other way round: X's late refund first, then an order whose ID is shaped like it.
  const y = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: nowIso() }));
  await settled(ctx, y.orderId);
  expect((await refund(h, y.orderId, { refundId: 'r-2', full: true })).status).toBe(200);
  const after = await postOrder(h, orderMessage(customerId, { orderId: `${y.orderId}:refund:r-2`, paidAmount: '99.00', placedAt: nowIso() }));
  expect(after.status).toBe(202);
  expect(after.body.duplicate).toBe(false);
  expect((await settled(ctx, after.body.orderId)).state).toBe('completed');
  expect((await opsOrder(h, y.orderId)).state).toBe('refunded');
  // X and Y refunded; the two shaped orders earn 25% of 99.00 each (L1 under the 2024-06-01 rule set).
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 2_475 + 2_475 });
});

test('R-ORD-8 R-ORD-3 R-ORD-4 two orders of a new customer delivered in reverse placement order: the earlier one is the first purchase (250.00 + 150.00)', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: Date.parse('2024-05-01T10:00:00+08:00') });
  const later = await placed(h, orderMessage(customerId, { paidAmount: '1000.00', placedAt: cst('2024-05-10T10:00:00') }));
  expect((await settled(ctx, later.orderId)).rewardYunqi).toBe(25_000); // alone, it is the first purchase
  const earlier = await placed(h, orderMessage(customerId, { paidAmount: '1000.00', placedAt: cst('2024-05-05T10:00:00') }));
  await settled(ctx, earlier.orderId);
  const [e, l] = [await opsOrder(h, earlier.orderId), await opsOrder(h, later.orderId, (o) => o.reward.yunqi === 15_000)];
  expect([e.reward.cny, e.explanation?.rate, e.ruleSetVersion]).toEqual(['250.00', '0.25', '2024-04-17']);
  expect([l.reward.cny, l.explanation?.rate]).toEqual(['150.00', '0.15']);
  // The correction is a new entry referencing the grant; the first grant stays as it was.
  expect(l.ledger.map((x) => x.kind)).toEqual(['reward.granted', 'reward.credited', 'reward.clawback']);
  expect(l.timeline.some((x) => x.kind === 'reassessed')).toBe(true);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 25_000 + 15_000 });
});

test('R-REV-1 a refund dated inside the review period that arrives after it voids the order by its instant', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: nowIso() }));
  await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  await h.clock.skip(10 * DAY); // the review has ended; the refund happened on day 3
  const res = await refund(h, order.orderId, { refundId: 'rf-dated', amount: '100.00', full: false, refundedAt: new Date(now + 3 * DAY).toISOString() });
  expect(res.status).toBe(200);
  await settled(ctx, order.orderId);
  const o = await opsOrder(h, order.orderId);
  expect([o.state, o.reasonCode, o.reward.yunqi]).toEqual(['voided', 'REFUND_IN_REVIEW', 0]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-REV-2 a clawback beyond what is available leaves a visible debt, repaid first by later credits', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 81 * DAY, ambassador: await joinAmbassador(h, { joinedAt: new Date(now - 90 * DAY).toISOString() }) });
  const first = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: new Date(now - 80 * DAY).toISOString() }));
  expect((await settled(ctx, first.orderId)).state).toBe('completed');
  const me = (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${amb.token}`);
  const w = await request(h.app).post('/v1/ambassadors/me/withdrawals').set('Authorization', `Bearer ${amb.token}`).set('Idempotency-Key', 'all').send({ amount: '24.75' });
  expect(w.status).toBe(201);
  expect((await refund(h, first.orderId, { refundId: 'rf-debt', full: true })).status).toBe(200);
  expect((await me('/v1/ambassadors/me/balance')).body).toMatchObject({ available: { cny: '0.00' }, debt: { yunqi: 2_475, cny: '24.75' } });
  // A later order's credit repays the debt before anything becomes available.
  const second = await placed(h, orderMessage(customerId, { paidAmount: '198.00', placedAt: new Date(now - 70 * DAY).toISOString() }));
  await settled(ctx, second.orderId);
  expect((await me('/v1/ambassadors/me/balance')).body).toMatchObject({ available: { yunqi: 4_950 - 2_475 }, debt: { yunqi: 0 } });
});
