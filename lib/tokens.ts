/** Bearer tokens: random, and stored only as their sha256 hash. */
import crypto from 'node:crypto';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newToken(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
}

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/**
 * Signed assertions of who the logged-in customer is, from the identity system:
 *   v1.<customerId>.<expiresAt, epoch seconds>.<base64url HMAC-SHA256(secret, "v1.<customerId>.<expiresAt>")>
 * The customer id may contain dots; the expiry and the signature are the last two parts.
 */
export function signCustomerAssertion(secret: string, customerId: string, expiresAtMs: number): string {
  const payload = `v1.${customerId}.${Math.floor(expiresAtMs / 1000)}`;
  return `${payload}.${crypto.createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export type CustomerAssertionCheck =
  | { ok: true; customerId: string; expiresAtMs: number }
  | { ok: false; problem: 'malformed' | 'bad_signature' | 'expired' | 'too_long_lived' };

/** Verifies an assertion (constant-time signature comparison) at `nowMs`; at most `maxTtlMs` ahead. */
export function verifyCustomerAssertion(secret: string, assertion: string, nowMs: number, maxTtlMs: number): CustomerAssertionCheck {
  const m = /^v1\.(.+)\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(assertion);
  if (!m) return { ok: false, problem: 'malformed' };
  const [, customerId, exp, sig] = m as unknown as [string, string, string, string];
  const expected = crypto.createHmac('sha256', secret).update(`v1.${customerId}.${exp}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, problem: 'bad_signature' };
  const expiresAtMs = Number(exp) * 1000;
  if (expiresAtMs <= nowMs) return { ok: false, problem: 'expired' };
  if (expiresAtMs > nowMs + maxTtlMs) return { ok: false, problem: 'too_long_lived' };
  return { ok: true, customerId, expiresAtMs };
}
