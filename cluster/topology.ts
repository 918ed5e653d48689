/**
 * The whole production topology on this machine, for `npm run start:cluster`, the fault test
 * and the benchmark: Postgres, the app's database and migrations, the Temporal server as four
 * service processes (or, for comparison, the CLI's dev server), the UI, the app workers and the
 * API. `stop()` stops them in order (API, workers, UI, Temporal, Postgres); `kill()` at once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { findBinary } from '../config/binaries';
import { createSql } from '../db/client';
import { migrate } from '../db/migrate';
import { assertPortsFree, waitForPort } from '../lib/ports';
import { appProcesses, waitReady, type AppProcesses } from './app';
import { clusterPostgres, type ClusterPostgres } from './postgres';
import { startProcess, stopProcess, killProcess, type ManagedProcess } from './processes';
import { TEMPORAL_SETTINGS, portsToCheck, type ClusterSettings } from './settings';
import { runScript, startTemporalCluster, type TemporalCluster } from './temporal';

export class ToolsMissingError extends Error {}

/** Builds the pinned binaries when missing (scripts/cluster/install.sh; its progress goes to stderr). */
export function installBinaries(s: ClusterSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(PROJECT_ROOT, 'scripts', 'cluster', 'install.sh')], {
      env: { ...process.env, CLUSTER_TOOLS_DIR: s.toolsDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else if (code === 3) reject(new ToolsMissingError('the Temporal server binaries are missing and cannot be built here (see above)'));
      else reject(new Error(`scripts/cluster/install.sh failed (exit ${code})`));
    });
  });
}

export interface Topology {
  settings: ClusterSettings;
  apiUrl: string;
  databaseUrl: string;
  postgres: ClusterPostgres;
  temporal?: TemporalCluster;
  devServer?: ManagedProcess;
  app: AppProcesses;
  stop: () => Promise<void>;
  kill: () => void;
}

export interface TopologyOptions {
  log: (m: string) => void;
  /** 'cluster' (default): the four services; 'dev': `temporal server start-dev`, for comparison. */
  temporal?: 'cluster' | 'dev';
  /** More settings for the app's processes (RULESET_FILE, LOG_LEVEL, ...). */
  appEnv?: Record<string, string>;
}

export async function startTopology(s: ClusterSettings, opts: TopologyOptions): Promise<Topology> {
  const { log } = opts;
  const mode = opts.temporal ?? 'cluster';
  const temporalCli = findBinary('temporal', s.config.TEMPORAL_CLI_PATH);
  if (!temporalCli) throw new ToolsMissingError('the temporal CLI is missing: run bash scripts/ensure-tools.sh');
  if (mode === 'cluster') await installBinaries(s);
  await assertPortsFree(mode === 'cluster' ? portsToCheck(s) : portsToCheck(s).filter((p) => !p.setting.startsWith('TEMPORAL_PORT (') && p.setting !== 'TEMPORAL_UI_PORT'));
  fs.mkdirSync(s.logDir, { recursive: true });
  fs.chmodSync(s.dataDir, 0o755);

  const stoppers: { name: string; stop: () => Promise<unknown>; kill?: () => void }[] = [];
  const stop = async () => {
    for (const x of stoppers.splice(0).reverse()) {
      await x.stop().then(() => log(`stopped ${x.name}`), (err: Error) => log(`stopping ${x.name} failed: ${err.message}`));
    }
  };
  const kill = () => {
    for (const x of stoppers.splice(0).reverse()) x.kill?.();
  };
  try {
    log(`starting Postgres on 127.0.0.1:${s.ports.postgres} (data: ${path.join(s.dataDir, 'postgres')})`);
    const postgres = await clusterPostgres({ dataDir: path.join(s.dataDir, 'postgres'), port: s.ports.postgres, logFile: path.join(s.logDir, 'postgres.log'), log });
    await postgres.start();
    stoppers.push({ name: 'postgres', stop: postgres.stop, kill: () => void postgres.crash() });
    const admin = createSql(postgres.url(), { max: 1 });
    try {
      if (!(await admin`SELECT 1 FROM pg_database WHERE datname = 'settlement'`).length) await admin.unsafe('CREATE DATABASE settlement');
    } finally {
      await admin.end();
    }
    const databaseUrl = postgres.url('settlement');
    const sql = createSql(databaseUrl, { max: 1 });
    try {
      const applied = await migrate(sql);
      log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');
    } finally {
      await sql.end();
    }

    let temporal: TemporalCluster | undefined;
    let devServer: ManagedProcess | undefined;
    if (mode === 'cluster') {
      log(`starting Temporal ${s.frontendAddress}: history, matching, frontend and worker services (logs: ${s.logDir})`);
      temporal = await startTemporalCluster(s, postgres, { temporalCli, log });
      stoppers.push({ name: 'temporal', stop: () => temporal!.stop(log), kill: temporal.kill });
    } else {
      log(`starting the Temporal dev server on ${s.frontendAddress} (for comparison)`);
      const dev = startProcess('temporal dev server', temporalCli, [
        'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(s.config.TEMPORAL_PORT), '--headless',
        '--db-filename', path.join(s.dataDir, 'temporal-dev.db'), '--namespace', s.config.TEMPORAL_NAMESPACE, '--log-level', 'warn',
      ], { env: process.env, logFile: path.join(s.logDir, 'temporal-dev.log') });
      devServer = dev;
      stoppers.push({ name: 'temporal dev server', stop: () => stopProcess(dev), kill: () => void killProcess(dev) });
      await waitForPort(s.config.TEMPORAL_PORT, '127.0.0.1', 60_000);
      await runScript('create-namespace.sh', { ...TEMPORAL_SETTINGS, TEMPORAL_ADDRESS: s.frontendAddress, DEFAULT_NAMESPACE: s.config.TEMPORAL_NAMESPACE, TEMPORAL_CLI: temporalCli }, log);
    }

    const app = appProcesses(s, databaseUrl, opts.appEnv, log);
    for (let i = 0; i < s.appWorkers; i++) app.startWorker(i);
    stoppers.push({ name: `${s.appWorkers} app worker(s)`, stop: app.stopWorkers, kill: () => app.workers.forEach((w) => w && void killProcess(w)) });
    const api = app.startApi();
    stoppers.push({ name: 'api', stop: app.stopApi, kill: () => void killProcess(api) });
    const apiUrl = `http://${s.config.API_HOST}:${s.ports.api}`;
    await waitReady(api, apiUrl);
    return { settings: s, apiUrl, databaseUrl, postgres, temporal, devServer, app, stop, kill };
  } catch (err) {
    await stop();
    throw err;
  }
}
