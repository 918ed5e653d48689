/**
 * Per test file: a fresh Postgres database cloned from the migrated template, a time-skipping
 * Temporal test server of its own (time is global to one environment, so tests in a file run
 * serially), and a real Worker running the shared workflow bundle with the real activities.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { loadConfig, type Config } from '../../config';
import { devServerExecutable, testServerExecutable } from '../../config/binaries';
import { SEARCH_ATTRIBUTE_KEYS } from '../../contracts/search-attributes';
import { createSql, type Sql } from '../../db/client';
import { createActivities, type ActivityDeps } from '../../activities';
import { loadRuleBook } from '../../config/rules';
import { installRuntime } from '../../lib/temporal-runtime';
import { runWorkers, shutdownWorkers, workerTaskQueues } from '../../worker';

let dbCounter = 0;

// Quiet SDK logs in tests (warnings and errors still show). Installed once per jest process.
// TEST_TEMPORAL_METRICS_PORT, set before this module loads, turns the Core runtime's metrics on.
try {
  installRuntime({ logLevel: (process.env.TEST_SDK_LOG_LEVEL as 'WARN' | undefined) ?? 'ERROR', metricsPort: Number(process.env.TEST_TEMPORAL_METRICS_PORT) || undefined });
} catch {
  // already installed by an earlier test file in this worker process
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (test/harness/global-setup.ts)`);
  return v;
}

/** A fresh database of its own, migrated (cloned from the run's template). */
export async function createTestDatabase(): Promise<{ sql: Sql; url: string; drop: () => Promise<void> }> {
  const adminUrl = env('TEST_PG_ADMIN_URL');
  const template = env('TEST_PG_TEMPLATE');
  const name = `t_${template.replace('settlement_tmpl_', '')}_${process.pid}_${++dbCounter}`;
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const sql = createSql(u.toString(), { max: 20 });
  return {
    sql,
    url: u.toString(),
    drop: async () => {
      await sql.end({ timeout: 5 });
      const a = createSql(adminUrl, { max: 1 });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export interface TestContext {
  sql: Sql;
  dbUrl: string;
  testEnv: TestWorkflowEnvironment;
  client: Client;
  config: Config;
  deps: ActivityDeps;
  worker: Worker;
  /** Starts a second worker on the same task queue (e.g. after stopping the first). */
  startWorker: () => Promise<{ worker: Worker; stop: () => Promise<void> }>;
  stopWorker: () => Promise<void>;
  close: () => Promise<void>;
}

export interface TestWorkerOptions {
  /** Run against the real Temporal dev server (real time, search attributes registered) instead of
   * the time-skipping test server: for scenarios the test server does not model, such as a worker
   * stopped with workflows in its sticky cache. */
  devServer?: boolean;
  /** More worker options, e.g. fewer workflow-task slots. */
  tuning?: Partial<WorkerOptions>;
}

export async function createTestContext(
  overrides: Partial<Record<keyof Config, string>> = {},
  workerOptions: TestWorkerOptions = {},
): Promise<TestContext> {
  const db = await createTestDatabase();
  const taskQueue = `test-${process.pid}-${dbCounter}`;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', TEMPORAL_SEARCH_ATTRIBUTES: workerOptions.devServer ? 'true' : 'false', ...overrides, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url });
  const testEnv = workerOptions.devServer
    ? await TestWorkflowEnvironment.createLocal({
        server: { executable: devServerExecutable(), searchAttributes: [...SEARCH_ATTRIBUTE_KEYS], log: { format: 'pretty', level: 'error' } },
      })
    : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const deps: ActivityDeps = { sql: db.sql, client: testEnv.client, config, logger, ruleBook: loadRuleBook(config) };
  const codePath = env('TEST_WORKFLOW_BUNDLE');

  // A worker per task queue, as production runs (the main queue, the customer workflows' own).
  const startWorker = async () => {
    const workers = await Promise.all(
      workerTaskQueues(config).map((queue) =>
        Worker.create({
          connection: testEnv.nativeConnection,
          namespace: testEnv.namespace ?? 'default',
          taskQueue: queue,
          workflowBundle: { codePath },
          activities: createActivities(deps),
          ...workerOptions.tuning,
        }),
      ),
    );
    const running = runWorkers(workers);
    return {
      worker: workers[0]!,
      stop: async () => {
        shutdownWorkers(workers);
        await running;
      },
    };
  };
  let current = await startWorker();
  const ctx: TestContext = {
    sql: db.sql,
    dbUrl: db.url,
    testEnv,
    client: testEnv.client,
    config,
    deps,
    worker: current.worker,
    startWorker,
    stopWorker: () => current.stop(),
    close: async () => {
      await current.stop().catch(() => undefined);
      await testEnv.teardown();
      await db.drop();
    },
  };
  // Let tests replace the running worker (ctx.worker / stopWorker follow the newest one).
  ctx.startWorker = async () => {
    current = await startWorker();
    ctx.worker = current.worker;
    return current;
  };
  return ctx;
}

/** The real HTTP app over this context's database and Temporal client (drive it with supertest). */
export async function createTestApp(ctx: TestContext, extra: { now?: () => number } = {}) {
  const { createApp } = await import('../../api/app');
  return createApp({ sql: ctx.sql, client: ctx.client, config: ctx.config, logger: ctx.deps.logger, ruleBook: ctx.deps.ruleBook, ...extra });
}
