/**
 * docker-compose.yml cannot run here (no Docker engine); this keeps it honest by reading it:
 * official images, Temporal on the compose Postgres, and the app wired through variables the
 * config module knows and accepts. Its Temporal is the one `npm run start:cluster` runs: the same
 * pinned versions (cluster/versions.env), values (cluster/temporal.env), dynamic config and
 * schema and namespace scripts; compose sets only where things are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema, PROJECT_ROOT, loadConfig } from '../config';
import { SEARCH_ATTRIBUTE_KEYS } from '../contracts/search-attributes';
import { TEMPORAL_SETTINGS, VERSIONS, WHERE_KEYS } from '../cluster/settings';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  env_file?: string | string[];
  volumes?: string[];
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const TEMPORAL = ['temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui'];

test('compose: Postgres, Temporal on that Postgres, the Temporal UI and the app', () => {
  const s = compose.services;
  expect(Object.keys(s).sort()).toEqual(['app', 'postgres', ...TEMPORAL].sort());
  expect(s.postgres?.image).toMatch(/^postgres:\d+/);
  expect(s.temporal?.image).toMatch(/^temporalio\/server:/);
  expect(s.temporal?.environment?.POSTGRES_SEEDS).toBe('postgres');
  expect(s['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
  expect(s['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  expect(s.app?.build).toBe('.');
  const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  // The app image serves the consoles: they are built in a stage of their own and copied in.
  expect(dockerfile).toMatch(/RUN npm run build:console/);
  expect(dockerfile).toMatch(/COPY --from=consoles \/app\/console\/dist \.\/console\/dist/);
});

test('compose: every app variable is a config setting, and the whole set validates', () => {
  const env = compose.services.app?.environment ?? {};
  const known = Object.keys(ConfigSchema.shape);
  for (const k of Object.keys(env)) expect(known).toContain(k);
  const config = loadConfig(env);
  expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
  expect(config.DATABASE_URL).toMatch(/@postgres:5432\/settlement$/);
  const pg = compose.services.postgres?.environment ?? {};
  expect(config.DATABASE_URL).toBe(`postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`);
});

test('compose runs the Temporal versions start:cluster builds (cluster/versions.env)', () => {
  const s = compose.services;
  expect(s.temporal?.image).toBe(`temporalio/server:${VERSIONS.TEMPORAL_SERVER_VERSION}`);
  expect(s['temporal-schema']?.image).toBe(`temporalio/admin-tools:${VERSIONS.TEMPORAL_SERVER_VERSION}`);
  expect(s['temporal-namespace']?.image).toBe(`temporalio/admin-tools:${VERSIONS.TEMPORAL_SERVER_VERSION}`);
  expect(s['temporal-ui']?.image).toBe(`temporalio/ui:${VERSIONS.TEMPORAL_UI_VERSION}`);
});

test('compose takes every Temporal value from cluster/temporal.env and sets only where things are', () => {
  for (const key of Object.keys(TEMPORAL_SETTINGS)) expect(WHERE_KEYS).not.toContain(key);
  const pg = compose.services.postgres?.environment ?? {};
  for (const name of TEMPORAL) {
    const svc = compose.services[name]!;
    expect([svc.env_file].flat()).toEqual(['cluster/temporal.env']);
    for (const key of Object.keys(svc.environment ?? {})) expect([name, key, (WHERE_KEYS as readonly string[]).includes(key) || key === 'TEMPORAL_CORS_ORIGINS']).toEqual([name, key, true]);
  }
  for (const name of ['temporal-schema', 'temporal']) {
    const env = compose.services[name]!.environment!;
    expect([env.POSTGRES_USER, env.POSTGRES_PWD]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD]);
  }
  const t = compose.services.temporal!;
  expect(t.volumes).toContain(`./cluster/dynamicconfig.yaml:${t.environment!.DYNAMIC_CONFIG_FILE_PATH}:ro`);
});

test('compose sets up the schema and the namespace with the scripts start:cluster runs', () => {
  const s = compose.services;
  expect(s['temporal-schema']?.entrypoint).toEqual(['sh', '/scripts/cluster/setup-schema.sh']);
  expect(s['temporal-namespace']?.entrypoint).toEqual(['sh', '/scripts/cluster/create-namespace.sh']);
  for (const name of ['temporal-schema', 'temporal-namespace']) expect(s[name]?.volumes).toEqual(['./scripts/cluster:/scripts/cluster:ro']);
  expect(s.temporal?.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  expect(s.app?.depends_on).toMatchObject({ 'temporal-namespace': { condition: 'service_completed_successfully' } });
  // The namespace script registers the attributes the workflows set.
  const registered = TEMPORAL_SETTINGS.SEARCH_ATTRIBUTES!.split(',').map((a) => a.split(':'));
  expect(Object.fromEntries(registered)).toEqual(Object.fromEntries(SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, 'Keyword'])));
});
