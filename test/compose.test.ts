/**
 * docker-compose.yml cannot run here (no Docker engine); this keeps it honest by reading it:
 * official images, Temporal on the compose Postgres, and the app wired through variables the
 * config module knows and accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema, PROJECT_ROOT, loadConfig } from '../config';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };

test('compose: Postgres, Temporal on that Postgres, the Temporal UI and the app', () => {
  const s = compose.services;
  expect(Object.keys(s).sort()).toEqual(['app', 'postgres', 'temporal', 'temporal-ui']);
  expect(s.postgres?.image).toMatch(/^postgres:\d+/);
  expect(s.temporal?.image).toMatch(/^temporalio\/auto-setup:/);
  expect(s.temporal?.environment?.POSTGRES_SEEDS).toBe('postgres');
  expect(s['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
  expect(s['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  expect(s.app?.build).toBe('.');
  expect(fs.existsSync(path.join(PROJECT_ROOT, 'Dockerfile'))).toBe(true);
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
