/**
 * Orders over REST for order systems that do not use Temporal directly (service token), the ops
 * view of one order (ops token), and an ambassador's own attributed orders.
 */
import { z } from 'zod';
import type { ApiDeps } from '../app';
import type { ApiRegistry } from '../registry';
import { conflict, notFound, HttpError } from '../errors';
import { ID_PATTERN, type AuthedAmbassador } from '../auth';
import {
  InvalidationSchema,
  OrderConflictError,
  OrderNotFoundError,
  OrderPlacedSchema,
  RefundSchema,
  invalidateOrder,
  placeOrder,
  refundOrder,
} from '../../orders/contract';
import { yunqiToCny } from '../../domain/money';

const OrderIdParams = z.object({ orderId: z.string().regex(ID_PATTERN, 'not a valid order id') });
const Accepted = z.object({ orderId: z.string(), workflowId: z.string(), duplicate: z.boolean() });
const Money = z.object({ yunqi: z.number().int(), cny: z.string() });
const money = (yunqi: number) => ({ yunqi, cny: yunqiToCny(yunqi) });

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

interface OrderDbRow {
  order_id: string;
  customer_id: string;
  state: string;
  reason_code: string | null;
  placed_at: Date;
  ambassador_id: string | null;
  association_id: string | null;
  rule_set_version: string | null;
  paid_yunqi: number;
  refunded_yunqi: number;
  granted_yunqi: number;
  credited_yunqi: number;
  review_ends_at: Date | null;
  installments: { n: number; yunqi: number; dueAtMs: number; credited: boolean }[];
  explanation: unknown;
  workflow_id: string;
  run_id: string | null;
}

function orderView(r: OrderDbRow) {
  return {
    orderId: r.order_id,
    customerId: r.customer_id,
    state: r.state,
    reasonCode: r.reason_code,
    placedAt: r.placed_at.toISOString(),
    ambassadorId: r.ambassador_id,
    associationId: r.association_id,
    ruleSetVersion: r.rule_set_version,
    paid: money(r.paid_yunqi),
    refunded: money(r.refunded_yunqi),
    reward: money(r.granted_yunqi),
    credited: money(r.credited_yunqi),
    reviewEndsAt: r.review_ends_at?.toISOString() ?? null,
    installments: r.installments.map((i) => ({ n: i.n, amount: money(i.yunqi), dueAt: new Date(i.dueAtMs).toISOString(), credited: i.credited })),
    explanation: r.explanation ?? null,
  };
}

export function ordersRoutes(api: ApiRegistry, deps: ApiDeps): void {
  const opts = () => ({ taskQueue: deps.config.TEMPORAL_TASK_QUEUE, searchAttributes: deps.config.TEMPORAL_SEARCH_ATTRIBUTES });

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
      // One snapshot for the three reads: a settlement step writes the order row, its events and
      // its ledger entries in one transaction; separate statements could mix two steps.
      const { row, events, entries } = await deps.sql.begin('isolation level repeatable read read only', async (tx) => {
        const [row] = await tx<OrderDbRow[]>`SELECT * FROM orders WHERE order_id = ${params.orderId}`;
        const events = await tx<{ at: Date; kind: string; summary: string; detail: unknown }[]>`
          SELECT at, kind, summary, detail FROM order_events WHERE order_id = ${params.orderId} ORDER BY at, id`;
        const entries = await tx<{ id: number; kind: string; installment: number | null; occurred_at: Date; account: string; amount_yunqi: number }[]>`
          SELECT e.id, e.kind, e.installment, e.occurred_at,
                 coalesce(a.ambassador_id || ':', 'system:') || a.kind AS account, p.amount_yunqi
            FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
           WHERE e.order_id = ${params.orderId} ORDER BY e.id, p.position`;
        return { row, events, entries };
      });
      if (!row) throw notFound(`order ${params.orderId}`);
      const ledger: { entryId: number; kind: string; installment: number | null; at: string; postings: { account: string; amount: ReturnType<typeof money> }[] }[] = [];
      for (const e of entries) {
        let last = ledger[ledger.length - 1];
        if (!last || last.entryId !== e.id) {
          last = { entryId: e.id, kind: e.kind, installment: e.installment, at: e.occurred_at.toISOString(), postings: [] };
          ledger.push(last);
        }
        last.postings.push({ account: e.account, amount: money(e.amount_yunqi) });
      }
      return {
        status: 200,
        body: {
          ...orderView(row),
          workflow: { workflowId: row.workflow_id, runId: row.run_id, namespace: deps.config.TEMPORAL_NAMESPACE },
          timeline: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, summary: e.summary, detail: e.detail })),
          ledger,
        },
      };
    },
  });

  const ListQuery = z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional().describe('from the previous page'),
  });
  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/orders',
    summary: "The ambassador's attributed orders and their settlement state, newest first.",
    tags: ['ambassadors'],
    auth: 'ambassador',
    query: ListQuery,
    responses: { 200: { description: 'a page', schema: z.object({ orders: z.array(OrderView), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }, _req, res) => {
      const me = res.locals.ambassador as AuthedAmbassador;
      let after: { at: string; id: string } | null = null;
      if (query.cursor) {
        try {
          const [at, id] = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as [string, string];
          if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw new Error('bad');
          after = { at, id };
        } catch {
          throw new HttpError(400, 'validation_failed', 'cursor is not one this API gave out', [{ path: 'query.cursor', message: 'invalid cursor' }]);
        }
      }
      const rows = await deps.sql<OrderDbRow[]>`
        SELECT * FROM orders WHERE ambassador_id = ${me.id}
          ${after ? deps.sql`AND (placed_at, order_id) < (${after.at}, ${after.id})` : deps.sql``}
         ORDER BY placed_at DESC, order_id DESC LIMIT ${query.limit + 1}`;
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.placed_at.toISOString(), last.order_id])).toString('base64url') : null;
      return { status: 200, body: { orders: page.map(orderView), nextCursor } };
    },
  });
}
