/** Timeline events of an order: each with a key unique per order, so recording is idempotent. */
import type { TimelineEvent } from '../../contracts/orders';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function event(key: string, kind: string, atMs: number, summary: string, detail?: Record<string, unknown>): TimelineEvent {
  return { key, kind, at: iso(atMs), summary, ...(detail ? { detail } : {}) };
}
