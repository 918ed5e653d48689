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
import { loadRuleBook } from './config/rules';

export const WORKFLOWS_PATH = path.join(__dirname, 'workflows', 'index.ts');

/** Bundles the production workflows, or another entry (a benchmark's, which re-exports them). */
export async function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop } as never;

export interface WorkerSetup {
  connection: NativeConnection;
  config: Config;
  deps: ActivityDeps;
  workflowBundle: { code: string } | { codePath: string };
  /** More worker options, which replace ours (the shutdown grace time of `npm start`, the
   * benchmarks' experiments). */
  options?: Partial<WorkerOptions>;
}

/** The task queues a worker process polls: the main one, and the customer workflows' own when it
 * is another (config TEMPORAL_CUSTOMER_TASK_QUEUE; docs/performance.md). */
export const workerTaskQueues = (config: Config): string[] => [...new Set([config.TEMPORAL_TASK_QUEUE, customerTaskQueue(config)])];

/** One worker on `taskQueue` (default: the main queue), hosting every workflow and activity. */
export async function createWorker(opts: WorkerSetup & { taskQueue?: string }): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.taskQueue ?? opts.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: opts.workflowBundle,
    activities: createActivities(opts.deps),
    ...opts.options,
  });
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

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL must be set to run a worker alone (npm start sets it up for you)');
  const sql = createSql(config.DATABASE_URL);
  const address = temporalAddress(config);
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace: config.TEMPORAL_NAMESPACE });
  const workers = await createWorkers({
    connection,
    config,
    deps: { sql, client, config, logger, ruleBook: loadRuleBook(config) },
    workflowBundle: await bundleWorkflows(),
  });
  logger.info({ taskQueues: workerTaskQueues(config), address }, 'worker running');
  await runWorkers(workers);
  await sql.end();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
