/**
 * Orders over REST for order systems that do not use Temporal directly (service token), the ops
 * view of one order (ops token), and an ambassador's own attributed orders.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { ORDER_REASON_CODES, ORDER_STATES } from '../../contracts/orders';
import { FindingSchema, OrderPlacedSchema, RefundSchema } from '../../contracts/orders/schemas';
import { receiveFinding, receiveOrder, receiveRefund, type Refused } from '../../services/orders/intake';
import { ambassadorOrders, opsOrderView } from '../../services/orders/views';
import type { AuthedAmbassador } from '../auth';
import { HttpError, notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { CommissionExplanationSchema, IdSchema, Money, PageQuery, decodeCursor, encodeCursor, money } from '../schemas';

const OrderIdParams = z.object({ orderId: IdSchema });
const isOrderCursor = (v: unknown[]): v is [string, string] => v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string';
const Accepted = z.object({ orderId: z.string(), workflowId: z.string(), duplicate: z.boolean() });

const TimelineEntry = z.object({ at: z.string().describe('the business instant'), recordedAt: z.string().nullable(), kind: z.string(), summary: z.string(), detail: z.unknown() });
const OrderView = z.object({
  orderId: z.string(),
  customerId: z.string(),
  state: z.enum(ORDER_STATES),
  reasonCode: z.enum(ORDER_REASON_CODES).nullable(),
  placedAt: z.string(),
  ambassadorId: z.string().nullable(),
  associationId: z.string().nullable(),
  ruleSetVersion: z.string().nullable(),
  paid: Money,
  refunded: Money,
  reward: Money,
  credited: Money,
  reviewEndsAt: z.string().nullable(),
  clawedBack: Money.describe('credited earlier and taken back (R-REV-2); shown as a debt while available is below zero'),
  installments: z.array(z.object({ n: z.number(), amount: Money, dueAt: z.string(), credited: z.boolean(), status: z.enum(['due', 'credited', 'voided']) })),
  nextDueAt: z.string().nullable(),
  explanation: CommissionExplanationSchema.nullable().describe('the commission: rule-set version, level, rate, the caps and the room each left'),
  assessment: z.unknown().describe('what was judged at placement: attribution, customer class, purchase kind, reward'),
  failure: z.object({ error: z.string(), at: z.string() }).nullable(),
});

const STATUS: Record<Refused['code'], number> = { order_conflict: 409, order_not_found: 404, placed_at_out_of_bounds: 422, fact_refused: 422 };
const refusal = (r: Refused) => new HttpError(STATUS[r.code], r.code, r.reason);

const FactAnswer = z.object({
  orderId: z.string(),
  applied: z.boolean().describe('false when it changed nothing: a repeat, a conflict, or the order already earned nothing'),
  duplicate: z.boolean(),
  conflict: z.boolean().describe('the same id was recorded earlier with another body; this one was not applied'),
  state: z.enum(ORDER_STATES),
  reward: Money,
  credited: Money,
  summary: z.string(),
});
const factAnswer = (a: { orderId: string; applied: boolean; duplicate: boolean; conflict: boolean; state: (typeof ORDER_STATES)[number]; rewardYunqi: number; creditedYunqi: number; summary: string }) => ({
  orderId: a.orderId,
  applied: a.applied,
  duplicate: a.duplicate,
  conflict: a.conflict,
  state: a.state,
  reward: money(a.rewardYunqi),
  credited: money(a.creditedYunqi),
  summary: a.summary,
});

export function ordersRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'post',
    path: '/v1/orders',
    summary: 'An order was placed and paid (order systems). The same message twice is harmless; the same orderId with another body is refused.',
    tags: ['orders'],
    auth: 'service',
    body: OrderPlacedSchema,
    responses: {
      202: { description: 'accepted: settlement runs as a workflow', schema: Accepted },
      409: { description: 'same orderId, different body (order_conflict)' },
      422: { description: 'placedAt before the earliest rule set or in the future (placed_at_out_of_bounds)' },
    },
    handler: async ({ body }) => {
      const r = await receiveOrder(deps, body);
      if (!r.ok) throw refusal(r);
      return { status: 202, body: { orderId: body.orderId, workflowId: r.workflowId, duplicate: r.duplicate } };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/orders/:orderId/refunds',
    summary: 'A refund of an order (full, or partial with its amount), at refundedAt: applied whatever the order\'s state, once per refundId; the answer says what it did. Service or ops token (the ops console records refunds too).',
    tags: ['orders'],
    auth: 'service_or_ops',
    params: OrderIdParams,
    body: RefundSchema,
    responses: {
      200: { description: 'applied (or a harmless repeat)', schema: FactAnswer },
      404: { description: 'no such order (order_not_found)' },
      422: { description: 'more than is left of what was paid, or refundedAt before the order or in the future (fact_refused)' },
    },
    handler: async ({ params, body }) => {
      const r = await receiveRefund(deps, params.orderId, body);
      if (!r.ok) throw refusal(r);
      return { status: 200, body: factAnswer(r) };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/orders/:orderId/findings',
    summary: 'A same-person (同人) or cheating (作弊) finding at foundAt: the order becomes invalid (R-REV-1, R-REV-2), what was credited is clawed back; the answer says what it did. Service or ops token (the ops console records findings too).',
    tags: ['orders'],
    auth: 'service_or_ops',
    params: OrderIdParams,
    body: FindingSchema,
    responses: {
      200: { description: 'applied (or a harmless repeat)', schema: FactAnswer },
      404: { description: 'no such order (order_not_found)' },
      422: { description: 'foundAt before the order or in the future (fact_refused)' },
    },
    handler: async ({ params, body }) => {
      const r = await receiveFinding(deps, params.orderId, body);
      if (!r.ok) throw refusal(r);
      return { status: 200, body: factAnswer(r) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/orders/:orderId',
    summary: 'One order for operations: state, the commission explanation, a readable timeline, its ledger entries, and the workflow for the Temporal UI.',
    tags: ['ops'],
    auth: 'ops',
    params: OrderIdParams,
    responses: {
      200: {
        description: 'the order',
        schema: OrderView.extend({
          workflow: z.object({ workflowId: z.string(), runId: z.string().nullable(), namespace: z.string() }),
          timeline: z.array(TimelineEntry),
          ledger: z.array(z.object({ entryId: z.number(), kind: z.string(), installment: z.number().nullable(), at: z.string(), postings: z.array(z.object({ account: z.string(), amount: Money })) })),
        }),
      },
    },
    handler: async ({ params }) => {
      const view = await opsOrderView(deps, params.orderId);
      if (!view) throw notFound(`order ${params.orderId}`);
      return { status: 200, body: view };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/orders',
    summary: "The ambassador's attributed orders and their settlement state, newest first.",
    tags: ['ambassadors'],
    auth: 'ambassador',
    query: PageQuery(),
    responses: { 200: { description: 'a page', schema: z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }, _req, res) => {
      const me = res.locals.ambassador as AuthedAmbassador;
      const after = query.cursor ? decodeCursor(query.cursor, isOrderCursor) : null;
      const page = await ambassadorOrders(deps, me.id, { limit: query.limit, after: after && { at: after[0], id: after[1] } });
      return { status: 200, body: { items: page.items, nextCursor: page.next ? encodeCursor([page.next.at, page.next.id]) : null } };
    },
  });
}
