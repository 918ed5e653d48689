/**
 * The Temporal worker: workflow code from a bundle built once, activities from their factory, one
 * Worker per task queue (the main one and the customer workflows' own). `npm start` runs them
 * in-process; `tsx worker.ts` runs them alone (to scale out: start more of these against the same
 * task queues).
 */
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities, type ActivityDeps } from './activities';
import { customerTaskQueue, loadConfig, type Config } from './config';
import { createSql } from './db/client';
import { createLogger } from './lib/logger';
import { openConfiguredRuleBook } from './services/rulesets/book';
import { createMetrics } from './services/metrics';
import { startOperations } from './services/operations';
import { serveMetrics } from './lib/metrics-http';
import { ephemeralPort, installRuntime } from './lib/temporal-runtime';
import { temporalConnectionOptions } from './config/temporal';
import { TRACING_WORKFLOW_INTERCEPTORS, createTracing, type Tracing } from './lib/tracing';

export const WORKFLOWS_PATH = path.join(__dirname, 'workflows', 'index.ts');

/** The workflow bundle (of the production workflows, or another entry: a benchmark's, which
 * re-exports them); with tracing, it holds the OpenTelemetry workflow interceptors. */
export async function bundleWorkflows(opts: { tracing?: boolean; workflowsPath?: string } = {}): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath: opts.workflowsPath ?? WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    ...(opts.tracing ? { workflowInterceptorModules: [TRACING_WORKFLOW_INTERCEPTORS] } : {}),
  });
}

/** Tracing as the settings ask (TRACING_EXPORTER), or null when it is off. */
export function configuredTracing(config: Config): Tracing | null {
  if (config.TRACING_EXPORTER === 'off') return null;
  return createTracing({ exporter: config.TRACING_EXPORTER, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME });
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop } as never;

export interface WorkerSetup {
  connection: NativeConnection;
  config: Config;
  deps: ActivityDeps;
  workflowBundle: { code: string } | { codePath: string };
  /** Tracing on: the bundle must be made with bundleWorkflows({ tracing: true }). */
  tracing?: Tracing | null;
  /** More worker options, which replace ours (the shutdown grace time of `npm start`, the
   * benchmarks' experiments). */
  options?: Partial<WorkerOptions>;
}

/** The task queues a worker process polls: the main one, and the customer workflows' own when it
 * is another (config TEMPORAL_CUSTOMER_TASK_QUEUE; docs/performance.md). */
export const workerTaskQueues = (config: Config): string[] => [...new Set([config.TEMPORAL_TASK_QUEUE, customerTaskQueue(config)])];

/**
 * The worker's tuning, set from measurement on 2 cores (docs/performance.md, bench/empty.ts and
 * bench:orders with --wft-slots, --wft-pollers, --cache, --wf-threads, --no-reuse-v8): the SDK's
 * values, written out so they are chosen here and not by an SDK upgrade.
 *   reuseV8Context    one V8 context for all workflows: a context per workflow cost 35 ms of
 *                     worker CPU per empty workflow against 21 (11 since the workflow code
 *                     evaluates no zod)
 *   workflowThreadPoolSize  1 per Worker (two Workers, so two threads): a second thread did not
 *                     lower the CPU per order, and the server and Postgres need the other core
 *   maxConcurrentWorkflowTaskExecutions 40, workflowTaskPollerBehavior 10 pollers: 4 pollers gave
 *                     the same figures; slots are not what binds on 2 cores, CPU is
 * maxCachedWorkflows is left to the SDK (from the heap: 2,310 per Worker at Node's 4 GiB heap
 * here): an order's history is ~20 events, so an evicted one replays cheaply, and the memory per
 * cached workflow (bench:scale) keeps a full cache far below the heap.
 */
export const WORKER_TUNING = {
  reuseV8Context: true,
  workflowThreadPoolSize: 1,
  maxConcurrentWorkflowTaskExecutions: 40,
  workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 10 },
} satisfies Partial<WorkerOptions>;

/** One worker on `taskQueue` (default: the main queue), hosting every workflow and activity. */
export async function createWorker(opts: WorkerSetup & { taskQueue?: string }): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.taskQueue ?? opts.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: opts.workflowBundle,
    activities: createActivities(opts.deps),
    ...WORKER_TUNING,
    ...(opts.tracing?.workerOptions ?? {}),
    ...opts.options,
  });
}

/** The Core runtime's metrics port: the setting, or a free one when this process serves /metrics. */
export async function coreMetricsPort(config: Config, servesMetrics: boolean): Promise<number | undefined> {
  return config.TEMPORAL_METRICS_PORT ?? (servesMetrics ? ephemeralPort() : undefined);
}

/** A worker per task queue of workerTaskQueues: the same workflows and activities, each queue with
 * its own slots and pollers, so a burst on one does not hold back the other. */
export async function createWorkers(opts: WorkerSetup): Promise<Worker[]> {
  return Promise.all(workerTaskQueues(opts.config).map((taskQueue) => createWorker({ ...opts, taskQueue })));
}

/** Asks every running worker to stop (runWorkers returns once they did). */
export function shutdownWorkers(workers: Worker[]): void {
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
}

/** Runs the workers until all stop; one that stops (shut down, or failed) stops the others. */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const results = await Promise.allSettled(workers.map((w) => w.run().finally(() => shutdownWorkers(workers))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Serves GET /metrics on METRICS_PORT when it is set; answers how to stop it. */
export async function serveWorkerMetrics(config: Config, deps: ActivityDeps): Promise<(() => Promise<void>) | null> {
  if (!config.METRICS_PORT) return null;
  const metrics = createMetrics(deps);
  const server = await serveMetrics({ host: config.METRICS_HOST, port: config.METRICS_PORT, render: metrics.render, contentType: metrics.contentType });
  return server.close;
}

export { temporalAddress } from './config/temporal';

async function main(): Promise<void> {
  const loaded = loadConfig();
  const logger = createLogger(loaded);
  if (!loaded.DATABASE_URL) throw new Error('DATABASE_URL must be set to run a worker alone (npm start sets it up for you)');
  const config: Config = { ...loaded, TEMPORAL_METRICS_PORT: await coreMetricsPort(loaded, loaded.METRICS_PORT !== undefined) };
  installRuntime({ logLevel: config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN', metricsPort: config.TEMPORAL_METRICS_PORT });
  const sql = createSql(loaded.DATABASE_URL);
  const temporal = temporalConnectionOptions(config);
  const { address } = temporal;
  const connection = await NativeConnection.connect(temporal);
  const tracing = configuredTracing(config);
  const client = new Client({ connection: await Connection.connect(temporal), namespace: config.TEMPORAL_NAMESPACE, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
  const ruleBook = await openConfiguredRuleBook(sql, config, logger);
  const deps: ActivityDeps = { sql, client, config, logger, ruleBook };
  const workers = await createWorkers({ connection, config, deps, tracing, workflowBundle: await bundleWorkflows({ tracing: tracing !== null }) });
  await startOperations(deps);
  const stopMetrics = await serveWorkerMetrics(config, deps);
  logger.info({ taskQueues: workerTaskQueues(config), address, metrics: config.METRICS_PORT ? `http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics` : null }, 'worker running');
  await runWorkers(workers);
  await stopMetrics?.();
  await ruleBook.close();
  await tracing?.shutdown();
  await sql.end();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
