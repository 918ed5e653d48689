/**
 * The people orders need, made through the REST API as the identity and order systems would:
 * ambassadors join (L1); customers are upserted and click an ambassador's link, and the bench
 * waits until every association is projected into Postgres. And the orders themselves: one
 * message shape, sent over REST or through the typed client (contracts/orders/client.ts).
 */
import { placeOrder } from '../../contracts/orders/client';
import type { OrderPlaced } from '../../contracts/orders';
import type { Sent } from './load';
import { pool } from './load';
import { Progress, sleep } from './measure';
import type { Stack } from './stack';

export interface Ambassador {
  id: string;
  usercode: string;
  token: string;
}

/** `n` L1 ambassadors join (POST /v1/ambassadors). */
export async function joinAmbassadors(stack: Stack, prefix: string, n: number): Promise<Ambassador[]> {
  const out: Ambassador[] = [];
  await pool(Array.from({ length: n }, (_, a) => a), 8, async (a) => {
    const res = await stack.api.service('POST', '/v1/ambassadors', {
      accountId: `${prefix}-amb-${a}`,
      kind: 'individual',
      displayName: `Bench Ambassador ${a}`,
      realNameVerified: true,
      level: 'L1',
    });
    if (res.status !== 201) throw new Error(`ambassador join failed: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { ambassador: { id: string; usercode: string }; token: string };
    out[a] = { id: body.ambassador.id, usercode: body.ambassador.usercode, token: body.token };
  });
  return out;
}

/** Customers upserted and associated by a click each (customer i → ambassador i mod A); resolves
 * when every association is in Postgres. */
export async function associateCustomers(stack: Stack, customerIds: string[], ambassadors: Ambassador[], concurrency: number, timeoutS = 300): Promise<void> {
  const progress = new Progress('customers associated (REST: upsert + click)', customerIds.length);
  let done = 0;
  await pool(customerIds, concurrency, async (customerId, i) => {
    const put = await stack.api.service('PUT', `/v1/customers/${customerId}`, {});
    if (put.status !== 200) throw new Error(`customer upsert failed: ${put.status} ${JSON.stringify(put.body)}`);
    const click = await stack.api.service('POST', '/v1/clicks', { customerId, usercode: ambassadors[i % ambassadors.length]!.usercode, clickId: `${customerId}-click` });
    if (click.status !== 202 || (click.body as { refused: unknown }).refused) throw new Error(`click failed: ${click.status} ${JSON.stringify(click.body)}`);
    progress.update(++done);
  });
  progress.end();
  const deadline = Date.now() + timeoutS * 1000;
  const projected = new Progress('associations projected', customerIds.length);
  for (;;) {
    stack.worker.assert();
    const [row] = await stack.sql<{ n: number }[]>`SELECT count(DISTINCT customer_id)::int AS n FROM associations WHERE customer_id IN ${stack.sql(customerIds)}`;
    projected.update(row!.n);
    if (row!.n >= customerIds.length) break;
    if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${customerIds.length} associations after ${timeoutS} s`);
    await sleep(250);
  }
  projected.end();
}

export interface BenchOrder {
  id: string;
  customerId: string;
}

/** A prepaid new order of a core product; 5,000.00 CNY at L1 earns 1,250.00, credited in two installments. */
export function orderMessage(o: BenchOrder, placedAt: Date, paidAmount = '5000.00'): OrderPlaced {
  return { orderId: o.id, customerId: o.customerId, productCode: 'ecs.g7.large', productCategory: 'core', paidAmount, billing: 'prepaid', orderType: 'new', placedAt: placedAt.toISOString() };
}

/** Sends an order over REST (POST /v1/orders); ok when accepted as new. */
export function restSender(stack: Stack, placedAt: Date, paid?: string): (o: BenchOrder) => Promise<Sent> {
  return async (o) => {
    const res = await stack.api.service('POST', '/v1/orders', orderMessage(o, placedAt, paid));
    return { ok: res.status === 202 && (res.body as { duplicate?: boolean }).duplicate === false, status: String(res.status), detail: res.body };
  };
}

/** Sends an order through the typed Temporal client (placeOrder), as an order system on Temporal would. */
export function typedSender(stack: Stack, placedAt: Date, paid?: string): (o: BenchOrder) => Promise<Sent> {
  const opts = { taskQueue: stack.config.TEMPORAL_TASK_QUEUE, searchAttributes: stack.config.TEMPORAL_SEARCH_ATTRIBUTES };
  return async (o) => {
    const r = await placeOrder(stack.client, orderMessage(o, placedAt, paid), opts);
    return { ok: !r.duplicate, status: r.duplicate ? 'duplicate' : 'started' };
  };
}
