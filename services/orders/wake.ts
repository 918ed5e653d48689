/**
 * Waking orders whose outcome a settlement of another order changed (an earlier order arrived, a
 * late click moved an attribution, an identity change voided installments): their workflow is
 * signalled to settle now, or started again when its run had ended (contracts/orders/client.ts
 * reconcileOrder). The request is kept in the row (wake_requested_at) until the signal is sent, so
 * a failure here is retried by the next settlement of the customer.
 */
import { reconcileOrder } from '../../contracts/orders/client';
import type { OrderRow } from '../../db/repositories/orders';
import { temporalOptions, type Deps } from '../deps';

export async function wakeOrders(deps: Pick<Deps, 'sql' | 'client' | 'config' | 'logger'>, rows: readonly OrderRow[], because = 'facts of the customer changed'): Promise<void> {
  for (const row of rows) {
    try {
      await reconcileOrder(deps.client, row.order_id, because, { bodyHash: row.body_hash, customerId: row.customer_id, paidYunqi: row.paid_yunqi }, temporalOptions(deps.config));
      await deps.sql`UPDATE orders SET wake_requested_at = NULL WHERE order_id = ${row.order_id} AND wake_requested_at <= now()`;
    } catch (err) {
      deps.logger.warn({ err, orderId: row.order_id }, 'waking the order failed; the next settlement of its customer retries');
    }
  }
}

/** Orders of the customer whose wake is still pending (a wake that failed earlier). */
export async function pendingWakes(deps: Pick<Deps, 'sql'>, customerId: string): Promise<OrderRow[]> {
  return deps.sql<OrderRow[]>`SELECT * FROM orders WHERE customer_id = ${customerId} AND wake_requested_at IS NOT NULL`;
}

/**
 * R-SAME-2: an identity change reaches, at once, every order of that customer (or ambassador) that
 * still has an installment due at or after the change: each is woken and settles now.
 */
export async function wakeOrdersAfterIdentityChange(
  deps: Pick<Deps, 'sql' | 'client' | 'config' | 'logger'>,
  subject: { kind: 'customer' | 'ambassador'; id: string },
  changedAtMs: number,
): Promise<number> {
  const rows = await deps.sql<OrderRow[]>`
    SELECT * FROM orders
     WHERE ${subject.kind === 'customer' ? deps.sql`customer_id = ${subject.id}` : deps.sql`ambassador_id = ${subject.id}`}
       AND failure IS NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(installments) i WHERE (i->>'dueAtMs')::bigint >= ${changedAtMs})`;
  await wakeOrders(deps, rows, `an identity change of the ${subject.kind} at ${new Date(changedAtMs).toISOString()}`);
  return rows.length;
}

/** R-AMB-3: a level change reaches the ambassador's orders placed from its instant on (their rate
 * is judged by the level at placement): each is woken and settles now. */
export async function wakeOrdersAfterLevelChange(deps: Pick<Deps, 'sql' | 'client' | 'config' | 'logger'>, ambassadorId: string, effectiveAtMs: number): Promise<number> {
  const rows = await deps.sql<OrderRow[]>`
    SELECT * FROM orders WHERE ambassador_id = ${ambassadorId} AND placed_at >= ${new Date(effectiveAtMs)} AND failure IS NULL`;
  await wakeOrders(deps, rows, `a level change of the ambassador from ${new Date(effectiveAtMs).toISOString()}`);
  return rows.length;
}
