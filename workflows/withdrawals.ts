/**
 * One workflow per withdrawal, ID `withdrawal:<withdrawalId>`, started by the API once the
 * reservation (withdrawal.reserved) has committed. It pays out through the payout provider with
 * the withdrawal id as the provider's idempotency key, retrying transient failures with backoff,
 * then posts the payout (tax line + paid). A definitive refusal, or retries running out, releases
 * the reservation (the release first asks the provider whether it paid after all).
 * Deterministic: activities do all I/O.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WithdrawalActivities } from '../activities/withdrawals';
import {
  PAYOUT_NON_RETRYABLE,
  withdrawalStageQuery,
  type WithdrawalWorkflowInput,
  type WithdrawalWorkflowResult,
  type WithdrawalWorkflowStage,
} from '../contracts/withdrawals';

const { payOutWithdrawal } = proxyActivities<WithdrawalActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    // About a day and a half of trying; then the release asks the provider before giving up.
    maximumAttempts: 40,
    nonRetryableErrorTypes: PAYOUT_NON_RETRYABLE,
  },
});

// Ledger writes must eventually happen: retried without a limit.
const { settleWithdrawal, releaseWithdrawal } = proxyActivities<WithdrawalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function withdrawalWorkflow(input: WithdrawalWorkflowInput): Promise<WithdrawalWorkflowResult> {
  let stage: WithdrawalWorkflowStage = 'paying';
  setHandler(withdrawalStageQuery, () => stage);

  let providerRef: string;
  try {
    ({ providerRef } = await payOutWithdrawal(input.withdrawalId));
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    const reason = cause instanceof ApplicationFailure ? `${cause.type ?? 'Error'}: ${cause.message}` : (cause?.message ?? err.message);
    stage = 'releasing';
    const out = await releaseWithdrawal({ withdrawalId: input.withdrawalId, reason });
    stage = out.status;
    return out;
  }
  stage = 'settling';
  const out = await settleWithdrawal({ withdrawalId: input.withdrawalId, providerRef });
  stage = out.status;
  return out;
}
