/**
 * What-if runs for program managers (ops token): re-run the pure rules with a candidate rule set
 * over the recorded facts of a period, never touching the ledger, and read the differences from
 * what was actually settled: totals, per ambassador, per order, each with its explanation.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { RuleSetSchema } from '../../domain/rulesets';
import { createSimulation, simulatedAmbassadors, simulatedOrders, simulationView, type SimulationRefusal } from '../../services/simulations';
import { HttpError, notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { InstantSchema, Money, PageQuery, TextSchema, decodeCursor, encodeCursor } from '../schemas';

const CreateBody = z.strictObject({
  ruleSet: RuleSetSchema.describe('the candidate: it replaces the version of its id (or the one taking effect at its instant), or joins the others'),
  from: InstantSchema.describe('orders placed from this instant (inclusive)'),
  to: InstantSchema.describe('to this instant (exclusive)'),
  requestedBy: TextSchema(200, 1),
  reason: TextSchema(2000).optional(),
});
const IdParams = z.object({ id: z.string().regex(/^sim_[A-Za-z0-9_-]{1,40}$/, 'a simulation id (sim_…)') });
const Side = z.object({ ambassadorId: z.string().nullable(), state: z.string(), reasonCode: z.string().nullable(), ruleSetVersion: z.string().nullable(), rewardYunqi: z.number(), creditedYunqi: z.number(), rate: z.string().nullable(), summary: z.string().nullable() });
const View = z.object({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  requestedBy: z.string(),
  reason: z.string().nullable(),
  candidateVersion: z.string(),
  replacedVersion: z.string().nullable(),
  period: z.object({ from: z.string(), to: z.string() }),
  judgedAt: z.string(),
  workflowId: z.string(),
  progress: z.object({ customersTotal: z.number().nullable(), customersDone: z.number(), ordersDone: z.number(), fraction: z.number() }),
  totals: z.object({ orders: z.number(), changedOrders: z.number(), actual: Money, simulated: Money, difference: Money, creditedDifference: Money, ambassadors: z.number(), changedAmbassadors: z.number() }).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
const isOrderCursor = (v: unknown[]): v is [string] => v.length === 1 && typeof v[0] === 'string';
const isAmbCursor = (v: unknown[]): v is [number, string] => v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';
const refusal = (r: SimulationRefusal) => new HttpError(422, r.code, r.reason, r.details);

export function simulationsRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'post',
    path: '/v1/ops/simulations',
    summary: 'Start a what-if run: the candidate rule set over the recorded facts of the orders placed in [from, to), as a workflow; nothing is posted to the ledger',
    tags: ['ops', 'simulations'],
    auth: 'ops',
    body: CreateBody,
    responses: {
      202: { description: 'started; follow it at GET /v1/ops/simulations/{id}', schema: View },
      422: { description: 'the candidate makes the table invalid (invalid_rule_set), or the period is empty or longer than three years (invalid_period)' },
    },
    handler: async ({ body }) => {
      const r = await createSimulation(deps, body);
      if (!r.ok) throw refusal(r);
      return { status: 202, body: await simulationView(deps, r.simulation.id) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/simulations/:id',
    summary: 'A what-if run: its progress while it runs (the workflow is queried), then the totals: actual, simulated and their difference',
    tags: ['ops', 'simulations'],
    auth: 'ops',
    params: IdParams,
    responses: { 200: { description: 'the run', schema: View }, 404: { description: 'no such run' } },
    handler: async ({ params }) => {
      const v = await simulationView(deps, params.id);
      if (!v) throw notFound(`simulation ${params.id}`);
      return { status: 200, body: v };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/simulations/:id/orders',
    summary: 'The orders the candidate changes, each as settled and as simulated, with the explanation',
    tags: ['ops', 'simulations'],
    auth: 'ops',
    params: IdParams,
    query: PageQuery(500, 100),
    responses: {
      200: { description: 'a page', schema: z.object({ orders: z.array(z.object({ orderId: z.string(), customerId: z.string(), placedAt: z.string(), difference: Money, actual: Side, simulated: Side, explanation: z.string() })), nextCursor: z.string().nullable() }) },
      404: { description: 'no such run' },
    },
    handler: async ({ params, query }) => {
      const after = query.cursor ? decodeCursor(query.cursor, isOrderCursor)[0] : undefined;
      const page = await simulatedOrders(deps, params.id, { limit: query.limit, after });
      if (!page) throw notFound(`simulation ${params.id}`);
      const last = page.length === query.limit ? page[page.length - 1] : undefined;
      return { status: 200, body: { orders: page, nextCursor: last ? encodeCursor([last.orderId]) : null } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/simulations/:id/ambassadors',
    summary: "Per ambassador: the period's orders as granted and under the candidate, largest difference first",
    tags: ['ops', 'simulations'],
    auth: 'ops',
    params: IdParams,
    query: PageQuery(500, 100).extend({ all: z.enum(['true', 'false']).default('false').describe('also the ambassadors whose total does not change') }),
    responses: {
      200: { description: 'a page', schema: z.object({ ambassadors: z.array(z.object({ ambassadorId: z.string(), orders: z.number(), actual: Money, simulated: Money, difference: Money, explanation: z.string() })), nextCursor: z.string().nullable() }) },
      404: { description: 'no such run' },
    },
    handler: async ({ params, query }) => {
      const after = query.cursor ? decodeCursor(query.cursor, isAmbCursor) : undefined;
      const page = await simulatedAmbassadors(deps, params.id, { limit: query.limit, after, changedOnly: query.all === 'false' });
      if (!page) throw notFound(`simulation ${params.id}`);
      const last = page.length === query.limit ? page[page.length - 1] : undefined;
      return { status: 200, body: { ambassadors: page, nextCursor: last ? encodeCursor([Math.abs(last.difference.yunqi), last.ambassadorId]) : null } };
    },
  });
}
