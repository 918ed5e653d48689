/**
 * The whole system in this process, as `npm start` runs it, on its own servers: embedded
 * Postgres (migrated), the Temporal dev server (search attributes registered), a client that
 * counts the queries it makes (they are billable and leave no history), the worker (createWorker,
 * on the benchmarks' bundle, which adds the empty workflow) and the HTTP API on a free port.
 */
import http from 'node:http';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../config';
import { loadRuleBook } from '../../config/rules';
import { SEARCH_ATTRIBUTE_KEYS } from '../../contracts/search-attributes';
import { createSql, type Sql } from '../../db/client';
import { migrate } from '../../db/migrate';
import type { RuleBook } from '../../domain/rulesets';
import { createLogger } from '../../lib/logger';
import { registerSearchAttributes } from '../../lib/temporal-setup';
import { bundleWorkflows, createWorkers, runWorkers, shutdownWorkers } from '../../worker';
import { httpClient, type HttpCall } from './load';
import { CpuMeter } from './machine';
import type { Flags } from './cli';
import { Timings, sleep } from './measure';
import { installRuntime, startPostgres, startTemporal, type BenchPostgres, type BenchTemporal, type SdkLog, type Teardown } from './setup';

export interface StackOptions {
  tag: string;
  pgFast: boolean;
  pgPool?: number;
  ruleSetFile?: string;
  /** Worker options replacing createWorker's (experiments); empty: exactly what production runs. */
  tuning: Partial<WorkerOptions>;
  /** Time activities and the client's start and query calls. */
  profile: boolean;
  /** Requests the load generator keeps in flight (HTTP sockets). */
  concurrency: number;
  /** The workflow bundle's entry (default: the production workflows and the empty workflow). */
  workflowsPath?: string;
  /** Customer workflows on the main task queue (TEMPORAL_CUSTOMER_TASK_QUEUE = TEMPORAL_TASK_QUEUE),
   * not on their own (the default, as production runs). */
  oneQueue?: boolean;
}

export interface BenchWorker {
  /** The workers (one per task queue: the main one first, then the customer workflows' own). */
  current: () => Worker[];
  /** Throws when the worker failed. */
  assert: () => void;
  /** Stops the worker; true when it stopped within the limit. */
  stop: (limitMs: number) => Promise<boolean>;
  /** Stops it and runs a new one (e.g. with an empty cache). */
  restart: () => Promise<void>;
  /** True once the teardown stopped it: only then may the connections it uses close. */
  stopped: () => boolean;
}

export interface Stack {
  pg: BenchPostgres;
  temporal: BenchTemporal;
  config: Config;
  ruleBook: RuleBook;
  sql: Sql;
  client: Client;
  /** Queries made by this process, by query name. */
  queries: Map<string, number>;
  timings: Timings;
  worker: BenchWorker;
  api: { port: number; service: HttpCall };
  cpu: CpuMeter;
  sdk: SdkLog;
}

/** The worker-tuning flags every system benchmark takes (experiments; default: createWorker's). */
export const TUNING_FLAGS = { 'wft-slots': 'value', 'la-slots': 'value', 'wft-pollers': 'value', cache: 'value', 'wf-threads': 'value', 'no-reuse-v8': 'switch' } as const;
export const TUNING_USAGE = '[--wft-slots W] [--la-slots L] [--wft-pollers N|auto] [--cache N] [--wf-threads T] [--no-reuse-v8]';

export function tuningFrom(flags: Flags): Partial<WorkerOptions> {
  const t: Partial<WorkerOptions> = {};
  const set = <K extends keyof WorkerOptions>(k: K, v: WorkerOptions[K] | undefined) => {
    if (v !== undefined) t[k] = v;
  };
  set('maxConcurrentWorkflowTaskExecutions', flags.num('wft-slots', { min: 2 }));
  set('maxConcurrentLocalActivityExecutions', flags.num('la-slots', { min: 1 }));
  set('maxCachedWorkflows', flags.num('cache', { min: 0 }));
  set('workflowThreadPoolSize', flags.num('wf-threads', { min: 1 }));
  if (flags.bool('no-reuse-v8')) t.reuseV8Context = false;
  const pollers = flags.str('wft-pollers', '');
  if (pollers === 'auto') t.workflowTaskPollerBehavior = { type: 'autoscaling' };
  else if (pollers) t.workflowTaskPollerBehavior = { type: 'simple-maximum', maximum: flags.num('wft-pollers', { min: 2 })! };
  return t;
}

/** "createWorker's own" or the options changed, for the settings line. */
export const tuningLine = (t: Partial<WorkerOptions>): string =>
  Object.keys(t).length ? `tuned: ${Object.entries(t).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}` : "createWorker's options";

/** Wraps each activity: time from scheduled to started (waiting for a slot) and run time. */
function timedActivities<T extends Record<string, unknown>>(acts: T, timings: Timings): T {
  const timed = (name: string, fn: (...a: unknown[]) => Promise<unknown>) => async (...args: unknown[]) => {
    const info = Context.current().info;
    const what = `${info.isLocal ? 'local ' : ''}activity ${name}`;
    timings.add(`${what}: scheduled → started`, Date.now() - info.currentAttemptScheduledTimestampMs);
    return timings.time(`${what}: run`, () => fn(...args));
  };
  return Object.fromEntries(Object.entries(acts).map(([name, fn]) => [name, timed(name, fn as (...a: unknown[]) => Promise<unknown>)])) as T;
}

async function startWorker(td: Teardown, config: Config, deps: Parameters<typeof createActivities>[0], opts: StackOptions, timings: Timings): Promise<BenchWorker> {
  const workflowBundle = await bundleWorkflows({ workflowsPath: opts.workflowsPath ?? path.join(__dirname, 'workflows.ts') });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
  let stopped = false;
  td.add('worker connection', () => connection.close(), () => !stopped);
  const make = () =>
    createWorkers({
      connection,
      config,
      deps,
      workflowBundle,
      options: { ...opts.tuning, ...(opts.profile ? { activities: timedActivities(createActivities(deps), timings) } : {}) },
    });
  let error: unknown = null;
  const state = { workers: await make(), running: Promise.resolve() };
  const run = () => {
    state.running = runWorkers(state.workers).catch((err: unknown) => {
      error = err;
    });
  };
  run();
  const stop = async (limitMs: number) => {
    shutdownWorkers(state.workers);
    return Promise.race([state.running.then(() => true), sleep(limitMs).then(() => false)]);
  };
  td.add('worker', async () => {
    // Shutdown waits for the tasks in flight; a local activity that retries is not waited for.
    stopped = await stop(15_000);
    if (!stopped) console.error('  teardown: the worker did not stop within 15 s (local activities still in flight); the process exit ends it');
  });
  return {
    current: () => state.workers,
    assert: () => {
      if (error) throw new Error(`the worker failed: ${error instanceof Error ? error.message : String(error)}`);
    },
    stop,
    restart: async () => {
      if (!(await stop(60_000))) throw new Error('the worker did not stop within 60 s');
      state.workers = await make();
      run();
    },
    stopped: () => stopped,
  };
}

async function startApi(td: Teardown, deps: Parameters<typeof createApp>[0], concurrency: number): Promise<{ port: number; service: HttpCall }> {
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as { port: number }).port;
  // The load generator keeps its connections between phases: the server must not close them first.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  const http = httpClient(port, deps.config.SERVICE_TOKEN, concurrency + 8);
  td.add('api', () =>
    new Promise((r) => {
      http.close();
      server.closeAllConnections();
      server.close(() => r(undefined));
    }),
  );
  return { port, service: http.call };
}

export async function startStack(td: Teardown, opts: StackOptions): Promise<Stack> {
  const sdk = installRuntime();
  const pg = await startPostgres(td, { fast: opts.pgFast, tag: opts.tag });
  const temporal = await startTemporal(td);
  const loaded: Config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    DATABASE_URL: pg.url,
    ...(opts.ruleSetFile ? { RULESET_FILE: opts.ruleSetFile } : {}),
    TEMPORAL_SEARCH_ATTRIBUTES: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    API_HOST: '127.0.0.1',
  });
  const config: Config = opts.oneQueue ? { ...loaded, TEMPORAL_CUSTOMER_TASK_QUEUE: loaded.TEMPORAL_TASK_QUEUE } : loaded;
  const ruleBook = loadRuleBook(config);
  const sql = createSql(pg.url, opts.pgPool ? { max: opts.pgPool } : {});
  td.add('postgres pool', () => sql.end({ timeout: 5 }));
  await migrate(sql);

  const connection = await Connection.connect({ address: temporal.address });
  const workerRef: { w?: BenchWorker } = {};
  td.add('temporal client', () => connection.close(), () => !workerRef.w?.stopped());
  await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE, SEARCH_ATTRIBUTE_KEYS);
  const timings = new Timings();
  const queries = new Map<string, number>();
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: {
      workflow: [
        {
          query: (input, next) => {
            queries.set(input.queryType, (queries.get(input.queryType) ?? 0) + 1);
            return opts.profile ? timings.time(`client: query ${input.queryType}`, () => next(input)) : next(input);
          },
          ...(opts.profile ? { startWithDetails: (input, next) => timings.time(`client: start ${input.workflowType}`, () => next(input)) } : {}),
        },
      ],
    },
  });
  const deps = { sql, client, config, ruleBook };
  const worker = (workerRef.w = await startWorker(td, config, { ...deps, logger: createLogger(config, 'worker') }, opts, timings));
  const api = await startApi(td, { ...deps, logger: createLogger(config, 'api') }, opts.concurrency);
  const cpu = new CpuMeter({ temporal: () => temporal.child.pid, postmaster: pg.pid });
  return { pg, temporal, config, ruleBook, sql, client, queries, timings, worker, api, cpu, sdk };
}
