/** sha256 of a JSON value with object keys sorted: equal values hash equal whatever the key order. */
import crypto from 'node:crypto';

export function canonicalHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return crypto.createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}
