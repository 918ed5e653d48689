/**
 * The settings of `npm run start:cluster`: the Temporal processes get every value of
 * cluster/temporal.env unchanged (the values docker-compose.yml uses) plus only where things
 * are here; ports derive from TEMPORAL_PORT and a taken one is named by its setting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEMPORAL_SETTINGS, WHERE_KEYS, clusterSettings, portsToCheck, readEnvFile, temporalServerEnv } from '../../cluster/settings';

test('start:cluster gives the Temporal processes the shared values unchanged, and only where things are besides', () => {
  const s = clusterSettings({ TEMPORAL_PORT: '17233', PG_PORT: '17432' });
  const env = temporalServerEnv(s, { user: 'postgres', password: 'pw' });
  for (const [k, v] of Object.entries(TEMPORAL_SETTINGS)) expect([k, env[k]]).toEqual([k, v]);
  expect(Object.keys(env).filter((k) => !(k in TEMPORAL_SETTINGS)).sort()).toEqual([...WHERE_KEYS].sort());
  expect(env).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: '127.0.0.1', DB_PORT: '17432', FRONTEND_GRPC_PORT: '17233', HISTORY_GRPC_PORT: '17234', MATCHING_GRPC_PORT: '17235', WORKER_GRPC_PORT: '17239' });
});

test('every port of the topology is distinct and named by the setting that moves it', () => {
  const s = clusterSettings({ TEMPORAL_PORT: '17233', API_PORT: '17300', TEMPORAL_UI_PORT: '17280', PG_PORT: '17432' });
  const ports = portsToCheck(s);
  expect(new Set(ports.map((p) => p.port)).size).toBe(ports.length);
  expect(ports.find((p) => p.port === 17253)?.setting).toBe('TEMPORAL_PORT (its TEMPORAL_PORT+20)');
  expect(ports.find((p) => p.port === 17300)?.setting).toBe('API_PORT');
  expect(() => clusterSettings({ CLUSTER_APP_WORKERS: '0' })).toThrow(/CLUSTER_APP_WORKERS/);
  expect(() => clusterSettings({ TEMPORAL_PORT: '32742' })).toThrow(/TEMPORAL_PORT/);
});

test('the values files are KEY=VALUE lines; anything else is refused with its line number', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-env-')), 'x.env');
  fs.writeFileSync(file, '# comment\nA=1\n\nB=two words\n');
  expect(readEnvFile(file)).toEqual({ A: '1', B: 'two words' });
  fs.writeFileSync(file, 'A=1\nnot a line\n');
  expect(() => readEnvFile(file)).toThrow(/x\.env:2: expected KEY=VALUE/);
});
