/**
 * The Temporal worker: workflow code from a bundle built once, activities from their factory.
 * `npm start` runs it in-process; `tsx worker.ts` runs a worker alone (to scale out: start more
 * of these against the same task queue).
 */
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities, type ActivityDeps } from './activities';
import { loadConfig, type Config } from './config';
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

export async function createWorker(opts: {
  connection: NativeConnection;
  config: Config;
  deps: ActivityDeps;
  workflowBundle: { code: string } | { codePath: string };
  /** More worker options, which replace ours (the shutdown grace time of `npm start`, the
   * benchmarks' experiments). */
  options?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: opts.workflowBundle,
    activities: createActivities(opts.deps),
    ...opts.options,
  });
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
  const worker = await createWorker({
    connection,
    config,
    deps: { sql, client, config, logger, ruleBook: loadRuleBook(config) },
    workflowBundle: await bundleWorkflows(),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address }, 'worker running');
  await worker.run();
  await sql.end();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
