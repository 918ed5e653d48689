/**
 * Prometheus /metrics (issue 14, item 3): the order just settled shows in the program's metrics
 * (orders by state and reason, yunqi by entry kind), kept by triggers in the settlement's own
 * transaction; a worker's METRICS_PORT serves the same with the Temporal Core runtime's metrics
 * (workflow-task latency). The Core exporter is turned on before the harness installs the runtime.
 */
import request from 'supertest';
import type { Express } from 'express';
import { ephemeralPort } from '../lib/temporal-runtime';
import { serveWorkerMetrics } from '../worker';
import type { TestContext } from './harness/context';
import type { Harness } from './harness/association-fixtures';

let ctx: TestContext;
let h: Harness;
let app: Express;
let fx: typeof import('./harness/order-fixtures');

beforeAll(async () => {
  const corePort = await ephemeralPort();
  process.env.TEST_TEMPORAL_METRICS_PORT = String(corePort);
  const { createTestContext } = await import('./harness/context');
  const { createHarness } = await import('./harness/association-fixtures');
  fx = await import('./harness/order-fixtures');
  ctx = await createTestContext({ TEMPORAL_METRICS_PORT: String(corePort) });
  h = await createHarness(ctx);
  app = h.app;
});
afterAll(async () => {
  delete process.env.TEST_TEMPORAL_METRICS_PORT;
  await ctx?.close();
});

const scrape = async () => {
  const res = await h.ops(request(app).get('/metrics'));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.text;
};
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('GET /metrics needs the ops token', async () => {
  expect((await request(app).get('/metrics')).status).toBe(401);
});

test('/metrics shows the order just settled: its state, the yunqi granted, and the Core runtime metrics', async () => {
  const before = await scrape();
  const granted0 = sample(before, 'settlement_ledger_yunqi_total{kind="reward.granted"}') ?? 0;
  const now = await h.clock.sync();
  const { customerId } = await fx.associatedCustomer(h, { clickAt: now - 60_000 });
  const order = await fx.placed(h, fx.orderMessage(customerId, { paidAmount: '99.00', placedAt: new Date(now).toISOString() }));
  await fx.opsOrder(h, order.orderId, (x) => x.state === 'in_review');
  // An unattributed order, with its reason.
  const stray = await fx.placed(h, fx.orderMessage(`stray-${process.pid}`, { placedAt: new Date(now).toISOString() }));
  await fx.opsOrder(h, stray.orderId, (x) => x.state === 'not_attributed');

  const text = await scrape();
  expect(sample(text, 'settlement_orders{state="in_review",reason=""}')).toBe(1);
  expect(sample(text, 'settlement_orders{state="not_attributed",reason="NO_ASSOCIATION"}')).toBe(1);
  expect(sample(text, 'settlement_orders{state="received",reason=""}') ?? 0).toBe(0);
  expect(sample(text, 'settlement_order_transitions_total{state="in_review",reason=""}')).toBe(1);
  // 99.00 × 25% = 24.75 CNY = 2,475 yunqi granted (R-ORD-10).
  expect(sample(text, 'settlement_ledger_yunqi_total{kind="reward.granted"}')).toBe(granted0 + 2_475);
  expect(sample(text, 'settlement_ledger_entries_total{kind="reward.granted"}')).toBe(1);
  expect(text).toContain('process_cpu_seconds_total');
  // The Core runtime's own: workflow-task latency among them.
  expect(sample(text, 'settlement_temporal_core_metrics_up')).toBe(1);
  expect(text).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);
  expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency\w*\{/m);
});

test("a worker's METRICS_PORT serves the same text without a token", async () => {
  const port = await ephemeralPort();
  const stop = await serveWorkerMetrics({ ...ctx.config, METRICS_PORT: port }, ctx.deps);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'settlement_orders{state="in_review",reason=""}')).toBe(1);
    expect(text).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  } finally {
    await stop?.();
  }
});
