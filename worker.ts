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
import { ConfigError, customerTaskQueue, loadConfig, type Config } from './config';
import { createSql } from './db/client';
import type { Logger } from 'pino';
import { createLogger } from './lib/logger';
import { RetryStopped, pause, retryUntilDone } from './lib/retry';
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

/** Settings no retry can cure. */
const cannotBeCured = (err: unknown): boolean => err instanceof ConfigError;

/**
 * A worker process until `stop` (SIGINT/SIGTERM). Start-up is retried while Temporal or Postgres
 * cannot be reached, and workers that fail are made again: a service that restarts costs this
 * process a pause, not its life. Its supervisor (docker's restart policy, the cluster topology's
 * restarts) is only a backstop.
 */
export async function runWorkerProcess(config: Config, logger: Logger, stop: AbortSignal): Promise<void> {
  if (!config.DATABASE_URL) throw new ConfigError('DATABASE_URL must be set to run a worker alone (npm start sets it up for you)');
  const retry = <T>(what: string, step: () => Promise<T>) => retryUntilDone(what, step, { logger, signal: stop, permanent: cannotBeCured });
  const tracing = configuredTracing(config);
  const workflowBundle = await bundleWorkflows({ tracing: tracing !== null });
  const sql = createSql(config.DATABASE_URL);
  const temporal = temporalConnectionOptions(config);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const connection = await retry(`connecting the worker to Temporal at ${temporal.address}`, () => NativeConnection.connect(temporal));
    closers.push(() => connection.close());
    const clientConnection = await retry(`connecting the client to Temporal at ${temporal.address}`, () => Connection.connect(temporal));
    closers.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
    const ruleBook = await retry('loading the rule book from Postgres', () => openConfiguredRuleBook(sql, config, logger));
    closers.push(() => ruleBook.close());
    const deps: ActivityDeps = { sql, client, config, logger, ruleBook };
    const stopMetrics = await serveWorkerMetrics(config, deps);
    if (stopMetrics) closers.push(stopMetrics);
    await startOperations(deps);
    while (!stop.aborted) {
      const workers = await retry('creating the workers', () => createWorkers({ connection, config, deps, tracing, workflowBundle }));
      logger.info({ taskQueues: workerTaskQueues(config), address: temporal.address, metrics: config.METRICS_PORT ? `http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics` : null }, 'worker running');
      const shutdown = () => shutdownWorkers(workers);
      stop.addEventListener('abort', shutdown, { once: true });
      if (stop.aborted) shutdown();
      try {
        await runWorkers(workers);
        if (!stop.aborted) logger.warn('the workers stopped without being asked to; making them again');
      } catch (err) {
        if (!stop.aborted) logger.error({ err }, 'the workers failed; making them again');
      } finally {
        stop.removeEventListener('abort', shutdown);
      }
      await pause(1_000, stop);
    }
  } catch (err) {
    if (!(err instanceof RetryStopped)) throw err;
  } finally {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'closing on the way out failed'));
    await tracing?.shutdown();
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const loaded = loadConfig();
  const logger = createLogger(loaded);
  const config: Config = { ...loaded, TEMPORAL_METRICS_PORT: await coreMetricsPort(loaded, loaded.METRICS_PORT !== undefined) };
  // The signals are ours (shutdownSignals: []): a stop asked for during start-up ends the retrying.
  installRuntime({ logLevel: config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN', metricsPort: config.TEMPORAL_METRICS_PORT, shutdownSignals: [] });
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (logger.info({ signal: sig }, 'stopping the worker'), stop.abort()));
  // Workflows and activities are retried by Temporal: a promise nobody awaited that fails is a bug
  // to find in the log, not a reason to drop every running task of this process.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'a promise failed with nobody waiting for it'));
  await runWorkerProcess(config, logger, stop.signal);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
