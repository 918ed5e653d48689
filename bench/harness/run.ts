/**
 * A long run through Temporal in a closed loop: K lanes each place an order (REST), wait until it
 * is settled, and place the next, so the system works at what it can sustain and a slowdown as
 * the data grows shows as fewer orders settled per second later in the run. Lanes start spread
 * over the length of one order, so steps do not come due in waves. Measured: orders settled per
 * second in each tenth of the run (by count), and the worker's memory per cached workflow: the
 * process's resident memory when the cache is fullest (median of those samples) less what it was
 * with an empty cache (the worker restarted just before), over the workflows cached. Approximate:
 * resident memory also moves with garbage collection and buffers.
 */
import { TERMINAL_STATES } from '../../contracts/orders';
import { restSender, type BenchOrder } from './population';
import { Progress, Tenths, fmt, median, sleep } from './measure';
import type { Stack } from './stack';

export interface LoopResult {
  settled: number;
  refused: number;
  seconds: number;
  tenths: number[];
  /** Bytes of resident memory per cached workflow, and how many were cached then. */
  bytesPerCachedWorkflow: number;
  cachedMax: number;
}

/** Resident memory with the cache fullest (samples with ≥ 90% of the most cached) above `emptyRss`, per cached workflow. */
function perCachedWorkflow(samples: [number, number][], emptyRss: number): { bytes: number; cached: number } {
  const most = Math.max(...samples.map(([c]) => c));
  const full = samples.filter(([c]) => c >= 0.9 * most);
  const cached = median(full.map(([c]) => c));
  return { bytes: (median(full.map(([, rss]) => rss)) - emptyRss) / cached, cached };
}

export async function closedLoop(stack: Stack, o: { orders: BenchOrder[]; lanes: number; orderSpanS: number; timeoutS: number }): Promise<LoopResult> {
  await stack.worker.restart(); // an empty cache to start from
  const rssSamples: number[] = [];
  for (let i = 0; i < 5; i++, await sleep(400)) rssSamples.push(process.memoryUsage().rss);
  const emptyRss = median(rssSamples);
  const startMs = Date.now();
  const tenths = new Tenths();
  const waiting = new Map<string, () => void>();
  const progress = new Progress('orders settled (closed loop)', o.orders.length);
  const memory: [number, number][] = [];
  let next = 0;
  let refused = 0;
  let stop = false;
  const isTerminal = (st: string) => (TERMINAL_STATES as readonly string[]).includes(st);

  // One poller for every lane: which of the orders waited for are settled now.
  const poller = (async () => {
    while (!stop) {
      stack.worker.assert();
      const ids = [...waiting.keys()];
      if (ids.length) {
        const rows = await stack.sql<{ order_id: string; state: string }[]>`SELECT order_id, state FROM orders WHERE order_id IN ${stack.sql(ids)}`;
        for (const r of rows) if (isTerminal(r.state)) waiting.get(r.order_id)?.();
      }
      const cached = stack.worker.current().reduce((n, w) => n + w.getStatus().numCachedWorkflows, 0);
      memory.push([cached, process.memoryUsage().rss]);
      progress.update(tenths.count, `${fmt((tenths.count * 1000) / Math.max(1, Date.now() - startMs))}/s, ${waiting.size} in flight, ${cached} cached`);
      if (Date.now() - startMs > o.timeoutS * 1000) throw new Error(`the closed-loop run did not end within ${o.timeoutS} s`);
      await sleep(500);
    }
  })();

  const lane = async (k: number) => {
    await sleep((k * o.orderSpanS * 1000) / o.lanes);
    for (;;) {
      const i = next++;
      if (i >= o.orders.length) return;
      const order = o.orders[i]!;
      const sent = await restSender(stack, new Date())(order);
      if (!sent.ok) {
        refused++;
        continue;
      }
      await new Promise<void>((resolve) => waiting.set(order.id, resolve));
      waiting.delete(order.id);
      tenths.add(Date.now());
    }
  };
  try {
    await Promise.race([Promise.all(Array.from({ length: o.lanes }, (_, k) => lane(k))), poller]);
  } finally {
    stop = true;
    progress.end();
  }
  await poller;
  return {
    settled: tenths.count,
    refused,
    seconds: (Date.now() - startMs) / 1000,
    tenths: tenths.rates(),
    ...((m) => ({ bytesPerCachedWorkflow: m.bytes, cachedMax: m.cached }))(perCachedWorkflow(memory, emptyRss)),
  };
}
