/**
 * What-if over past orders (issue 14, item 2): a candidate rule set re-runs the pure settlement
 * over the recorded facts of a period, never touching the ledger, as a workflow with visible
 * progress that survives a worker restart; it answers totals and per-ambassador and per-order
 * differences from what was actually settled, each with its explanation.
 */
import request from 'supertest';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed } from './harness/order-fixtures';
import { seedSettledOrders } from './harness/bulk-orders';
import { keepHistory, OPS_HISTORIES_DIR } from './harness/histories';
import { DEFAULT_RULE_SETS, defaultRuleBook, type RuleSet } from '../domain/rulesets';
import { simulationProgressQuery, simulationWorkflowId } from '../contracts/simulations';

let ctx: TestContext;
let h: Harness;
// The dev server (real time): the worker restart leaves a workflow in the stopped worker's sticky cache, which the test server does not model.
useHarness((x) => ({ ctx, h } = x), { ledgerSound: true, devServer: true, env: { SIMULATION_BATCH_CUSTOMERS: '3' } });

const april = DEFAULT_RULE_SETS[1]!;
const laterAt20: RuleSet = {
  ...april,
  levels: Object.fromEntries(Object.entries(april.levels).map(([l, r]) => [l, { ...r, laterPurchaseRate: '0.2' }])) as RuleSet['levels'],
};
const simulate = (body: object) => h.ops(request(h.app).post('/v1/ops/simulations')).send(body);
const view = async (id: string) => (await h.ops(request(h.app).get(`/v1/ops/simulations/${id}`))).body;
const completed = (id: string) => waitFor(() => view(id), (v) => v.status !== 'running', `simulation ${id} to finish`, 60_000);

test('bad input is a 4xx with its reason', async () => {
  const bad = await simulate({ ruleSet: { ...april, levels: {} }, from: '2024-05-01T00:00:00+08:00', to: '2024-06-01T00:00:00+08:00', requestedBy: 'pm' });
  expect(bad.status).toBe(400);
  const empty = await simulate({ ruleSet: laterAt20, from: '2024-06-01T00:00:00+08:00', to: '2024-05-01T00:00:00+08:00', requestedBy: 'pm' });
  expect(empty.status).toBe(422);
  expect(empty.body.error.code).toBe('invalid_period');
  const clash = await simulate({ ruleSet: { ...laterAt20, version: 'clash', effectiveFrom: DEFAULT_RULE_SETS[2]!.effectiveFrom.replace('Z', '+00:00') }, from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', requestedBy: 'pm' });
  expect(clash.status).toBe(202); // same instant as 2024-06-01: it replaces that version
  expect(clash.body.replacedVersion).toBe('2024-06-01');
  expect((await h.ops(request(h.app).get('/v1/ops/simulations/sim_unknown'))).status).toBe(404);
  expect((await request(h.app).get('/v1/ops/simulations/sim_unknown')).status).toBe(401);
});

test('R-ORD-4 a later-purchase rate of 20% instead of 15% over early May 2024: the later order gains 4.95 CNY, the first purchase is unchanged, an order after the period is not counted; the ledger is not touched', async () => {
  const clickAt = Date.parse('2024-05-01T10:00:00+08:00');
  const { amb, customerId } = await associatedCustomer(h, { clickAt });
  const first = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: '2024-05-02T10:00:00+08:00' }));
  const later = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: '2024-05-03T10:00:00+08:00' }));
  const outside = await placed(h, orderMessage(customerId, { paidAmount: '99.00', placedAt: '2024-05-20T10:00:00+08:00' }));
  for (const o of [first, later, outside]) await opsOrder(h, o.orderId, (x) => x.state === 'completed');
  const [{ entries }] = (await ctx.sql`SELECT count(*)::int AS entries FROM journal_entries`) as unknown as [{ entries: number }];

  const res = await simulate({ ruleSet: laterAt20, from: '2024-05-01T00:00:00+08:00', to: '2024-05-10T00:00:00+08:00', requestedBy: 'pm-sun', reason: 'what if later purchases earned 20%' });
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ status: 'running', candidateVersion: '2024-04-17', replacedVersion: '2024-04-17', requestedBy: 'pm-sun' });
  const done = await completed(res.body.id);
  expect(done.status).toBe('completed');
  expect(done.totals).toMatchObject({ orders: 2, changedOrders: 1, actual: { yunqi: 2_475 + 1_485 }, simulated: { yunqi: 2_475 + 1_980 }, difference: { yunqi: 495, cny: '4.95' }, ambassadors: 1, changedAmbassadors: 1 });
  expect(done.progress).toMatchObject({ customersTotal: 1, customersDone: 1, ordersDone: 2, fraction: 1 });

  const orders = (await h.ops(request(h.app).get(`/v1/ops/simulations/${res.body.id}/orders`))).body.orders;
  expect(orders).toHaveLength(1);
  expect(orders[0]).toMatchObject({ orderId: later.orderId, difference: { yunqi: 495 }, actual: { rewardYunqi: 1_485, rate: '0.15', ruleSetVersion: '2024-04-17' }, simulated: { rewardYunqi: 1_980, rate: '0.2' } });
  expect(orders[0].explanation).toMatch(/^rate 15% → 20%; reward 14\.85 → 19\.80 CNY \(\+4\.95\)/);
  const ambs = (await h.ops(request(h.app).get(`/v1/ops/simulations/${res.body.id}/ambassadors`))).body.ambassadors;
  expect(ambs).toEqual([expect.objectContaining({ ambassadorId: amb.id, orders: 2, actual: { yunqi: 3_960, cny: '39.60' }, simulated: { yunqi: 4_455, cny: '44.55' }, difference: { yunqi: 495, cny: '4.95' } })]);

  const [{ after }] = (await ctx.sql`SELECT count(*)::int AS after FROM journal_entries`) as unknown as [{ after: number }];
  expect(after).toBe(entries);
  await keepHistory(ctx.client.workflow.getHandle(simulationWorkflowId(res.body.id)), 'simulation-later-rate', OPS_HISTORIES_DIR);
});

test('a run shows its progress and survives a worker restart: every order of the period judged exactly once', async () => {
  const from = Date.parse('2024-07-01T00:00:00+08:00');
  const to = Date.parse('2024-08-01T00:00:00+08:00');
  const seeded = await seedSettledOrders(ctx.sql, { prefix: 'restart', customers: 240, ordersPerCustomer: 1, ambassadors: 7, fromMs: from, toMs: to - 31 * 86_400_000, book: defaultRuleBook(), nowMs: Date.now() });
  const joins: RuleSet = { ...DEFAULT_RULE_SETS[2]!, version: 'from-2030', effectiveFrom: '2030-01-01T00:00:00Z' };
  const res = await simulate({ ruleSet: joins, from: new Date(from).toISOString(), to: new Date(to).toISOString(), requestedBy: 'pm' });
  expect(res.status).toBe(202);
  const id = res.body.id as string;

  const part = await waitFor(() => view(id), (v) => v.progress.customersDone > 0, 'the first batches', 30_000);
  await ctx.stopWorker();
  const stopped = await view(id);
  expect(part.progress.customersTotal).toBe(240);
  await ctx.startWorker();
  const done = await completed(id);
  expect(stopped.status).toBe('running');
  expect(stopped.progress.customersDone).toBeLessThan(240);
  expect(done.status).toBe('completed');
  expect(done.totals).toMatchObject({ orders: seeded.orders, changedOrders: 0, actual: { yunqi: seeded.grantedYunqi }, simulated: { yunqi: seeded.grantedYunqi }, difference: { yunqi: 0 } });
  expect(done.progress).toMatchObject({ customersDone: 240, ordersDone: 240 });
  const progress = await ctx.client.workflow.getHandle(simulationWorkflowId(id)).query(simulationProgressQuery);
  expect(progress).toMatchObject({ status: 'completed', customersTotal: 240, customersDone: 240, ordersDone: 240 });
  expect(progress.slices).toBeGreaterThanOrEqual(2);
});
