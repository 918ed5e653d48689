/**
 * One typed config module: every setting comes from the environment with a default, is validated
 * at start, and a bad value stops the process with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The environment variables this system reads, with their defaults. */
export const ConfigSchema = z.object({
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size like 100kb').default('100kb'),
  /** When set, use this Temporal server; otherwise `npm start` runs the local dev server. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** An API key for the Temporal server (Temporal Cloud); sent as a bearer token over TLS. */
  TEMPORAL_API_KEY: optionalString,
  /** TLS to the Temporal server: on when an API key or a client certificate is set, unless 'false'. */
  TEMPORAL_TLS: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Client certificate and key files (PEM) for mTLS to the Temporal server; both or neither. */
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  /** A CA bundle (PEM) for a self-hosted server whose certificate the system's roots do not sign. */
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('ambassador-settlement'),
  /** The customer (association) workflows' task queue; unset: `<TEMPORAL_TASK_QUEUE>-customers`,
   * a queue of their own (clicks do not wait behind a burst of orders); equal to
   * TEMPORAL_TASK_QUEUE: one queue for everything. */
  TEMPORAL_CUSTOMER_TASK_QUEUE: optionalString,
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Explicit path to the `temporal` CLI (dev server); else PATH, then .venv. */
  TEMPORAL_CLI_PATH: optionalString,
  /** Explicit path to the time-skipping test server; else PATH, then .venv, then SDK download. */
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  /** When set, use this Postgres; otherwise an embedded server with its data under DATA_DIR. */
  DATABASE_URL: optionalString,
  PG_PORT: port.default(5433),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Keyed-hash secret for customer identity attributes (ID number, phone, email). */
  IDENTITY_HMAC_SECRET: z.string().min(16, 'must be at least 16 characters').default('dev-only-identity-secret-change-me'),
  /** Key of the identity gateway's signed customer assertions (X-Customer-Assertion at the link). */
  CUSTOMER_ASSERTION_SECRET: z.string().min(32, 'must be at least 32 characters').default('dev-only-customer-assertion-secret-change-me'),
  /** The longest an assertion may be valid ahead of now. */
  CUSTOMER_ASSERTION_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Bearer token of the order and identity systems. */
  SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters').default('dev-service-token-change-me'),
  /** Bearer token of operations staff. */
  OPS_TOKEN: z.string().min(16, 'must be at least 16 characters').default('dev-ops-token-change-me'),
  /** Optional JSON file with a rule-set table replacing the defaults (validated on load). */
  RULESET_FILE: optionalString,
  /** A rule-set version is published at least this far ahead of its instant (POST /v1/ops/rulesets). */
  RULESET_PUBLISH_LEAD_SECONDS: z.coerce.number().int().min(1).default(30),
  /** Every process re-reads the rule-set table this often (besides LISTEN/NOTIFY); keep it below the lead. */
  RULESET_REFRESH_SECONDS: z.coerce.number().positive().default(10),
  /** When set, a worker process (worker.ts, npm start) serves Prometheus GET /metrics on this port (METRICS_HOST). */
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port (127.0.0.1) of the Temporal Core runtime's Prometheus exporter, appended to /metrics; npm start picks a free one when unset. */
  TEMPORAL_METRICS_PORT: port.optional(),
  /** Webhooks (events out): the answer a delivery waits for, attempts before it is failed, the first retry's delay (doubling, at most an hour). */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().positive().default(5),
  /** The delivery workflow polls the outbox at most this far apart when idle. */
  WEBHOOK_IDLE_MAX_SECONDS: z.coerce.number().positive().default(10),
  /** What-if runs: customers judged per batch (one checkpoint each), and how long one activity runs before it reports progress. */
  SIMULATION_BATCH_CUSTOMERS: z.coerce.number().int().min(1).max(10_000).default(1000),
  SIMULATION_SLICE_SECONDS: z.coerce.number().positive().default(10),
  /** OpenTelemetry tracing (the Temporal SDK's v2 interceptors), off unless chosen: spans to the console, or over OTLP/HTTP. */
  TRACING_EXPORTER: z.enum(['off', 'console', 'otlp']).default('off'),
  /** The OTLP/HTTP endpoint (spans go to <endpoint>/v1/traces); unset: the exporter's default, http://localhost:4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  OTEL_SERVICE_NAME: z.string().min(1).default('ambassador-settlement'),
  /** Base URL used in promotion links; unset: the address the API listens on (API_HOST, API_PORT). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Money-moving POSTs allowed per ambassador (or IP) per minute. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** The reconciliation sweep (a Temporal Schedule): how often it runs (its withdrawal checks run every time). */
  RECONCILIATION_EVERY_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  /** Its nightly checks (ledger, caps, installments: whole-table scans) run on the first sweep at or after this hour, China Standard Time, each day (and on every run on demand). */
  RECONCILIATION_HOUR: z.coerce.number().int().min(0).max(23).default(3),
  /** A withdrawal reserved this long without a running workflow is resumed or released. */
  RECONCILIATION_GRACE_SECONDS: z.coerce.number().int().min(0).default(120),
  /** A withdrawal still open after this long is reported (its payout retries span about 36 h). */
  RECONCILIATION_STALE_SECONDS: z.coerce.number().int().min(0).default(172_800),
  /** Released withdrawals of the last this many days are checked for a late payout. */
  RECONCILIATION_LATE_PAYOUT_DAYS: z.coerce.number().int().min(1).max(400).default(30),
  /** Workflows set CustomerId/AmbassadorId/OrderState search attributes (`npm start` registers them). */
  TEMPORAL_SEARCH_ATTRIBUTES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export type Config = Omit<z.infer<typeof ConfigSchema>, 'PUBLIC_BASE_URL'> & { PUBLIC_BASE_URL: string };

/** The task queue of the customer workflows (TEMPORAL_CUSTOMER_TASK_QUEUE or its default). */
export const customerTaskQueue = (config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_CUSTOMER_TASK_QUEUE'>): string =>
  config.TEMPORAL_CUSTOMER_TASK_QUEUE ?? `${config.TEMPORAL_TASK_QUEUE}-customers`;

/** The API's own address as a URL (a wildcard host is reached on the loopback address). */
export function listenUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export class ConfigError extends Error {}

/** Parses and validates settings; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, PUBLIC_BASE_URL: result.data.PUBLIC_BASE_URL ?? listenUrl(result.data.API_HOST, result.data.API_PORT) };
}
