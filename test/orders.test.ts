/**
 * Order settlement through its whole life on the time-skipping server: review period, one or two
 * installments, refunds, identity changes, findings, a worker restart. Assertions are on what a
 * user sees: the ops view, the ledger balances, the workflow status.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { type Harness } from './harness/association-fixtures';
import { keepHistory } from './harness/histories';
import {
  DAY,
  associatedCustomer,
  balances,
  opsOrder,
  orderMessage,
  placed,
  settled,
} from './harness/order-fixtures';
import { orderWorkflowId } from '../contracts/orders';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });

const nowIso = () => new Date(h.clock.now()).toISOString();

/** A new customer's 5,000.00 first purchase placed now: 1,250.00 reward in two installments of
 * 625.00, awaited into its review period. */
async function bigOrderInReview(customer?: Record<string, unknown>) {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000, customer });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: nowIso() }));
  const inReview = await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  return { amb, customerId, order, inReview };
}

/** Skips past the review and the first installment, and waits until it is credited. */
async function pastFirstInstallment(orderId: string) {
  await h.clock.skip(37 * DAY + 1000);
  await opsOrder(h, orderId, (x) => x.credited.yunqi === 62_500);
}

test('R-PAY-2 R-PAY-3 a reward above the threshold is credited 50% at review + 30 days and 50% 30 days later; completed only when both are in', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: nowIso() }));

  // 5,000.00 x 25% (L1 first purchase) = 1,250.00 CNY, above the 1,000.00 threshold: two installments.
  let o = await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  expect(o.reward).toEqual({ yunqi: 125_000, cny: '1250.00' });
  expect(o.installments.map((i) => i.amount.yunqi)).toEqual([62_500, 62_500]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 125_000, available: 0 });

  await h.clock.skip(7 * DAY + 1000); // the review period (审核期) passes
  o = await opsOrder(h, order.orderId, (x) => x.state === 'crediting');
  expect((await balances(ctx, amb.id)).available).toBe(0);

  await h.clock.skip(30 * DAY);
  o = await opsOrder(h, order.orderId, (x) => x.credited.yunqi === 62_500);
  expect(o.state).toBe('crediting'); // R-PAY-3: one installment in is not a completed order
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 62_500, available: 62_500 });

  await h.clock.skip(30 * DAY);
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('completed');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 125_000 });
  o = await opsOrder(h, order.orderId);
  expect(o.timeline.map((e) => e.kind)).toEqual(['placed', 'attributed', 'commission', 'review_started', 'review_passed', 'credited', 'credited', 'completed']);
  expect(o.ledger.map((e) => [e.kind, e.installment])).toEqual([
    ['reward.granted', null],
    ['reward.credited', 1],
    ['reward.credited', 2],
  ]);
  expect(o.workflow.workflowId).toBe(orderWorkflowId(order.orderId));
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-two-installments');
});

test('R-PAY-1 a reward at or below the threshold is credited whole 30 days after the review', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: nowIso() }));
  const o = await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  expect(o.installments).toHaveLength(1);
  expect(Date.parse(o.installments[0]!.dueAt) - Date.parse(order.placedAt)).toBe(37 * DAY);
  await h.clock.skip(36 * DAY);
  expect((await balances(ctx, amb.id)).available).toBe(0);
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('completed');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 2_475 });
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-one-installment');
});

test('R-REV-1 a refund inside the review period voids the order and returns the cap room', async () => {
  const { amb, order, inReview: before } = await bigOrderInReview();
  await h.clock.skip(2 * DAY);
  const res = await h.service(request(h.app).post(`/v1/orders/${order.orderId}/refunds`)).send({ refundId: 'rf-1', amount: '100.00', full: false });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ applied: true, state: 'voided', reward: { yunqi: 0 } });
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('voided');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
  const [usage] = await ctx.sql<{ paid_used_yunqi: number; reward_used_yunqi: number }[]>`
    SELECT paid_used_yunqi, reward_used_yunqi FROM cap_usage WHERE association_id = ${before.associationId}`;
  expect(usage).toEqual({ paid_used_yunqi: 0, reward_used_yunqi: 0 });
  const o = await opsOrder(h, order.orderId);
  expect(o.timeline.at(-1)?.summary).toMatch(/inside the review period.*voided \(R-REV-1\)/);
  expect(o.ledger.map((e) => e.kind)).toEqual(['reward.granted', 'reward.voided']);
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-refund-in-review');
});

test('R-REV-2 a full refund between the installments voids the rest and claws back the first with a correcting entry', async () => {
  const { amb, order } = await bigOrderInReview();
  await pastFirstInstallment(order.orderId);
  const res = await h.service(request(h.app).post(`/v1/orders/${order.orderId}/refunds`)).send({ refundId: 'rf-full', full: true });
  expect(res.status).toBe(200);
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('refunded');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
  const o = await opsOrder(h, order.orderId);
  const clawback = o.ledger.find((e) => e.kind === 'reward.clawback');
  expect(clawback?.postings.map((p) => [p.account, p.amount.yunqi]).sort()).toEqual(
    [[`${amb.id}:available`, -62_500], [`${amb.id}:pending`, -62_500], ['system:rewards_expense', 125_000]].sort(),
  );
  // The first credit is still there: nothing is edited, the clawback corrects it.
  expect(o.ledger.map((e) => e.kind)).toEqual(['reward.granted', 'reward.credited', 'reward.clawback']);
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-full-refund-between-installments');
});

test('R-REV-2 a partial refund after the review recomputes the reward on the amount kept', async () => {
  const { amb, order } = await bigOrderInReview();
  await h.clock.skip(8 * DAY);
  await opsOrder(h, order.orderId, (x) => x.state === 'crediting');
  await h.service(request(h.app).post(`/v1/orders/${order.orderId}/refunds`)).send({ refundId: 'rf-part', amount: '1000.00', full: false }).expect(200);
  // 4,000.00 kept x 25% = 1,000.00: the two installments left become 500.00 each.
  const o = await opsOrder(h, order.orderId, (x) => x.reward.yunqi === 100_000);
  expect(o.installments.map((i) => i.amount.yunqi)).toEqual([50_000, 50_000]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 100_000, available: 0 });
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('completed');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 100_000 });
});

test('R-SAME-2 an identity change before the second installment voids what is left; the first stays credited', async () => {
  const { amb, customerId, order } = await bigOrderInReview({ identity: { phone: '+86 138 0000 0001' } });
  await pastFirstInstallment(order.orderId);
  const change = await h.service(request(h.app).post(`/v1/customers/${customerId}/identity-changes`)).send({ phone: '+86 139 0000 0002' });
  expect(change.status).toBe(200);
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('voided');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 62_500 });
  const o = await opsOrder(h, order.orderId);
  expect(o.reasonCode).toBe('IDENTITY_CHANGED');
  expect(o.timeline.at(-1)?.summary).toMatch(/identity details changed \(R-SAME-2\)/);
  await keepHistory(ctx.client.workflow.getHandle(orderWorkflowId(order.orderId)), 'order-by-facts-identity-change');
});

test('R-REV-2 a cheating finding after the review invalidates the order and claws back what was credited', async () => {
  const { amb, order } = await bigOrderInReview();
  await pastFirstInstallment(order.orderId);
  await h.service(request(h.app).post(`/v1/orders/${order.orderId}/findings`)).send({ findingId: 'f-1', reason: 'cheating' }).expect(200);
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('invalidated');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-REV-2 a refund after the last credit claws back, once: the ended run is started again for it', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: nowIso() }));
  expect((await settled(ctx, order.orderId)).state).toBe('completed');
  expect((await balances(ctx, amb.id)).available).toBe(2_475);
  const body = { refundId: 'rf-late', amount: '99.00', full: true };
  const first = await h.service(request(h.app).post(`/v1/orders/${order.orderId}/refunds`)).send(body);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ applied: true, duplicate: false, state: 'refunded', reward: { yunqi: 0 }, credited: { yunqi: 0 } });
  expect((await settled(ctx, order.orderId)).state).toBe('refunded');
  const again = await h.service(request(h.app).post(`/v1/orders/${order.orderId}/refunds`)).send(body);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ applied: false, duplicate: true, state: 'refunded' });
  await settled(ctx, order.orderId);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 0 });
  const o = await opsOrder(h, order.orderId);
  expect(o.state).toBe('refunded');
  expect(o.ledger.filter((e) => e.kind === 'reward.clawback')).toHaveLength(1);
});
