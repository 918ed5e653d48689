/**
 * One workflow per withdrawal, ID `withdrawal:<withdrawalId>`, started by the API once the
 * reservation (withdrawal.reserved) has committed, or by the reconciliation sweep when the API
 * could not start it. It pays out through the payout provider with the withdrawal id as the
 * provider's idempotency key, retrying transient failures with backoff, then posts the payout
 * (tax line + paid). A definitive refusal, or retries running out, releases the reservation once
 * the provider confirms it paid nothing (if it did, the payout is posted instead).
 * Deterministic: activities do all I/O.
 *
 * Patches (executions started before them replay the old path):
 *  - PAYOUT_HEARTBEAT_PATCH: the payout attempt heartbeats (a dead worker is noticed in 30 s, and a
 *    timed-out attempt is cancelled, aborting the provider call) and may take 10 minutes; before a
 *    release the workflow asks the provider for the payout (findPayout), as its own step.
 */
import { ActivityFailure, ApplicationFailure, patched, proxyActivities, setHandler, type RetryPolicy } from '@temporalio/workflow';
import type { WithdrawalActivities } from '../activities/withdrawals';
import {
  PAYOUT_NON_RETRYABLE,
  withdrawalStageQuery,
  type WithdrawalWorkflowInput,
  type WithdrawalWorkflowResult,
  type WithdrawalWorkflowStage,
} from '../contracts/withdrawals';

const PAYOUT_HEARTBEAT_PATCH = 'withdrawal-payout-heartbeat-and-confirm';

const payoutRetry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 hour',
  // About a day and a half of trying; then the provider is asked before a release.
  maximumAttempts: 40,
  nonRetryableErrorTypes: PAYOUT_NON_RETRYABLE,
};

const { payOutWithdrawal: payOutV1 } = proxyActivities<WithdrawalActivities>({ startToCloseTimeout: '1 minute', retry: payoutRetry });
const { payOutWithdrawal } = proxyActivities<WithdrawalActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: payoutRetry });

// Ledger writes and provider lookups must eventually happen: retried without a limit.
const { settleWithdrawal, releaseWithdrawal, findPayout } = proxyActivities<WithdrawalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

function reasonOf(err: ActivityFailure): string {
  const cause = err.cause;
  return cause instanceof ApplicationFailure ? `${cause.type ?? 'Error'}: ${cause.message}` : (cause?.message ?? err.message);
}

export async function withdrawalWorkflow(input: WithdrawalWorkflowInput): Promise<WithdrawalWorkflowResult> {
  let stage: WithdrawalWorkflowStage = 'paying';
  setHandler(withdrawalStageQuery, () => stage);
  const heartbeating = patched(PAYOUT_HEARTBEAT_PATCH);
  const { withdrawalId } = input;

  let providerRef: string | null = null;
  try {
    ({ providerRef } = await (heartbeating ? payOutWithdrawal : payOutV1)(withdrawalId));
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    if (heartbeating) {
      stage = 'confirming';
      ({ providerRef } = await findPayout(withdrawalId));
    }
    if (!providerRef) {
      stage = 'releasing';
      const out = await releaseWithdrawal({ withdrawalId, reason: reasonOf(err) });
      stage = out.status;
      return out;
    }
  }
  stage = 'settling';
  const out = await settleWithdrawal({ withdrawalId, providerRef });
  stage = out.status;
  return out;
}
