/**
 * The inputs schemathesis once turned into 500s, and the edge bounds of the withdrawal routes:
 * each is a 4xx with a reason now, and nothing was written.
 */
import request from 'supertest';
import type { Express } from 'express';
import type { TestContext } from './harness/context';
import { useTestApp } from './harness/use-harness';
import { withdrawalMoves } from './harness/withdrawal-fixtures';

let ctx: TestContext;
let app: Express;

useTestApp((x) => ({ ctx, app } = x));

const service = (r: request.Test) => r.set('Authorization', `Bearer ${ctx.config.SERVICE_TOKEN}`);
const join = { accountId: 'acct-edge', kind: 'individual', displayName: 'Edge', realNameVerified: true, joinedAt: '2024-04-01T00:00:00+08:00' };

test('instants before 1970 or before year 100, NUL in text: 400 with the field, never 500, nothing stored', async () => {
  const cases = [
    service(request(app).post('/v1/ambassadors')).send({ ...join, joinedAt: '1969-12-31T23:59:59Z' }),
    service(request(app).post('/v1/ambassadors')).send({ ...join, displayName: 'A\u0000B' }),
    service(request(app).put('/v1/customers/cust-edge')).send({ facts: { firstPaidPurchaseAt: '0099-01-01T00:00:00Z' } }),
    service(request(app).put('/v1/customers/cust-edge')).send({ observedAt: '+010000-01-01T00:00:00Z' }),
  ];
  for (const res of await Promise.all(cases)) {
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
  }
  const [row] = await ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ambassadors WHERE account_id = 'acct-edge'`;
  expect(row!.n).toBe(0);
  // The customer was never written: a later good PUT creates it.
  const ok = await service(request(app).put('/v1/customers/cust-edge')).send({});
  expect(ok.status).toBe(200);
  expect(ok.body.created).toBe(true);
});

test('withdrawal amounts out of range and malformed keys are 400 or 422 with a reason', async () => {
  const { withdraw, earner } = withdrawalMoves(() => ({ ctx, app }));
  const a = await earner(100);
  for (const amount of ['0.00', '-1.00', '1.001', '1e3', '99999999999999999999.00', '']) {
    const res = await withdraw(a, amount);
    expect({ amount, status: res.status }).toEqual({ amount, status: 400 });
  }
  const tooBig = await withdraw(a, '100000.01');
  expect(tooBig.status).toBe(422);
  const badKey = await request(app).post('/v1/ambassadors/me/withdrawals').set('Authorization', a.auth).set('Idempotency-Key', 'x'.repeat(256)).send({ amount: '1.00' });
  expect(badKey.status).toBe(400);
});
