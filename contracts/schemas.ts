/**
 * The message fields every contract shares: business IDs, instants and free text, each refusing
 * what can never be stored or judged (an instant before 1970 or past year 9999, a NUL in a string).
 */
import { z } from 'zod';
import { BUSINESS_ID_PATTERN, BUSINESS_ID_RULE } from './ids';

export const IdSchema = z.string().regex(BUSINESS_ID_PATTERN, BUSINESS_ID_RULE);

const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An ISO-8601 instant with its offset, from 1970 to the year 9999. */
export const InstantSchema = z.iso
  .datetime({ offset: true, message: 'an ISO-8601 instant with offset, e.g. 2024-06-01T10:30:00+08:00' })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= 0 && t <= LATEST;
  }, 'an instant from 1970-01-01T00:00:00Z on');

/** Text of at most `max` characters, without NUL (Postgres text cannot hold it). */
export const TextSchema = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes(String.fromCharCode(0)), 'text must not contain NUL characters');

/** The NUL check alone, for a string schema with its own rules. */
export const withoutNul = (s: string) => !s.includes(String.fromCharCode(0));
export const NUL_MESSAGE = 'text must not contain NUL characters';
