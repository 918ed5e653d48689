/**
 * OpenTelemetry tracing, opt-in (issue 14, item 3), with the SDK's v2 interceptors: a traced
 * worker and client produce the client, workflow and activity spans; and every stored history
 * (the order, customer and withdrawal ones, and those of the operations workflows) replays with
 * tracing off and on, so turning tracing on or off never breaks a running execution.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createActivities } from '../activities';
import { PROJECT_ROOT } from '../config';
import { RECONCILIATION_WORKFLOW } from '../contracts/reconciliation';
import { TRACING_WORKFLOW_INTERCEPTORS, createTracing, type Tracing } from '../lib/tracing';
import { createTestContext, type TestContext } from './harness/context';
import { HISTORIES_DIR, OPS_HISTORIES_DIR } from './harness/histories';

const spans = new InMemorySpanExporter();
let tracing: Tracing;
let tracedBundle: { code: string };
let ctx: TestContext;

beforeAll(async () => {
  tracing = createTracing({ exporter: spans, serviceName: 'settlement-test' });
  tracedBundle = await bundleWorkflowCode({
    workflowsPath: path.join(PROJECT_ROOT, 'test', 'fixtures', 'test-workflows.ts'),
    workflowInterceptorModules: [TRACING_WORKFLOW_INTERCEPTORS],
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
  await tracing?.shutdown();
});

function histories(dir: string) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
}

async function replay(workflowBundle: { code: string } | { codePath: string }, dirs: string[], traced: boolean) {
  const results: { id: string; error?: unknown }[] = [];
  const options = { workflowBundle, replayName: traced ? 'traced' : 'untraced', ...(traced ? { sinks: tracing.workerOptions.sinks } : {}) };
  for await (const r of Worker.runReplayHistories(options, dirs.flatMap(histories))) results.push({ id: r.workflowId, error: r.error });
  return results;
}

test('the operations workflows have stored histories (deliveries, simulations, reconciliation)', () => {
  const ids = histories(OPS_HISTORIES_DIR).map((h) => h.workflowId.split('-')[0]);
  expect([...new Set(ids)].sort()).toEqual(['delivery', 'reconciliation', 'simulation']);
});

test('every stored history replays with tracing off', async () => {
  const results = await replay({ codePath: process.env.TEST_WORKFLOW_BUNDLE! }, [OPS_HISTORIES_DIR], false);
  expect(results.length).toBeGreaterThanOrEqual(3);
  expect(results.filter((r) => r.error)).toEqual([]);
});

test('every stored history replays with tracing on (the v2 workflow interceptors in the bundle)', async () => {
  const results = await replay(tracedBundle, [HISTORIES_DIR, OPS_HISTORIES_DIR], true);
  expect(results.length).toBe(histories(HISTORIES_DIR).length + histories(OPS_HISTORIES_DIR).length);
  expect(results.filter((r) => r.error)).toEqual([]);
});

test('a traced client and worker export the client, workflow and activity spans', async () => {
  const taskQueue = `${ctx.config.TEMPORAL_TASK_QUEUE}-traced`;
  const worker = await Worker.create({ connection: ctx.testEnv.nativeConnection, taskQueue, workflowBundle: tracedBundle, activities: createActivities(ctx.deps), ...tracing.workerOptions });
  const client = new Client({ connection: ctx.testEnv.connection, interceptors: tracing.clientInterceptors });
  spans.reset();
  await worker.runUntil(client.workflow.execute(RECONCILIATION_WORKFLOW, { workflowId: 'reconciliation:traced', taskQueue, args: [{ trigger: 'manual' }] }));
  const names = new Set(spans.getFinishedSpans().map((s) => s.name));
  expect([...names]).toEqual(
    expect.arrayContaining([
      `StartWorkflow:${RECONCILIATION_WORKFLOW}`,
      `RunWorkflow:${RECONCILIATION_WORKFLOW}`,
      'StartActivity:reconciliationCheck',
      'RunActivity:reconciliationCheck',
    ]),
  );
  const run = spans.getFinishedSpans().find((s) => s.name === `RunWorkflow:${RECONCILIATION_WORKFLOW}`)!;
  const start = spans.getFinishedSpans().find((s) => s.name === `StartWorkflow:${RECONCILIATION_WORKFLOW}`)!;
  expect(run.spanContext().traceId).toBe(start.spanContext().traceId);
});
