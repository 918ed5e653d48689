/**
 * Latency of the read endpoints people use: an ambassador's orders, ledger, withdrawals and
 * customers (a first page and the next), and the ops views of an order and of a customer's
 * association, each called `n` times for random ambassadors, orders and customers, a few at a time.
 */
import { pool, type HttpCall } from './load';
import { distribution, now, percentile } from './measure';

export interface ReadTargets {
  ambassadorTokens: string[];
  orderIds: string[];
  customerIds: string[];
  opsToken: string;
}

export interface ReadLatency {
  endpoint: string;
  p50: number;
  p99: number;
  line: string;
  errors: number;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** One request, timed. */
async function timed(call: HttpCall, path: string, token: string): Promise<{ status: number; ms: number; body: unknown }> {
  const t0 = now();
  const res = await call('GET', path, undefined, token);
  return { status: res.status, ms: Number(now() - t0) / 1e6, body: res.body };
}

export async function readLatencies(call: HttpCall, t: ReadTargets, n: number, concurrency = 4): Promise<ReadLatency[]> {
  const pages = ['orders', 'ledger', 'withdrawals', 'customers'].map((what) => ({
    endpoint: `GET /v1/ambassadors/me/${what}`,
    // A first page and, when there is one, the next page: two requests, each timed.
    request: async () => {
      const token = pick(t.ambassadorTokens);
      const first = await timed(call, `/v1/ambassadors/me/${what}?limit=50`, token);
      const cursor = (first.body as { nextCursor?: string | null } | null)?.nextCursor;
      return cursor ? [first, await timed(call, `/v1/ambassadors/me/${what}?limit=50&cursor=${encodeURIComponent(cursor)}`, token)] : [first];
    },
  }));
  const ops = [
    { endpoint: 'GET /v1/ops/orders/{id}', request: async () => [await timed(call, `/v1/ops/orders/${pick(t.orderIds)}`, t.opsToken)] },
    { endpoint: 'GET /v1/ops/customers/{id}/association', request: async () => [await timed(call, `/v1/ops/customers/${pick(t.customerIds)}/association`, t.opsToken)] },
  ];
  const out: ReadLatency[] = [];
  for (const e of [...pages, ...ops]) {
    const ms: number[] = [];
    let errors = 0;
    await pool(Array.from({ length: n }, (_, i) => i), concurrency, async () => {
      for (const r of await e.request()) {
        ms.push(r.ms);
        if (r.status !== 200) errors++;
      }
    });
    const sorted = [...ms].sort((a, b) => a - b);
    out.push({ endpoint: e.endpoint, p50: percentile(sorted, 50), p99: percentile(sorted, 99), line: `${ms.length} requests: ${distribution(ms)}`, errors });
  }
  return out;
}
