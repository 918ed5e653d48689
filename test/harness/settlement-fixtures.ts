/** Helpers for the settlement-by-facts tests: messages over REST, and a settlement step held still. */
import request from 'supertest';
import type { TestContext } from './context';
import { waitFor, type Harness } from './association-fixtures';

export const refund = (h: Harness, orderId: string, body: Record<string, unknown>) => h.service(request(h.app).post(`/v1/orders/${orderId}/refunds`)).send(body);
export const finding = (h: Harness, orderId: string, body: Record<string, unknown>) => h.service(request(h.app).post(`/v1/orders/${orderId}/findings`)).send(body);

/** Sessions waiting for a row lock. */
async function lockWaiters(ctx: TestContext): Promise<number> {
  const [row] = await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND state = 'active'`;
  return row!.n;
}

/**
 * Holds the customer's row and the order's row locked (what a settlement step takes), lets `start`
 * begin a step (e.g. skip to an installment's due instant) and waits until the step waits for the
 * locks; then runs `during` (messages that arrive while the step runs) and lets the step go on.
 * The step is held for longer than the workflow task heartbeat of a long local activity (80% of
 * the 10 s task timeout), so a message sent meanwhile reaches the workflow code before the step
 * ends. Answers what `during` answered.
 */
export async function whileSettling<T>(ctx: TestContext, ids: { customerId: string; orderId: string }, start: () => Promise<unknown>, during: () => T): Promise<T> {
  let out!: T;
  await ctx.sql.begin(async (tx) => {
    await tx`SELECT 1 FROM customers WHERE id = ${ids.customerId} FOR UPDATE`;
    await tx`SELECT 1 FROM orders WHERE order_id = ${ids.orderId} FOR UPDATE`;
    await start();
    await waitFor(() => lockWaiters(ctx), (n) => n > 0, 'the settlement step to wait for the order');
    out = during();
    await new Promise((r) => setTimeout(r, 9_500)); // the message reaches the workflow while the step is held
  });
  return out;
}
