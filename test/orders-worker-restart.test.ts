/**
 * A worker stopped in the middle of an order's review period and a new one started: the
 * settlement completes from the history, and no credit is doubled or lost. The workers run
 * without a sticky cache, so the new worker picks the order up at once (the test server does not
 * time out a stopped worker's sticky queue) and every workflow task is a full replay.
 */
import { createTestContext, type TestContext } from './harness/context';
import { createHarness, type Harness } from './harness/association-fixtures';
import { associatedCustomer, balances, expectLedgerSound, opsOrder, orderMessage, placed, settled, status, DAY } from './harness/order-fixtures';

let ctx: TestContext;
let h: Harness;

beforeAll(async () => {
  ctx = await createTestContext({}, { noStickyCache: true });
  h = await createHarness(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const nowIso = () => new Date(h.clock.now()).toISOString();

test('the worker stopped mid-review and a new one started: settlement completes with no credit doubled or lost', async () => {
  const now = await h.clock.sync();
  const { amb, customerId } = await associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: nowIso() }));
  await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  await h.clock.skip(3 * DAY);
  await ctx.stopWorker();
  await ctx.startWorker();
  const final = await settled(ctx, order.orderId);
  expect(final.state).toBe('completed');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 0, available: 125_000 });
  const entries = await ctx.sql<{ kind: string; n: number }[]>`
    SELECT kind, count(*)::int AS n FROM journal_entries WHERE order_id = ${order.orderId} GROUP BY kind ORDER BY kind`;
  expect(entries).toEqual([
    { kind: 'reward.credited', n: 2 },
    { kind: 'reward.granted', n: 1 },
  ]);
  expect((await status(ctx, order.orderId)).creditedYunqi).toBe(125_000);
  await expectLedgerSound(ctx);
});
