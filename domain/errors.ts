/** The one error type of the rules engine: a stable machine-readable `code`, a message for
 * people, and optional structured `details` (for example zod issues of a rejected rule table). */
export class DomainError extends Error {
  readonly code: string;
  readonly details?: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** Throws `DomainError(code)` unless `n` is a safe integer ≥ `min` (yunqi amounts, counts). */
export function assertSafeInt(n: number, what: string, min = 0): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new DomainError('invalid_integer', `${what} must be a safe integer ≥ ${min}, got ${String(n)}`);
  }
}
