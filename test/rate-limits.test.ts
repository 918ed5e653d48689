/**
 * Rate limits counted in Postgres: two API replicas (two apps over one database) share one count
 * per ambassador, a restarted API keeps it, and answers carry the IETF draft's RateLimit-Policy
 * and RateLimit headers.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import { completedOrder, createAmbassador, type FixtureAmbassador } from './harness/ledger-fixtures';
import { createApp } from '../api/app';

let ctx: TestContext;

useTestApp((x) => ({ ctx } = x), { env: { RATE_LIMIT_PER_MINUTE: '3' } });

const replica = (): Express => createApp({ sql: ctx.sql, client: ctx.client, config: ctx.config, logger: ctx.deps.logger, ruleBook: ctx.deps.ruleBook });
const post = (on: Express, a: FixtureAmbassador) =>
  request(on).post('/v1/ambassadors/me/withdrawals').set('Authorization', a.auth).set('Idempotency-Key', crypto.randomUUID()).send({ amount: '1.00' });

async function earner(): Promise<FixtureAmbassador> {
  const a = await createAmbassador(ctx.sql);
  await completedOrder(ctx.sql, a.id, 100_00);
  return a;
}

/** Waits until the minute has at least 10 s left, so one test's requests share a window. */
async function startOfAWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
}

test('two API replicas share one count per ambassador; a restarted API keeps it; other ambassadors are unaffected', async () => {
  const a = await earner();
  const b = await earner();
  await startOfAWindow();
  const one = replica();
  const two = replica();
  const statuses = [(await post(one, a)).status, (await post(two, a)).status, (await post(one, a)).status, (await post(two, a)).status];
  expect(statuses).toEqual([201, 201, 201, 429]);
  const restarted = replica();
  const again = await post(restarted, a);
  expect(again.status).toBe(429);
  expect(again.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('at most 3') });
  expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  expect((await post(restarted, b)).status).toBe(201);
});

test('answers carry the RateLimit-Policy and RateLimit headers of the IETF draft', async () => {
  const a = await earner();
  await startOfAWindow();
  const res = await post(replica(), a);
  expect(res.status).toBe(201);
  expect(res.headers['ratelimit-policy']).toMatch(/^"withdrawals"; q=3; w=60(; pk=:[A-Za-z0-9+/=]+:)?$/);
  expect(res.headers.ratelimit).toMatch(/^"withdrawals"; r=2; t=\d+(; pk=:[A-Za-z0-9+/=]+:)?$/);
  const [row] = await ctx.sql<{ hits: number }[]>`SELECT hits FROM rate_limit_windows WHERE key = ${`withdrawals:ambassador:${a.id}`}`;
  expect(row!.hits).toBe(1);
});
