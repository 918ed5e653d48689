/**
 * The app's processes in the topology: N workers (`node --import tsx worker.ts`, as the README's
 * scaling section says) and the API (scripts/cluster/api.ts), each its own process group, with
 * the settings of the environment plus where Postgres and Temporal are. A worker that exits on its
 * own is started again (at most RESTARTS times, as docker-compose.yml's `restart: on-failure:5`);
 * each such exit is recorded in `unexpectedExits`, which the fault test counts as a failure.
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
  /** Workers that exited when nobody stopped or killed them ("app worker 1: exit 1"). */
  unexpectedExits: string[];
}

const RESTARTS = 5;

export function appProcesses(s: ClusterSettings, databaseUrl: string, extraEnv: Record<string, string> = {}, log: (m: string) => void = () => undefined): AppProcesses {
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
  const meant = new Set<ManagedProcess>(); // processes stopped or killed on purpose
  let stopping = false;
  const startWorker = (i: number): ManagedProcess => {
    const w = node(`app worker ${i + 1}`, 'worker.ts', `app-worker-${i + 1}.log`);
    app.workers[i] = w;
    void w.exited.then((e) => {
      if (stopping || meant.has(w)) return;
      app.unexpectedExits.push(`${w.name}: exit ${e.code ?? e.signal} (${w.logFile})`);
      const again = app.unexpectedExits.filter((x) => x.startsWith(`${w.name}:`)).length <= RESTARTS;
      log(`${w.name} exited on its own (${e.code ?? e.signal})${again ? '; starting it again' : `; not started again after ${RESTARTS} restarts`}; the end of ${w.logFile}:\n${tail(w.logFile, 10)}`);
      if (again) startWorker(i);
    });
    return w;
  };
  const app: AppProcesses = {
    workers: [],
    unexpectedExits: [],
    startWorker,
    crashWorker: async (i) => {
      const w = app.workers[i];
      if (!w) return;
      meant.add(w);
      await killProcess(w);
    },
    startApi: () => (app.api = node('api', path.join('scripts', 'cluster', 'api.ts'), 'api.log')),
    stopApi: async () => {
      if (app.api) await stopProcess(app.api);
    },
    stopWorkers: async () => {
      stopping = true;
      await Promise.all(app.workers.map((w) => (w ? stopProcess(w, 30_000) : undefined)));
    },
    kill: () => {
      stopping = true;
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
