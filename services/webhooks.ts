/**
 * Webhooks that ops register (POST/GET/DELETE /v1/ops/webhooks): each receives every event of the
 * outbox from its registration on (or those whose type starts with one of its eventTypes), signed
 * with its secret; its delivery log answers what was sent, when, and what the receiver said.
 * Registering wakes the delivery workflow.
 */
import crypto from 'node:crypto';
import { ensureDeliveries } from '../contracts/deliveries/client';
import * as repo from '../db/repositories/outbox';
import { newToken } from '../lib/tokens';
import type { Deps } from './deps';
import { eventId } from './outbox';

export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  createdBy: string;
  createdAt: string;
  deletedAt: string | null;
  deletedBy: string | null;
}

const view = (r: repo.WebhookRow): WebhookView => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  description: r.description,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  deletedAt: r.deleted_at?.toISOString() ?? null,
  deletedBy: r.deleted_by,
});

export async function registerWebhook(
  deps: Pick<Deps, 'sql' | 'client' | 'config'>,
  input: { url: string; eventTypes?: string[] | undefined; secret?: string | undefined; description?: string | undefined; createdBy: string },
): Promise<{ webhook: WebhookView; secret: string }> {
  const secret = input.secret ?? newToken('whsec');
  const row = await repo.insertWebhook(deps.sql, {
    id: `wh_${crypto.randomBytes(9).toString('base64url')}`,
    url: input.url,
    secret,
    eventTypes: input.eventTypes ?? [],
    description: input.description ?? null,
    createdBy: input.createdBy,
  });
  await ensureDeliveries(deps.client, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, idleMaxMs: deps.config.WEBHOOK_IDLE_MAX_SECONDS * 1000 });
  return { webhook: view(row), secret };
}

export const listWebhooks = async (deps: Pick<Deps, 'sql'>): Promise<WebhookView[]> => (await repo.listWebhooks(deps.sql)).map(view);

export async function getWebhook(deps: Pick<Deps, 'sql'>, id: string): Promise<WebhookView | null> {
  const row = await repo.getWebhook(deps.sql, id);
  return row ? view(row) : null;
}

export async function deleteWebhook(deps: Pick<Deps, 'sql'>, id: string, by: string): Promise<WebhookView | null> {
  const row = await repo.deleteWebhook(deps.sql, id, by);
  return row ? view(row) : null;
}

export interface DeliveryView {
  deliveryId: number;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  log: repo.DeliveryLogRow['log'];
}

/** A webhook's deliveries, newest first; null when the webhook is unknown. */
export async function webhookDeliveries(deps: Pick<Deps, 'sql'>, id: string, page: { limit: number; beforeId?: number | undefined; status?: string | undefined }): Promise<DeliveryView[] | null> {
  if (!(await repo.getWebhook(deps.sql, id))) return null;
  return (await repo.deliveryLog(deps.sql, id, page)).map((d) => ({
    deliveryId: d.id,
    eventId: eventId(d.event_id),
    eventType: d.type,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    log: d.log,
  }));
}
