/**
 * The REST traffic of the fault test and the bench, as the order and identity systems and the
 * ambassadors send it (README "Try it"): ambassadors join, customers are upserted and click,
 * orders are placed, refunded, and ambassadors withdraw. Every money-moving call is retried with
 * the same body (and Idempotency-Key) until it is answered, as a real client does across an
 * outage: the system must take each exactly once.
 */
export const SERVICE_TOKEN = 'dev-service-token-change-me';
export const OPS_TOKEN = 'dev-ops-token-change-me';

export interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class Rest {
  /** Requests that failed (connection refused, timeout, 5xx) and were sent again. */
  retries = 0;
  constructor(readonly base: string) {}

  async call(method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.base}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  }

  /** Sends the same request until it gets an answer below 500 (or `deadlineMs` passes). */
  async send(method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}, deadlineMs = 180_000): Promise<Answer> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const a = await this.call(method, route, token, body, headers).catch((err: Error) => ({ status: 0, body: { error: err.message } }));
      if (a.status > 0 && a.status < 500) return a;
      if (Date.now() > deadline) throw new Error(`${method} ${route}: no answer before the deadline (last: ${a.status} ${JSON.stringify(a.body)})`);
      this.retries += 1;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async expect(status: number, method: string, route: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
    const a = await this.send(method, route, token, body, headers);
    if (a.status !== status) throw new Error(`${method} ${route}: expected ${status}, got ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  }
}

export interface Ambassador {
  id: string;
  usercode: string;
  token: string;
}

export async function joinAmbassador(rest: Rest, n: number, runId: string): Promise<Ambassador> {
  const a = await rest.expect(201, 'POST', '/v1/ambassadors', SERVICE_TOKEN, {
    accountId: `acct-${runId}-${n}`,
    kind: 'individual',
    displayName: `Ambassador ${n}`,
    realNameVerified: true,
    joinedAt: new Date(Date.now() - 86_400_000).toISOString(),
  });
  return { id: a.body.ambassador.id, usercode: a.body.ambassador.usercode, token: a.body.token };
}

/** A customer upserted and associated with the ambassador by a click a minute ago. */
export async function associate(rest: Rest, customerId: string, amb: Ambassador): Promise<void> {
  await rest.expect(200, 'PUT', `/v1/customers/${customerId}`, SERVICE_TOKEN, {});
  await rest.expect(202, 'POST', '/v1/clicks', SERVICE_TOKEN, {
    customerId,
    usercode: amb.usercode,
    clickId: `click-${customerId}`,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
  });
}

export async function associated(rest: Rest, customerId: string): Promise<boolean> {
  const a = await rest.call('GET', `/v1/ops/customers/${customerId}/association`, OPS_TOKEN).catch(() => undefined);
  return (a?.body.timeline ?? []).some((e: { kind: string }) => e.kind === 'created');
}

export function orderBody(orderId: string, customerId: string, paidAmount: string) {
  return { orderId, customerId, productCode: 'ecs.g7.large', productCategory: 'core', paidAmount, billing: 'prepaid', orderType: 'new', placedAt: new Date().toISOString() };
}

export async function placeOrder(rest: Rest, body: ReturnType<typeof orderBody>): Promise<void> {
  await rest.expect(202, 'POST', '/v1/orders', SERVICE_TOKEN, body);
}

export async function refund(rest: Rest, orderId: string, amount: string, full: boolean): Promise<void> {
  await rest.expect(202, 'POST', `/v1/orders/${orderId}/refunds`, SERVICE_TOKEN, { refundId: `refund-${orderId}`, amount, full });
}

/** A withdrawal sent twice with one Idempotency-Key (a client retrying): both answers must agree. */
export async function withdraw(rest: Rest, amb: Ambassador, key: string, amount: string): Promise<Answer> {
  const headers = { 'idempotency-key': key };
  const first = await rest.send('POST', '/v1/ambassadors/me/withdrawals', amb.token, { amount }, headers);
  const again = await rest.send('POST', '/v1/ambassadors/me/withdrawals', amb.token, { amount }, headers);
  if (first.status !== again.status || first.body.id !== again.body.id) {
    throw new Error(`withdrawal ${key}: the retry was answered differently (${first.status} ${first.body.id} / ${again.status} ${again.body.id})`);
  }
  return first;
}
