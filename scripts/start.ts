/**
 * `npm start`: the whole system on one machine. Postgres (DATABASE_URL, else an embedded server
 * with its data under DATA_DIR/postgres), migrations, the Temporal dev server with its Web UI
 * (TEMPORAL_ADDRESS, else the CLI from .venv with a SQLite file under DATA_DIR/temporal), custom
 * search attributes, the reconciliation schedule, the worker and the HTTP API; a second start finds
 * the data of the first.
 *
 * Postgres and Temporal run in process groups of their own (cluster/processes.ts), so a Ctrl+C in
 * the terminal reaches only this script, which stops things in order: intake first (503 with
 * Retry-After, open connections closed), then the worker drains, then Temporal, then Postgres.
 * A second signal kills what is left at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig, type Config } from '../config';
import { findBinary } from '../config/binaries';
import { createSql, type Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { createApp, stopIntake } from '../api/app';
import { bundleWorkflows, configuredTracing, coreMetricsPort, createWorkers, runWorkers, serveWorkerMetrics, shutdownWorkers, workerTaskQueues } from '../worker';
import { temporalConnectionOptions } from '../config/temporal';
import { installRuntime } from '../lib/temporal-runtime';
import { startOperations } from '../services/operations';
import { createLogger } from '../lib/logger';
import { openConfiguredRuleBook } from '../services/rulesets/book';
import { assertPortsFree, PortInUseError, waitForPort } from '../lib/ports';
import { registerSearchAttributes } from '../lib/temporal-setup';
import { SEARCH_ATTRIBUTE_KEYS } from '../contracts/search-attributes';
import { clusterPostgres } from '../cluster/postgres';
import { killProcess, startProcess, stopProcess, tail, type ManagedProcess } from '../cluster/processes';

type Stopper = { name: string; stop: () => Promise<unknown>; kill?: () => void };

/** How long the API waits for requests under way before it closes their connections. */
const API_DRAIN_MS = 2_000;
/** How long the worker lets activities under way finish before it cancels them. */
const WORKER_GRACE_MS = 3_000;

/**
 * Where no CLI is found (TEMPORAL_CLI_PATH, PATH, .venv), the SDK downloads one (needs internet)
 * and runs the same dev server, UI and SQLite file.
 */
async function startDownloadedDevServer(config: Config, log: (m: string) => void): Promise<() => Promise<void>> {
  log('Temporal CLI not found locally (TEMPORAL_CLI_PATH, PATH, .venv): using the SDK download, which needs internet');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const dir = path.join(config.DATA_DIR, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: '127.0.0.1',
      port: config.TEMPORAL_PORT,
      ui: true,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFilename: path.join(dir, 'temporal.db'),
      namespace: config.TEMPORAL_NAMESPACE,
      log: { format: 'pretty', level: 'warn' },
    },
  });
  return () => env.teardown();
}

async function startTemporalDevServer(config: Config, cli: string): Promise<ManagedProcess> {
  const dir = path.join(config.DATA_DIR, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(config.TEMPORAL_PORT),
    '--ui-port', String(config.TEMPORAL_UI_PORT),
    '--db-filename', path.join(dir, 'temporal.db'),
    '--namespace', config.TEMPORAL_NAMESPACE,
    '--log-level', 'warn',
  ];
  const logFile = path.join(dir, 'server.log');
  const child = startProcess('temporal dev server', cli, args, { env: process.env, logFile });
  await Promise.race([
    waitForPort(config.TEMPORAL_PORT, '127.0.0.1', 60_000),
    child.exited.then(() => Promise.reject(new Error(`temporal dev server exited early:\n${tail(logFile)}`))),
  ]);
  return child;
}

/** Stops the HTTP server: no new connections; idle ones close now, busy ones after `drainMs`. */
function closeServer(server: import('node:http').Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = createSql(adminUrl, { max: 1 });
  try {
    const [row] = await admin`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`;
    if (!row) await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config, 'start');
  // We stop the worker ourselves, in order; the SDK's own signal handling would end the process
  // before the children are stopped.
  // The API serves /metrics, so the Core runtime's exporter is on (TEMPORAL_METRICS_PORT, else a free port).
  config = { ...config, TEMPORAL_METRICS_PORT: await coreMetricsPort(config, true) };
  installRuntime({ logLevel: config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN', shutdownSignals: [], metricsPort: config.TEMPORAL_METRICS_PORT });
  const log = (m: string) => logger.info(m);
  const stoppers: Stopper[] = [];
  let stopping = false;
  const shutdown = async (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why}); a second signal kills what is left at once`);
    const started = Date.now();
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await s.stop();
        log(`stopped ${s.name}`);
      } catch (err) {
        logger.error({ err }, `stopping ${s.name} failed`);
      }
    }
    log(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exit(code);
  };
  const force = (sig: string) => {
    log(`${sig} again: killing what is left`);
    for (const s of stoppers.splice(0).reverse()) s.kill?.();
    process.exit(130);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => (stopping ? force(sig) : void shutdown(sig)));
  // Output that can no longer be written (a closed terminal or pipe) must not stop the shutdown.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  try {
    await assertPortsFree([
      { port: config.API_PORT, setting: 'API_PORT', host: config.API_HOST },
      ...(config.METRICS_PORT ? [{ port: config.METRICS_PORT, setting: 'METRICS_PORT', host: config.METRICS_HOST }] : []),
      ...(config.TEMPORAL_ADDRESS ? [] : [
        { port: config.TEMPORAL_PORT, setting: 'TEMPORAL_PORT' },
        { port: config.TEMPORAL_UI_PORT, setting: 'TEMPORAL_UI_PORT' },
      ]),
      ...(config.DATABASE_URL ? [] : [{ port: config.PG_PORT, setting: 'PG_PORT' }]),
    ]);

    let dbUrl = config.DATABASE_URL;
    if (!dbUrl) {
      log(`starting embedded Postgres on 127.0.0.1:${config.PG_PORT} (data: ${path.join(config.DATA_DIR, 'postgres')})`);
      fs.mkdirSync(config.DATA_DIR, { recursive: true });
      fs.chmodSync(config.DATA_DIR, 0o755);
      const pg = await clusterPostgres({ dataDir: path.join(config.DATA_DIR, 'postgres'), port: config.PG_PORT, logFile: path.join(config.DATA_DIR, 'postgres.log'), log });
      await pg.start();
      stoppers.push({ name: 'postgres', stop: pg.stop, kill: () => void pg.crash() });
      await ensureDatabase(pg.url('postgres'), 'settlement');
      dbUrl = pg.url('settlement');
    }
    const sql: Sql = createSql(dbUrl);
    stoppers.push({ name: 'postgres pool', stop: () => sql.end({ timeout: 5 }) });
    const applied = await migrate(sql);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');
    const ruleBook = await openConfiguredRuleBook(sql, config, logger);
    stoppers.push({ name: 'rule book', stop: () => ruleBook.close() });

    if (!config.TEMPORAL_ADDRESS) {
      log(`starting Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (UI ${config.TEMPORAL_UI_PORT})`);
      const cli = findBinary('temporal', config.TEMPORAL_CLI_PATH);
      if (cli) {
        const child = await startTemporalDevServer(config, cli);
        child.exited.then((e) => !stopping && log(`temporal dev server exited (code ${e.code}, signal ${e.signal})`));
        stoppers.push({ name: 'temporal dev server', stop: () => stopProcess(child, 10_000), kill: () => void killProcess(child) });
      } else {
        stoppers.push({ name: 'temporal dev server', stop: await startDownloadedDevServer(config, log) });
      }
    }
    const temporal = temporalConnectionOptions(config);
    const { address } = temporal;
    const connection = await Connection.connect(temporal);
    stoppers.push({ name: 'temporal client', stop: () => connection.close() });
    const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE, SEARCH_ATTRIBUTE_KEYS);
    if (added.length) log(`search attributes registered: ${added.join(', ')}`);
    const tracing = configuredTracing(config);
    if (tracing) stoppers.push({ name: 'tracing', stop: () => tracing.shutdown() });
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });

    const workerLogger = createLogger(config, 'worker');
    const nativeConnection = await NativeConnection.connect(temporal);
    const workerDeps = { sql, client, config, logger: workerLogger, ruleBook };
    const workers = await createWorkers({
      connection: nativeConnection,
      config,
      deps: workerDeps,
      tracing,
      workflowBundle: await bundleWorkflows({ tracing: tracing !== null }),
      // On stop: activities under way get WORKER_GRACE_MS to finish, then they are cancelled (their
      // attempts are retried elsewhere; each is idempotent).
      options: { shutdownGraceTime: WORKER_GRACE_MS, shutdownForceTime: WORKER_GRACE_MS + 2_000 },
    });
    const running = runWorkers(workers);
    stoppers.push({
      name: 'worker',
      stop: async () => {
        shutdownWorkers(workers);
        // A worker forced down after its grace time has stopped too: what it cancelled is retried
        // on the next start (every activity is idempotent).
        await running.catch((err: Error) => log(`a worker ended with: ${err.message}`));
        await nativeConnection.close();
      },
    });

    // The webhook delivery workflow and the reconciliation Schedule (services/operations.ts).
    await startOperations(workerDeps);
    const stopMetrics = await serveWorkerMetrics(config, workerDeps);
    if (stopMetrics) stoppers.push({ name: 'metrics', stop: stopMetrics });

    const app = createApp({ sql, client, config, logger: createLogger(config, 'api'), ruleBook });
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      const s = app.listen(config.API_PORT, config.API_HOST, () => resolve(s));
      s.once('error', reject);
    });
    stoppers.push({
      name: 'api',
      stop: () => {
        stopIntake(app);
        return closeServer(server, API_DRAIN_MS);
      },
    });

    const ui = config.TEMPORAL_ADDRESS ? '(external Temporal: see its own UI)' : `http://127.0.0.1:${config.TEMPORAL_UI_PORT}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`;
    console.log(
      [
        '',
        'Ambassador settlement is running.',
        `  API:          http://${config.API_HOST}:${config.API_PORT}   (OpenAPI: /openapi.json, readiness: /readyz)`,
        `  Consoles:     http://${config.API_HOST}:${config.API_PORT}/console/   (ambassadors; operations: /console/ops)`,
        `  Temporal UI:  ${ui}`,
        `  Temporal:     ${address}  namespace ${config.TEMPORAL_NAMESPACE}, task queues ${workerTaskQueues(config).join(', ')}`,
        `  Postgres:     ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded, 127.0.0.1:${config.PG_PORT}, data in ${config.DATA_DIR}`}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof ConfigError) console.error(err.message);
    else logger.error({ err }, 'start failed');
    await shutdown('start failed', 1);
  }
}

void main();
