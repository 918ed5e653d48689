/**
 * Settings of the production topology run here (`npm run start:cluster`): the app's own settings
 * (config/index.ts: API_PORT, TEMPORAL_PORT = the frontend, TEMPORAL_UI_PORT, PG_PORT, DATA_DIR,
 * ...), the few of the topology (CLUSTER_*), and the values shared with docker-compose.yml
 * (cluster/versions.env, cluster/temporal.env).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, PROJECT_ROOT, loadConfig, type Config } from '../config';

/** KEY=VALUE lines; `#` starts a comment line. The format compose's env_file reads too. */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: expected KEY=VALUE`);
    out[m[1]!] = m[2]!;
  });
  return out;
}

export const CLUSTER_DIR = path.join(PROJECT_ROOT, 'cluster');
export const VERSIONS = readEnvFile(path.join(CLUSTER_DIR, 'versions.env'));
/** Values of the Temporal server, schema tool and UI that compose uses as they are. */
export const TEMPORAL_SETTINGS = readEnvFile(path.join(CLUSTER_DIR, 'temporal.env'));
export const DYNAMIC_CONFIG_FILE = path.join(CLUSTER_DIR, 'dynamicconfig.yaml');

/** Start order; they stop in the reverse order. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/**
 * The server's variables that say where things are: each deployment sets its own (compose in
 * docker-compose.yml, start:cluster here), so cluster/temporal.env holds none of them.
 */
export const WHERE_KEYS = [
  'POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'POSTGRES_PWD', 'BIND_ON_IP', 'DYNAMIC_CONFIG_FILE_PATH',
  'FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'FRONTEND_MEMBERSHIP_PORT', 'HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT',
  'TEMPORAL_ADDRESS', 'TEMPORAL_UI_PORT',
] as const;

const ClusterSchema = z.object({
  /** App worker processes (`node --import tsx worker.ts`). */
  CLUSTER_APP_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Start the Temporal UI server. */
  CLUSTER_UI: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Where the built binaries live (scripts/cluster/install.sh). */
  CLUSTER_TOOLS_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.cluster')),
});

export interface ServicePorts {
  grpc: number;
  membership: number;
}

export interface ClusterSettings {
  config: Config;
  appWorkers: number;
  ui: boolean;
  toolsDir: string;
  /** DATA_DIR/cluster: the Postgres data and the logs of every process. */
  dataDir: string;
  logDir: string;
  frontendAddress: string;
  ports: {
    api: number;
    ui: number;
    postgres: number;
    frontendHttp: number;
    services: Record<TemporalService, ServicePorts>;
  };
}

/**
 * The frontend listens on TEMPORAL_PORT; the other services sit at Temporal's usual distances
 * from it (history +1, matching +2, worker +6, HTTP +10), their membership ports at +20 to +26.
 */
export function servicePorts(frontend: number): ClusterSettings['ports']['services'] {
  const at = (grpc: number, membership: number) => ({ grpc: frontend + grpc, membership: frontend + membership });
  return { frontend: at(0, 20), history: at(1, 21), matching: at(2, 22), worker: at(6, 26) };
}

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const config = loadConfig(env);
  const parsed = ClusterSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  // The server keeps membership ports in a smallint column (cluster_membership.rpc_port).
  if (config.TEMPORAL_PORT + 26 > 32767) throw new ConfigError('Invalid configuration:\n  TEMPORAL_PORT: at most 32741 here (the services use it +1 to +26, and Temporal stores membership ports as smallint)');
  const dataDir = path.resolve(config.DATA_DIR, 'cluster');
  return {
    config,
    appWorkers: parsed.data.CLUSTER_APP_WORKERS,
    ui: parsed.data.CLUSTER_UI,
    toolsDir: path.resolve(parsed.data.CLUSTER_TOOLS_DIR),
    dataDir,
    logDir: path.join(dataDir, 'logs'),
    frontendAddress: `127.0.0.1:${config.TEMPORAL_PORT}`,
    ports: {
      api: config.API_PORT,
      ui: config.TEMPORAL_UI_PORT,
      postgres: config.PG_PORT,
      frontendHttp: config.TEMPORAL_PORT + 10,
      services: servicePorts(config.TEMPORAL_PORT),
    },
  };
}

/** Every port the topology listens on, named by the setting that moves it. */
export function portsToCheck(s: ClusterSettings): { port: number; setting: string; host?: string }[] {
  const from = (d: number) => `TEMPORAL_PORT+${d}`;
  const f = s.config.TEMPORAL_PORT;
  return [
    { port: s.ports.api, setting: 'API_PORT', host: s.config.API_HOST },
    { port: s.ports.postgres, setting: 'PG_PORT' },
    ...(s.ui ? [{ port: s.ports.ui, setting: 'TEMPORAL_UI_PORT' }] : []),
    { port: s.ports.frontendHttp, setting: `TEMPORAL_PORT (its ${from(10)})` },
    ...Object.values(s.ports.services).flatMap((p) => [
      { port: p.grpc, setting: p.grpc === f ? 'TEMPORAL_PORT' : `TEMPORAL_PORT (its ${from(p.grpc - f)})` },
      { port: p.membership, setting: `TEMPORAL_PORT (its ${from(p.membership - f)})` },
    ]),
  ];
}

/** The environment of one Temporal server process: the shared values plus where things are here. */
export function temporalServerEnv(s: ClusterSettings, pg: { user: string; password: string }): Record<string, string> {
  const p = s.ports.services;
  const where: Record<(typeof WHERE_KEYS)[number], string> = {
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(s.ports.postgres),
    POSTGRES_USER: pg.user,
    POSTGRES_PWD: pg.password,
    BIND_ON_IP: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
    FRONTEND_GRPC_PORT: String(p.frontend.grpc),
    FRONTEND_HTTP_PORT: String(s.ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(p.frontend.membership),
    HISTORY_GRPC_PORT: String(p.history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(p.history.membership),
    MATCHING_GRPC_PORT: String(p.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(p.matching.membership),
    WORKER_GRPC_PORT: String(p.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(p.worker.membership),
    TEMPORAL_ADDRESS: s.frontendAddress,
    TEMPORAL_UI_PORT: String(s.ports.ui),
  };
  return { ...TEMPORAL_SETTINGS, ...where };
}

export function binaries(s: ClusterSettings) {
  const server = path.join(s.toolsDir, `temporal-server-${VERSIONS.TEMPORAL_SERVER_VERSION}`);
  const ui = path.join(s.toolsDir, `temporal-ui-${VERSIONS.TEMPORAL_UI_VERSION}`);
  return {
    server: path.join(server, 'temporal-server'),
    sqlTool: path.join(server, 'temporal-sql-tool'),
    uiServer: path.join(ui, 'temporal-ui-server'),
    uiRoot: ui,
  };
}
