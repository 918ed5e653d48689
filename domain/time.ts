/**
 * Time helpers. Instants are epoch milliseconds (or ISO strings at the edges); every program
 * date is China Standard Time, UTC+8, with no daylight saving. Pure: no clock is read here.
 */
import { DomainError } from './errors';

export const MS_PER_DAY = 86_400_000;
/** UTC+8 offset of China Standard Time. */
export const UTC8_OFFSET_MS = 8 * 3_600_000;

/** Rule-set durations are stored in days (fractions allowed); this turns them into whole milliseconds. */
export function daysToMs(days: number): number {
  return Math.round(days * MS_PER_DAY);
}

/** ISO instant ("2024-05-31T16:00:00Z", "2024-06-01T00:00:00+08:00") or epoch ms → epoch ms. */
export function toInstantMs(t: number | string): number {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new DomainError('invalid_instant', `not an instant: ${String(t)}`);
  return ms;
}

/** Wall-clock time in UTC+8, "2024-06-01" or "2024-06-01T10:30[:00[.000]]" → epoch ms. */
export function utc8(wall: string): number {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/.test(wall)) {
    throw new DomainError('invalid_instant', `not a UTC+8 wall time: ${wall}`);
  }
  return toInstantMs(`${wall.includes('T') ? wall : `${wall}T00:00`}+08:00`);
}

/** "2024-06-01 00:00" style rendering of an instant in UTC+8 (for explanations and docs). */
export function formatUtc8(ms: number): string {
  return new Date(ms + UTC8_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Calendar month of an instant in UTC+8: "2024-06". */
export function monthKeyUtc8(instantMs: number): string {
  return new Date(toInstantMs(instantMs) + UTC8_OFFSET_MS).toISOString().slice(0, 7);
}

/** The same UTC+8 wall time `months` calendar months later (negative: earlier); a day that does
 * not exist in the target month is clamped to its last day (2024-03-31 − 1 month → 2024-02-29). */
export function addMonthsUtc8(instantMs: number, months: number): number {
  const wall = new Date(instantMs + UTC8_OFFSET_MS);
  const y = wall.getUTCFullYear();
  const target = wall.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, target + 1, 0)).getUTCDate();
  const day = Math.min(wall.getUTCDate(), lastDay);
  const timeOfDay = instantMs + UTC8_OFFSET_MS - Date.UTC(y, wall.getUTCMonth(), wall.getUTCDate());
  return Date.UTC(y, target, day) + timeOfDay - UTC8_OFFSET_MS;
}
