/**
 * The withdrawal tests' shared moves over the real HTTP app: an ambassador who earned, a request
 * with an Idempotency-Key, a GET as the ambassador, and the withdrawal workflow's result.
 * `current` gives the file's context and app once its hooks have made them.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { TestContext } from './context';
import { completedOrder, createAmbassador, type FixtureAmbassador } from './ledger-fixtures';
import type { WithdrawalWorkflowResult } from '../../contracts/withdrawals';

export const CNY = 100;

export function withdrawalMoves(current: () => { ctx: TestContext; app: Express }) {
  return {
    withdraw: (a: FixtureAmbassador, amount: string, opts: { key?: string; on?: Express } = {}) =>
      request(opts.on ?? current().app)
        .post('/v1/ambassadors/me/withdrawals')
        .set('Authorization', a.auth)
        .set('Idempotency-Key', opts.key ?? crypto.randomUUID())
        .send({ amount }),
    get: (a: FixtureAmbassador, path: string) => request(current().app).get(path).set('Authorization', a.auth),
    settled: (id: string): Promise<WithdrawalWorkflowResult> => current().ctx.client.workflow.getHandle(`withdrawal:${id}`).result(),
    /** An ambassador with one completed valid order of `cny` credited (R-WD-1). */
    earner: async (cny: number): Promise<FixtureAmbassador> => {
      const a = await createAmbassador(current().ctx.sql);
      await completedOrder(current().ctx.sql, a.id, cny * CNY);
      return a;
    },
  };
}
