/**
 * Orders over REST for order systems that do not use Temporal directly (service token), the ops
 * view of one order (ops token), and an ambassador's own attributed orders.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { temporalOptions } from '../../services/deps';
import { InvalidationSchema, OrderPlacedSchema, RefundSchema } from '../../contracts/orders';
import { OrderConflictError, OrderNotFoundError, invalidateOrder, placeOrder, refundOrder } from '../../contracts/orders/client';
import { ambassadorOrders, opsOrderView } from '../../services/orders/views';
import type { AuthedAmbassador } from '../auth';
import { HttpError, conflict, notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { IdSchema, Money, PageQuery, decodeCursor, encodeCursor } from '../schemas';

const OrderIdParams = z.object({ orderId: IdSchema });
const isOrderCursor = (v: unknown[]): v is [string, string] => v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string';
const Accepted = z.object({ orderId: z.string(), workflowId: z.string(), duplicate: z.boolean() });

const TimelineEntry = z.object({ at: z.string(), kind: z.string(), summary: z.string(), detail: z.unknown() });
const OrderView = z.object({
  orderId: z.string(),
  customerId: z.string(),
  state: z.string(),
  reasonCode: z.string().nullable(),
  placedAt: z.string(),
  ambassadorId: z.string().nullable(),
  associationId: z.string().nullable(),
  ruleSetVersion: z.string().nullable(),
  paid: Money,
  refunded: Money,
  reward: Money,
  credited: Money,
  reviewEndsAt: z.string().nullable(),
  installments: z.array(z.object({ n: z.number(), amount: Money, dueAt: z.string(), credited: z.boolean() })),
  explanation: z.unknown(),
});

export function ordersRoutes(api: ApiRegistry, deps: Deps): void {
  const opts = () => temporalOptions(deps.config);

  api.add({
    method: 'post',
    path: '/v1/orders',
    summary: 'An order was placed and paid (order systems). The same message twice is harmless; the same orderId with another body is refused.',
    tags: ['orders'],
    auth: 'service',
    body: OrderPlacedSchema,
    responses: { 202: { description: 'accepted: settlement runs as a workflow', schema: Accepted }, 409: { description: 'same orderId, different body' } },
    handler: async ({ body }) => {
      try {
        const r = await placeOrder(deps.client, body, opts());
        return { status: 202, body: { orderId: body.orderId, workflowId: r.workflowId, duplicate: r.duplicate } };
      } catch (err) {
        if (err instanceof OrderConflictError) throw conflict('order_conflict', err.message);
        throw err;
      }
    },
  });

  api.add({
    method: 'post',
    path: '/v1/orders/:orderId/refunds',
    summary: 'A refund of an order (full or partial). Repeating a refundId is harmless.',
    tags: ['orders'],
    auth: 'service',
    params: OrderIdParams,
    body: RefundSchema,
    responses: { 202: { description: 'accepted', schema: z.object({ orderId: z.string(), workflowId: z.string(), via: z.enum(['signal', 'adjustment']) }) } },
    handler: async ({ params, body }) => {
      try {
        const r = await refundOrder(deps.client, params.orderId, body, opts());
        return { status: 202, body: { orderId: params.orderId, ...r } };
      } catch (err) {
        if (err instanceof OrderNotFoundError) throw notFound(`order ${params.orderId}`);
        throw err;
      }
    },
  });

  api.add({
    method: 'post',
    path: '/v1/orders/:orderId/findings',
    summary: 'A same-person (同人) or cheating (作弊) finding: the order becomes invalid (R-REV-1, R-REV-2).',
    tags: ['orders'],
    auth: 'service',
    params: OrderIdParams,
    body: InvalidationSchema,
    responses: { 202: { description: 'accepted', schema: z.object({ orderId: z.string() }) } },
    handler: async ({ params, body }) => {
      try {
        await invalidateOrder(deps.client, params.orderId, body);
      } catch (err) {
        if (err instanceof OrderNotFoundError) throw new HttpError(409, 'order_not_running', err.message);
        throw err;
      }
      return { status: 202, body: { orderId: params.orderId } };
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
