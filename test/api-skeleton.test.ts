import request from 'supertest';
import { ORDER_REASON_CODES, ORDER_STATES } from '../contracts/orders';
import pino from 'pino';
import { createApp } from '../api/app';
import { loadConfig, ConfigError } from '../config';
import { createTestContext, type TestContext } from './harness/context';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp({ sql: ctx.sql, client: ctx.client, config: ctx.config, logger: pino({ level: 'silent' }), ruleBook: ctx.deps.ruleBook });
});
afterAll(async () => {
  await ctx?.close();
});

test('GET /healthz answers 200 while the process is up', async () => {
  const res = await request(app).get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok' });
});

test('GET /readyz answers 200 when Temporal and Postgres are reachable', async () => {
  const res = await request(app).get('/readyz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } });
});

test('GET /readyz answers 503 naming Postgres when the database is gone', async () => {
  const { createSql } = await import('../db/client');
  const deadSql = createSql('postgres://postgres:postgres@127.0.0.1:1/none', { max: 1 });
  const dead = createApp({ sql: deadSql, client: ctx.client, config: ctx.config, logger: pino({ level: 'silent' }), ruleBook: ctx.deps.ruleBook });
  const res = await request(dead).get('/readyz');
  expect(res.status).toBe(503);
  expect(res.body.checks.postgres).toMatch(/^unreachable/);
  expect(res.body.checks.temporal).toBe('ok');
  await deadSql.end({ timeout: 1 });
});

test('unknown routes and malformed JSON get the one error shape', async () => {
  const res = await request(app).get('/v1/nothing-here');
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /v1/nothing-here', details: null } });
});

test('GET /openapi.json is an OpenAPI 3.1 document generated from the route schemas', async () => {
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
  // Order states and reason codes are enums in the document, the same lists as the code's.
  const view = res.body.paths['/v1/ops/orders/{orderId}'].get.responses['200'].content['application/json'].schema;
  expect(view.properties.state.enum).toEqual([...ORDER_STATES]);
  expect(view.properties.reasonCode.anyOf.find((s: { enum?: string[] }) => s.enum)?.enum).toEqual([...ORDER_REASON_CODES]);
});

test('config: a bad value names the variable', () => {
  expect(() => loadConfig({ API_PORT: '70000' })).toThrow(ConfigError);
  expect(() => loadConfig({ API_PORT: '70000' })).toThrow(/API_PORT/);
  expect(() => loadConfig({ SERVICE_TOKEN: 'short' })).toThrow(/SERVICE_TOKEN: must be at least 16 characters/);
  expect(loadConfig({}).API_PORT).toBe(3000);
});
