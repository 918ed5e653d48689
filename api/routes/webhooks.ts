/**
 * Webhooks for operations (ops token): register a receiver of the outbox's events (every ledger
 * entry and order state change, at least once, signed), list and delete them, and read a
 * webhook's delivery log.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { deleteWebhook, getWebhook, listWebhooks, registerWebhook, webhookDeliveries } from '../../services/webhooks';
import { notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { PageQuery, TextSchema, decodeCursor, encodeCursor } from '../schemas';

const Url = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'a webhook URL is http:// or https://');
const EventType = z.string().regex(/^[a-z][a-z0-9_.]{0,99}$/, 'an event type or its prefix, e.g. "ledger." or "order.state_changed"');
const RegisterBody = z.strictObject({
  url: Url,
  eventTypes: z.array(EventType).max(50).optional().describe('type prefixes to receive (ledger.reward.granted, ledger., order.state_changed); omitted: every event'),
  secret: z.string().min(16).max(200).optional().describe('the HMAC-SHA256 key; omitted: one is made and answered once'),
  description: TextSchema(500).optional(),
  createdBy: TextSchema(200, 1),
});
const IdParams = z.object({ id: z.string().regex(/^wh_[A-Za-z0-9_-]{1,40}$/, 'a webhook id (wh_…)') });
const DeleteQuery = z.object({ by: TextSchema(200, 1).describe('who deletes it') });

const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  deletedBy: z.string().nullable(),
});
const Delivery = z.object({
  deliveryId: z.number(),
  eventId: z.string().describe('stable: every attempt of the event carries it (X-Event-Id)'),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  log: z.array(z.object({ attempt: z.number(), at: z.string(), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() })),
});
const isCursor = (v: unknown[]): v is [number] => v.length === 1 && Number.isSafeInteger(v[0]);

export function webhooksRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'post',
    path: '/v1/ops/webhooks',
    summary: 'Register a webhook: every event from now on (or those of its eventTypes), POSTed at least once with X-Event-Id and X-Signature: sha256=<HMAC-SHA256 of the body>, retried with backoff',
    tags: ['ops', 'webhooks'],
    auth: 'ops',
    body: RegisterBody,
    responses: { 201: { description: 'registered; the secret is shown this once', schema: z.object({ webhook: Webhook, secret: z.string() }) } },
    handler: async ({ body }) => ({ status: 201, body: await registerWebhook(deps, body) }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/webhooks',
    summary: 'Every webhook (deleted ones too), without secrets',
    tags: ['ops', 'webhooks'],
    auth: 'ops',
    responses: { 200: { description: 'the webhooks', schema: z.object({ webhooks: z.array(Webhook) }) } },
    handler: async () => ({ status: 200, body: { webhooks: await listWebhooks(deps) } }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/webhooks/:id',
    summary: 'One webhook',
    tags: ['ops', 'webhooks'],
    auth: 'ops',
    params: IdParams,
    responses: { 200: { description: 'the webhook', schema: Webhook }, 404: { description: 'no such webhook' } },
    handler: async ({ params }) => {
      const w = await getWebhook(deps, params.id);
      if (!w) throw notFound(`webhook ${params.id}`);
      return { status: 200, body: w };
    },
  });

  api.add({
    method: 'delete',
    path: '/v1/ops/webhooks/:id',
    summary: 'Delete a webhook: nothing more is sent to it, its pending deliveries are cancelled; its log stays',
    tags: ['ops', 'webhooks'],
    auth: 'ops',
    params: IdParams,
    query: DeleteQuery,
    responses: { 200: { description: 'deleted (a repeat is harmless)', schema: Webhook }, 404: { description: 'no such webhook' } },
    handler: async ({ params, query }) => {
      const w = await deleteWebhook(deps, params.id, query.by);
      if (!w) throw notFound(`webhook ${params.id}`);
      return { status: 200, body: w };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/webhooks/:id/deliveries',
    summary: "A webhook's delivery log, newest first: each event's status, attempts, and what the receiver answered",
    tags: ['ops', 'webhooks'],
    auth: 'ops',
    params: IdParams,
    query: PageQuery(200, 50).extend({ status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional() }),
    responses: { 200: { description: 'a page of deliveries', schema: z.object({ deliveries: z.array(Delivery), nextCursor: z.string().nullable() }) }, 404: { description: 'no such webhook' } },
    handler: async ({ params, query }) => {
      const beforeId = query.cursor ? decodeCursor(query.cursor, isCursor)[0] : undefined;
      const page = await webhookDeliveries(deps, params.id, { limit: query.limit, beforeId, status: query.status });
      if (!page) throw notFound(`webhook ${params.id}`);
      const last = page.length === query.limit ? page[page.length - 1] : undefined;
      return { status: 200, body: { deliveries: page, nextCursor: last ? encodeCursor([last.deliveryId]) : null } };
    },
  });
}
