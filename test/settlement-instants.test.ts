/**
 * Same facts, same money, judged by business instants (docs/settlement.md): identity changes
 * against the installments' due instants (R-SAME-2), clicks in click-time order whatever moment
 * they arrive (R-ATTR-5), and messages that can never be assessed refused at the edge or ended
 * visibly. Through REST, the real workflows on the time-skipping server and the real ledger.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, opsAssociation, postClick, uniq, waitFor, type Harness } from './harness/association-fixtures';
import { DAY, associatedCustomer, balances, opsOrder, orderMessage, placed, postOrder, settled } from './harness/order-fixtures';
import { orderWorkflowId } from '../contracts/orders';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });

const iso = (ms: number) => new Date(ms).toISOString();

test('R-SAME-2 an identity change dated after installment 1 fell due voids installment 2 only: installment 1 stands', async () => {
  const now = await h.clock.sync();
  const placedAt = now - 100 * DAY; // both installments are past: due on day 37 and day 67
  const { amb, customerId } = await associatedCustomer(h, {
    clickAt: placedAt - 60_000,
    ambassador: await joinAmbassador(h, { joinedAt: iso(placedAt - 2 * DAY) }),
    customer: { identity: { phone: '+86 138 0000 0001' }, observedAt: iso(placedAt - 2 * DAY) },
  });
  const change = await h.service(request(h.app).post(`/v1/customers/${customerId}/identity-changes`)).send({ phone: '+86 139 0000 0002', changedAt: iso(placedAt + 50 * DAY) });
  expect(change.status).toBe(200);
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: iso(placedAt) }));
  await settled(ctx, order.orderId);
  const o = await opsOrder(h, order.orderId);
  expect([o.state, o.reasonCode, o.credited.yunqi]).toEqual(['voided', 'IDENTITY_CHANGED', 62_500]);
  expect(o.installments.map((i) => [i.n, i.credited])).toEqual([[1, true], [2, false]]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 62_500 });
});

test('R-SAME-2 an identity change reported between the installments voids what is left at once, with a timeline line that minute', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000, customer: { identity: { email: 'c@example.com' } } });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: iso(now) }));
  await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  const t = await h.clock.skip(40 * DAY);
  await opsOrder(h, order.orderId, (x) => x.credited.yunqi === 62_500);
  expect((await h.service(request(h.app).post(`/v1/customers/${customerId}/identity-changes`)).send({ email: 'new@example.com' })).status).toBe(200);
  // No time passes: the order settles now, not when installment 2 falls due in 27 days.
  const o = await opsOrder(h, order.orderId, (x) => x.state === 'voided');
  expect([o.reasonCode, o.reward.yunqi, o.credited.yunqi]).toEqual(['IDENTITY_CHANGED', 62_500, 62_500]);
  const line = o.timeline.find((e) => e.kind === 'voided');
  expect(Math.abs(Date.parse(line!.at) - t)).toBeLessThan(60_000);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 62_500 });
});

test('R-ATTR-4 R-ATTR-5 a click that arrives while the previous one is being projected: an order placed after it goes to the new ambassador', async () => {
  const a = await joinAmbassador(h);
  const b = await joinAmbassador(h);
  const customerId = uniq('cust');
  expect((await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send({})).status).toBe(200);
  const t = await h.clock.sync();
  let clicks: Promise<unknown>[] = [];
  let order!: { orderId: string };
  await ctx.sql.begin(async (tx) => {
    // The projection of A's click waits; B's click arrives meanwhile, then the order.
    await tx`LOCK TABLE association_events IN ACCESS EXCLUSIVE MODE`;
    clicks = [postClick(h, { customerId, usercode: a.usercode, occurredAt: t - 2 * 60_000 }).then((r) => r)];
    await new Promise((r) => setTimeout(r, 500));
    clicks.push(postClick(h, { customerId, usercode: b.usercode, occurredAt: t - 60_000 }).then((r) => r));
    await new Promise((r) => setTimeout(r, 500));
    order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: iso(t) }));
    await new Promise((r) => setTimeout(r, 1500));
  });
  await Promise.all(clicks);
  const o = await opsOrder(h, order.orderId, (x) => x.ambassadorId === b.id && x.state === 'in_review');
  expect(o.reward.yunqi).toBe(2_475);
  expect(await balances(ctx, b.id)).toMatchObject({ pending: 2_475 });
  expect(await balances(ctx, a.id)).toMatchObject({ pending: 0, available: 0 });
});

test('R-ATTR-3 R-ATTR-5 a late click that kept the association open at placement attributes an order that was not attributed', async () => {
  const now = await h.clock.sync();
  const amb = await joinAmbassador(h, { joinedAt: iso(now - 200 * DAY) });
  const customerId = uniq('cust');
  expect((await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send({})).status).toBe(200);
  const t0 = now - 80 * DAY;
  expect((await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t0 })).status).toBe(202);
  const order = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: iso(t0 + 70 * DAY) })); // the association ended on day 60
  expect((await settled(ctx, order.orderId)).state).toBe('not_attributed');
  // A click on day 30, reported late, moved the end to day 90 (R-ATTR-3).
  const late = await postClick(h, { customerId, usercode: amb.usercode, occurredAt: t0 + 30 * DAY });
  expect(late.body).toMatchObject({ outcome: 'extended' }); // the recorded expiry is withdrawn, the end moves
  const o = await opsOrder(h, order.orderId, (x) => x.ambassadorId === amb.id && x.reward.yunqi > 0);
  expect([o.state, o.reward.yunqi]).toEqual(['crediting', 2_475]);
  expect(o.timeline.some((e) => e.kind === 'reassessed')).toBe(true);
  expect((await opsAssociation(h, customerId, 1)).associations.map((x) => x.endsAt)).toEqual([iso(t0 + 90 * DAY)]);
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 2_475 });
});

test('poison orders are refused at the edge with a reason (placedAt before 1970, in year 0000, in 2100, a NUL byte) and never recorded', async () => {
  const now = await h.clock.sync();
  const { customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const cases: [Record<string, unknown>, number, RegExp][] = [
    [{ placedAt: '1969-12-31T23:59:59Z' }, 400, /1970/],
    [{ placedAt: '0000-01-01T00:00:00Z' }, 400, /1970/],
    [{ placedAt: '2100-01-01T00:00:00Z' }, 422, /in the future/],
    [{ placedAt: iso(now), productCode: 'ecs\u0000x' }, 400, /NUL/],
  ];
  for (const [over, status, reason] of cases) {
    const order = orderMessage(customerId, { placedAt: iso(now), ...over } as { placedAt: string });
    const res = await postOrder(h, order);
    expect([res.status, JSON.stringify(res.body.error)]).toEqual([status, expect.stringMatching(reason)]);
    expect((await h.ops(request(h.app).get(`/v1/ops/orders/${order.orderId}`))).status).toBe(404);
  }
});

test('an order that can never be assessed (a NUL in its product code, sent straight to Temporal) ends failed, with the error in the ops view', async () => {
  const now = await h.clock.sync();
  const { customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = orderMessage(customerId, { placedAt: iso(now), productCode: 'ecs\u0000x' });
  const handle = await ctx.client.workflow.start('orderSettlement', {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: orderWorkflowId(order.orderId),
    args: [{ order, bodyHash: 'h', model: 'facts' }],
  });
  expect(((await handle.result()) as { state: string }).state).toBe('failed');
  const o = await waitFor(() => h.ops(request(h.app).get(`/v1/ops/orders/${order.orderId}`)), (r) => r.status === 200, 'the failed order in the ops view');
  expect([o.body.state, o.body.reasonCode, o.body.reward.yunqi]).toEqual(['failed', 'ASSESSMENT_FAILED', 0]);
  expect(o.body.failure.error).toMatch(/cannot be recorded/);
});

test('R-AMB-3 a level change dated before an order was placed reaches the order: its rate is the level in force at placement', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '1000.00', placedAt: iso(now) }));
  expect((await opsOrder(h, order.orderId, (x) => x.state === 'in_review')).reward.cny).toBe('250.00'); // L1 25%
  const level = await h.ops(request(h.app).put(`/v1/ops/ambassadors/${amb.id}/level`)).send({ level: 'L2', effectiveAt: iso(now - 30_000), reason: 'promotion dated back' });
  expect(level.status).toBe(200);
  const o = await opsOrder(h, order.orderId, (x) => x.reward.cny === '300.00'); // L2 30%
  expect(o.explanation?.rate).toBe('0.3');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 30_000 });
});
