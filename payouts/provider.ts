/**
 * The payout provider: whoever moves the net amount of a withdrawal to the ambassador's bank
 * account or wallet. The withdrawal workflow calls it through this interface only.
 *
 * Contract:
 *  - `pay` is idempotent by `idempotencyKey` (our withdrawal id): calling it again with the same
 *    key never pays twice; it answers the first payout's reference.
 *  - A definitive refusal (the provider will never pay this request: closed account, invalid
 *    payee, key reused with another amount) throws PayoutRejectedError; the withdrawal fails and
 *    its reservation is released.
 *  - Anything else (unavailable, timed out, unknown outcome) is transient: retry with the same key.
 *  - `pay` honours `signal`: once it is aborted (the attempt was cancelled or timed out), the
 *    provider should not start the payout; it may still complete one already under way, which
 *    `find` then shows.
 *  - `find` (required) answers the payout made for the key, or null when none was made. The
 *    workflow asks it before releasing a withdrawal, and the reconciliation sweep asks it about
 *    released withdrawals, so an answer lost to a timeout, or a payout an abandoned attempt made
 *    late, is never taken for a failure: such a payout is taken into the ledger after all.
 */
export interface PayoutRequest {
  idempotencyKey: string;
  ambassadorId: string;
  netYunqi: number;
}

export interface PayoutResult {
  providerRef: string;
}

export interface PayoutProvider {
  pay(req: PayoutRequest, opts?: { signal?: AbortSignal }): Promise<PayoutResult>;
  find(idempotencyKey: string): Promise<PayoutResult | null>;
}

/** The provider will never pay this request. */
export class PayoutRejectedError extends Error {
  override readonly name = 'PayoutRejectedError';
}

/** The provider could not be reached or failed; the outcome may be unknown. Retry with the same key. */
export class PayoutUnavailableError extends Error {
  override readonly name = 'PayoutUnavailableError';
}

/** No answer in time; the payout may or may not have happened. Retry with the same key. */
export class PayoutTimeoutError extends Error {
  override readonly name = 'PayoutTimeoutError';
}
