/**
 * Load: a bounded pool of requests in flight, a keep-alive JSON HTTP client for the REST API, and
 * one driver that sends items (orders, starts) with C in flight and answers the rate, the
 * latencies and what was refused. The typed Temporal client is driven through the same driver.
 */
import http from 'node:http';
import { Progress, distribution, fmt, now, secondsSince } from './measure';

/** Runs fn over items with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await fn(items[i]!, i);
      }
    }),
  );
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export type HttpCall = (method: string, path: string, body?: unknown, token?: string) => Promise<HttpAnswer>;

/** A JSON client of one local HTTP server, with keep-alive connections (at most `sockets`). */
export function httpClient(port: number, defaultToken: string, sockets: number): { call: HttpCall; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const call: HttpCall = (method, urlPath, body, token = defaultToken) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) });
      const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${urlPath} timed out after 60 s`)));
      req.end(payload);
    });
  };
  return { call, close: () => agent.destroy() };
}

export interface Sent {
  ok: boolean;
  status: string;
  detail?: unknown;
}

export interface DriveResult {
  acceptedIds: string[];
  refused: Map<string, number>;
  errors: number;
  firstError: string | null;
  seconds: number;
  perSecond: number;
  latencies: number[];
}

/**
 * Sends every item with `concurrency` in flight, with a progress line; `check` runs at the end
 * (e.g. the worker is still alive). An item counts as accepted when `send` answers ok.
 */
export async function drive<T extends { id: string }>(
  label: string,
  items: T[],
  concurrency: number,
  send: (item: T) => Promise<Sent>,
  check: () => void = () => undefined,
): Promise<DriveResult> {
  const progress = new Progress(label, items.length);
  const r: DriveResult = { acceptedIds: [], refused: new Map(), errors: 0, firstError: null, seconds: 0, perSecond: 0, latencies: [] };
  const t0 = now();
  let done = 0;
  const rate = () => `${fmt(r.acceptedIds.length / secondsSince(t0))}/s`;
  const tick = setInterval(() => progress.update(done, rate()), 1000);
  try {
    await pool(items, concurrency, async (item) => {
      const t = now();
      try {
        const res = await send(item);
        if (res.ok) {
          r.latencies.push(Number(now() - t) / 1e6);
          r.acceptedIds.push(item.id);
        } else {
          r.refused.set(res.status, (r.refused.get(res.status) ?? 0) + 1);
          r.firstError ??= `${res.status} ${JSON.stringify(res.detail)}`;
        }
      } catch (err) {
        r.errors++;
        r.firstError ??= err instanceof Error ? err.message : String(err);
      }
      progress.update(++done, rate());
    });
    check();
  } finally {
    clearInterval(tick);
  }
  progress.end();
  r.seconds = secondsSince(t0);
  r.perSecond = r.acceptedIds.length / r.seconds;
  return r;
}

export function driveLine(what: string, r: DriveResult): string {
  let s = `${what}: ${r.acceptedIds.length} in ${fmt(r.seconds, 2)} s = ${fmt(r.perSecond)}/s; latency ${distribution(r.latencies)}`;
  if (r.refused.size || r.errors) {
    s += `\n  NOT accepted: ${[...r.refused].map(([st, n]) => `${st} × ${n}`).join(', ')}${r.errors ? ` errors × ${r.errors}` : ''}; first: ${r.firstError}`;
  }
  return s;
}
