/**
 * A worker stopped in the middle of an order's review period and a new one started: the
 * settlement completes from the history (the new worker replays it), and no credit is doubled or
 * lost. This runs on the real Temporal dev server, in real time, with the review and crediting
 * waits shortened (7 days ≈ 1.8 s, 30 days ≈ 7.8 s): the time-skipping test server does not move
 * a stopped worker's sticky queue to the new worker.
 */
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { waitFor, type Harness } from './harness/association-fixtures';
import { associatedCustomer, balances, expectLedgerSound, opsOrder, orderMessage, placed, settled, status } from './harness/order-fixtures';
import { orderWorkflowId } from '../contracts/orders';
import { shortenedRuleSetFile } from './harness/rule-sets';

// 7 days ≈ 1.8 s, 30 days ≈ 7.8 s: room enough on a loaded machine to stop the worker before the first credit.
const SCALE = 0.000003;
let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { env: { RULESET_FILE: shortenedRuleSetFile(SCALE) }, devServer: true });

test('the worker stopped mid-review and a new one started: settlement completes with no credit doubled or lost', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: Date.now() - 60_000 });
  const order = await placed(h, orderMessage(customerId, { paidAmount: '5000.00', placedAt: new Date().toISOString() }));
  const inReview = await opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  await ctx.stopWorker();
  // The review period ends while no worker runs.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(inReview.reviewEndsAt!) - Date.now()) + 300));
  // The review's end moves no money: the order shows as crediting, its reward still pending.
  expect((await opsOrder(h, order.orderId)).state).toBe('crediting');
  expect(await balances(ctx, amb.id)).toMatchObject({ pending: 125_000, available: 0 });
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
  // On the real server the order's search attributes are set, so ops can filter in the UI.
  const listed = async () => {
    const ids: string[] = [];
    for await (const w of ctx.client.workflow.list({ query: `OrderState = "completed" AND AmbassadorId = "${amb.id}"` })) ids.push(w.workflowId);
    return ids;
  };
  expect(await waitFor(listed, (ids) => ids.length > 0, 'the order in the visibility store')).toEqual([orderWorkflowId(order.orderId)]);
  await expectLedgerSound(ctx);
});
