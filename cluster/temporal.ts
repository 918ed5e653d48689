/**
 * The Temporal server as four service processes (history, matching, frontend, worker) on the
 * topology's Postgres, its schemas, its namespace and search attributes, and the UI server. The
 * schema and namespace steps are the shell scripts docker-compose.yml runs too.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { waitForPort } from '../lib/ports';
import { startProcess, stopProcess, killProcess, tail, type ManagedProcess } from './processes';
import { TEMPORAL_SERVICES, TEMPORAL_SETTINGS, binaries, temporalServerEnv, type ClusterSettings, type TemporalService } from './settings';

const SCRIPTS = path.join(PROJECT_ROOT, 'scripts', 'cluster');

/** Runs one of the shared shell scripts; its output goes to the log, and to the error if it fails. */
export function runScript(script: string, env: Record<string, string>, log: (m: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [path.join(SCRIPTS, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      for (const line of out.trim().split('\n').filter(Boolean)) log(line);
      if (code === 0) resolve();
      else reject(new Error(`${script} failed (exit ${code})`));
    });
  });
}

export interface TemporalCluster {
  services: Map<TemporalService, ManagedProcess>;
  ui?: ManagedProcess;
  startService: (service: TemporalService) => Promise<void>;
  /** Stops one service (SIGTERM, or kill -9 with `crash`) and starts it again. */
  restartService: (service: TemporalService, how: 'graceful' | 'crash') => Promise<void>;
  stop: (log: (m: string) => void) => Promise<void>;
  kill: () => void;
}

export async function startTemporalCluster(
  s: ClusterSettings,
  pg: { user: string; password: string },
  opts: { temporalCli: string; log: (m: string) => void },
): Promise<TemporalCluster> {
  const bin = binaries(s);
  const env = temporalServerEnv(s, pg);
  await runScript('setup-schema.sh', { ...env, TEMPORAL_SQL_TOOL: bin.sqlTool }, opts.log);

  const services = new Map<TemporalService, ManagedProcess>();
  const startService = async (service: TemporalService) => {
    const logFile = path.join(s.logDir, `temporal-${service}.log`);
    const p = startProcess(`temporal ${service}`, bin.server, ['start', '--service', service], { env, logFile });
    services.set(service, p);
    try {
      await Promise.race([
        waitForPort(s.ports.services[service].grpc, '127.0.0.1', 60_000),
        p.exited.then(() => Promise.reject(new Error('exited'))),
      ]);
    } catch (err) {
      throw new Error(`temporal ${service} did not start (${(err as Error).message}); ${logFile}:\n${tail(logFile)}`);
    }
  };
  const killAll = (ui?: ManagedProcess) => {
    for (const p of [ui, ...services.values()]) if (p) void killProcess(p);
  };
  let ui: ManagedProcess | undefined;
  try {
    for (const service of TEMPORAL_SERVICES) await startService(service);
    await runScript('create-namespace.sh', { ...env, DEFAULT_NAMESPACE: s.config.TEMPORAL_NAMESPACE, TEMPORAL_CLI: opts.temporalCli }, opts.log);

    if (s.ui) {
      const logFile = path.join(s.logDir, 'temporal-ui.log');
      ui = startProcess('temporal ui', bin.uiServer, ['--root', bin.uiRoot, '--env', 'docker', 'start'], {
        env: {
          ...TEMPORAL_SETTINGS,
          TEMPORAL_ADDRESS: s.frontendAddress,
          TEMPORAL_UI_PORT: String(s.ports.ui),
          TEMPORAL_UI_HOST: '127.0.0.1',
          TEMPORAL_CORS_ORIGINS: `http://127.0.0.1:${s.ports.ui},http://localhost:${s.ports.ui}`,
        },
        logFile,
      });
      await Promise.race([waitForPort(s.ports.ui, '127.0.0.1', 30_000), ui.exited.then(() => Promise.reject(new Error(`temporal ui exited:\n${tail(logFile)}`)))]);
    }
  } catch (err) {
    killAll(ui);
    throw err;
  }

  return {
    services,
    ui,
    startService,
    restartService: async (service, how) => {
      const p = services.get(service);
      if (p) await (how === 'crash' ? killProcess(p) : stopProcess(p, 30_000));
      await startService(service);
    },
    stop: async (log) => {
      if (ui) await stopProcess(ui).then(() => log('stopped temporal ui'));
      // The frontend first (no new requests), then the system workflows, matching, and history last.
      for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
        const p = services.get(service);
        if (p) await stopProcess(p, 30_000).then((e) => log(`stopped temporal ${service}${e.signal ? ` (${e.signal})` : ''}`));
      }
    },
    kill: () => killAll(ui),
  };
}
