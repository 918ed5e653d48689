/**
 * A burst of orders on a worker with two workflow-task slots. An order's assessment is a local
 * activity: it holds a slot of the worker while it queries the customer's workflow, which the
 * same worker serves. If the queries had to wait for a slot the orders hold, orders would stall
 * unattributed; every order must be attributed to its ambassador.
 */
import { useHarness } from './harness/use-harness';
import type { Harness } from './harness/association-fixtures';
import { associatedCustomer, opsOrder, orderMessage, placed, notReceived } from './harness/order-fixtures';

let h: Harness;
const SLOTS = 2;
const N = 12;
useHarness((x) => ({ h } = x), { ledgerSound: true, tuning: { maxConcurrentWorkflowTaskExecutions: SLOTS } });

test(`R-ATTR-5 ${N} orders at once, ${SLOTS} workflow-task slots: every order is attributed`, async () => {
  const t = await h.clock.sync();
  const customers = [];
  for (let i = 0; i < N; i++) customers.push(await associatedCustomer(h, { clickAt: t - 60_000 }));
  const placedAt = new Date(t).toISOString();
  const orders = await Promise.all(customers.map((c) => placed(h, orderMessage(c.customerId, { placedAt }))));
  for (const [i, o] of orders.entries()) {
    const view = await opsOrder(h, o.orderId, notReceived);
    expect(view.ambassadorId).toBe(customers[i]!.amb.id);
    expect(['in_review', 'crediting', 'completed']).toContain(view.state);
  }
});
