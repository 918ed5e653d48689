/**
 * Error codes have one style: snake_case, for API errors (`{error: {code}}`), activity failure
 * types and domain errors alike. Reason codes (why an order earns nothing, why a click associated
 * no one) are a separate vocabulary of UPPER_SNAKE enums, listed with their areas.
 *
 * The failure types below are thrown by activities and named by workflows as not retryable:
 * defined once here so the two cannot drift.
 */
export const FailureType = {
  /** The same order ID was recorded with a different body. */
  orderConflict: 'order_conflict',
  /** A step for an order that was never recorded. */
  orderNotRecorded: 'order_not_recorded',
  /** The order's data can never be assessed (Postgres cannot store it, no rule judges it). */
  orderUnassessable: 'order_unassessable',
  /** The payout provider refused the payout for good. */
  payoutRejected: 'payout_rejected',
  /** The withdrawal was already released. */
  withdrawalClosed: 'withdrawal_closed',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
