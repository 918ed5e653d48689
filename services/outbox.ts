/**
 * Delivering the outbox (docs/operations.md "Webhooks"): one round folds the new ledger entries
 * into their events (db/repositories/journal-fold.ts), fans the new events out to
 * each webhook's deliveries, then POSTs the deliveries that are due, each signed with its
 * webhook's secret (X-Signature: sha256=<HMAC-SHA256 of the body, hex>), carrying its stable event
 * ID. A 2xx is delivered; anything else is retried with exponential backoff until
 * WEBHOOK_MAX_ATTEMPTS, then failed (kept in the log). At least once: a receiver de-duplicates by
 * X-Event-Id. Idempotent as an activity: a round repeated finds the same events fanned out and
 * only what is still due.
 */
import crypto from 'node:crypto';
import type { Config } from '../config';
import { claimDue, fanOut, nextDueInMs, recordAttempt, type ClaimedDelivery } from '../db/repositories/outbox';
import { foldJournal } from '../db/repositories/journal-fold';
import type { Deps } from './deps';

const FAN_OUT_BATCH = 500;
/** Entries a fold takes at a time (bench:ledger folds as the round does). */
export const FOLD_BATCH = 1_000;
const FOLDS = 20;
const CLAIM_LIMIT = 100;
const PARALLEL = 8;

export type OutboxConfig = Pick<Config, 'WEBHOOK_TIMEOUT_SECONDS' | 'WEBHOOK_MAX_ATTEMPTS' | 'WEBHOOK_RETRY_BASE_SECONDS'>;

export const eventId = (outboxId: number): string => `evt_${outboxId}`;

/** The JSON body of an event: its stable id, type, instant and data (a ledger entry, or an order's state change). */
export function eventBody(d: Pick<ClaimedDelivery, 'event_id' | 'type' | 'occurred_at' | 'payload' | 'entry'>): string {
  return JSON.stringify({ id: eventId(d.event_id), type: d.type, occurredAt: d.occurred_at.toISOString(), data: d.entry ?? d.payload });
}

/** X-Signature of a body under a webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Backoff after the n-th failed attempt: base × 2^(n−1), at most an hour. */
export const retryDelayMs = (config: OutboxConfig, attempt: number): number => Math.min(config.WEBHOOK_RETRY_BASE_SECONDS * 1000 * 2 ** (attempt - 1), 3_600_000);

async function attempt(config: OutboxConfig, d: ClaimedDelivery): Promise<Parameters<typeof recordAttempt>[1]> {
  const body = eventBody(d);
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-event-id': eventId(d.event_id),
        'x-event-type': d.type,
        'x-webhook-id': d.webhook_id,
        'x-delivery-attempt': String(d.attempts),
        'x-signature': signature(d.secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_SECONDS * 1000),
    });
    statusCode = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) error = `answered ${res.status}`;
  } catch (err) {
    error = (err as Error).name === 'TimeoutError' ? `no answer within ${config.WEBHOOK_TIMEOUT_SECONDS} s` : `${(err as Error).message}${(err as { cause?: Error }).cause ? `: ${(err as { cause: Error }).cause.message}` : ''}`;
  }
  const base = { deliveryId: d.id, attempt: d.attempts, statusCode, error, durationMs: Date.now() - started };
  if (error === null) return { ...base, outcome: 'delivered', retryInMs: 0 };
  if (d.attempts >= config.WEBHOOK_MAX_ATTEMPTS) return { ...base, outcome: 'failed', retryInMs: 0 };
  return { ...base, outcome: 'retry', retryInMs: retryDelayMs(config, d.attempts) };
}

export interface RoundResult {
  fannedOut: number;
  attempted: number;
  delivered: number;
  /** When the next pending delivery falls due (ms from now), null when none is pending. */
  nextDueInMs: number | null;
}

/** One round: fold the new ledger entries into their events, fan out, then attempt what is due (PARALLEL at a time). */
export async function deliverRound(deps: Pick<Deps, 'sql' | 'config'>): Promise<RoundResult> {
  // Folding keeps up with any rate the ledger writes at (a round folds up to FOLDS × FOLD_BATCH).
  for (let i = 0; i < FOLDS && (await foldJournal(deps.sql, FOLD_BATCH)) === FOLD_BATCH; i++);
  const fannedOut = await fanOut(deps.sql, FAN_OUT_BATCH);
  const due = await claimDue(deps.sql, CLAIM_LIMIT, deps.config.WEBHOOK_TIMEOUT_SECONDS * 1000 + 30_000);
  let delivered = 0;
  for (let i = 0; i < due.length; i += PARALLEL) {
    const results = await Promise.all(due.slice(i, i + PARALLEL).map((d) => attempt(deps.config, d)));
    for (const r of results) {
      await recordAttempt(deps.sql, r);
      if (r.outcome === 'delivered') delivered++;
    }
  }
  return { fannedOut, attempted: due.length, delivered, nextDueInMs: await nextDueInMs(deps.sql) };
}
