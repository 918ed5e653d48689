/**
 * The app's processes in the topology: N workers (`node --import tsx worker.ts`, as the README's
 * scaling section says) and the API (scripts/cluster/api.ts), each its own process group, with
 * the settings of the environment plus where Postgres and Temporal are.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { startProcess, stopProcess, killProcess, tail, type ManagedProcess } from './processes';
import type { ClusterSettings } from './settings';

export interface AppProcesses {
  workers: (ManagedProcess | undefined)[];
  api?: ManagedProcess;
  startWorker: (i: number) => ManagedProcess;
  /** kill -9 of worker i, as a crash would. */
  crashWorker: (i: number) => Promise<void>;
  startApi: () => ManagedProcess;
  stopApi: () => Promise<void>;
  stopWorkers: () => Promise<void>;
  kill: () => void;
}

export function appProcesses(s: ClusterSettings, databaseUrl: string, extraEnv: Record<string, string> = {}): AppProcesses {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    API_HOST: s.config.API_HOST,
    API_PORT: String(s.ports.api),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: s.frontendAddress,
    TEMPORAL_NAMESPACE: s.config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: s.config.TEMPORAL_TASK_QUEUE,
  };
  const node = (name: string, script: string, logName: string) =>
    startProcess(name, process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script)], { env, cwd: PROJECT_ROOT, logFile: path.join(s.logDir, logName) });
  const app: AppProcesses = {
    workers: [],
    startWorker: (i) => (app.workers[i] = node(`app worker ${i + 1}`, 'worker.ts', `app-worker-${i + 1}.log`)),
    crashWorker: async (i) => {
      const w = app.workers[i];
      if (w) await killProcess(w);
    },
    startApi: () => (app.api = node('api', path.join('scripts', 'cluster', 'api.ts'), 'api.log')),
    stopApi: async () => {
      if (app.api) await stopProcess(app.api);
    },
    stopWorkers: async () => {
      await Promise.all(app.workers.map((w) => (w ? stopProcess(w, 30_000) : undefined)));
    },
    kill: () => {
      for (const p of [app.api, ...app.workers]) if (p) void killProcess(p);
    },
  };
  return app;
}

/** Resolves when the API answers /readyz with 200; rejects if it exits or after `timeoutMs`. */
export async function waitReady(api: ManagedProcess, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (api.done()) throw new Error(`the API exited; ${api.logFile}:\n${tail(api.logFile)}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url}/readyz not 200 after ${timeoutMs} ms; ${api.logFile}:\n${tail(api.logFile)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
