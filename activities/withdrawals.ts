/**
 * Withdrawal activities: pay out through the payout provider (idempotency key = withdrawal id),
 * then post the payout, or release the reservation. Each is idempotent: a retry never pays,
 * posts or releases twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../contracts/errors';
import type { WithdrawalWorkflowResult } from '../contracts/withdrawals';
import { markPayoutAttempt, recordPayoutError, type WithdrawalRow } from '../db/repositories/withdrawals';
import { LocalPayoutProvider, PayoutRejectedError, type PayoutProvider } from '../payouts';
import { releaseWithdrawal as releaseOnLedger, settleWithdrawal as settleOnLedger } from '../services/withdrawals';
import type { ActivityDeps } from './deps';

const settled = (w: WithdrawalRow): WithdrawalWorkflowResult => ({
  withdrawalId: w.id,
  status: w.status === 'paid' ? 'paid' : 'failed',
  providerRef: w.provider_ref,
  failureReason: w.failure_reason,
});

export function createWithdrawalActivities(deps: ActivityDeps) {
  const { sql } = deps;
  const provider: PayoutProvider = deps.payoutProvider ?? new LocalPayoutProvider(sql);

  return {
    /** One payout attempt; the provider sees the same idempotency key on every retry. */
    async payOutWithdrawal(withdrawalId: string): Promise<{ providerRef: string }> {
      const w = await markPayoutAttempt(sql, withdrawalId);
      if (w.status === 'paid' && w.provider_ref) return { providerRef: w.provider_ref };
      if (w.status === 'failed') {
        throw ApplicationFailure.create({ type: FailureType.withdrawalClosed, message: `withdrawal ${w.id} already failed`, nonRetryable: true });
      }
      if (w.net_yunqi === 0) return { providerRef: 'none:zero-net' };
      try {
        return await provider.pay({ idempotencyKey: w.id, ambassadorId: w.ambassador_id, netYunqi: w.net_yunqi });
      } catch (err) {
        const e = err as Error;
        await recordPayoutError(sql, w.id, `${e.name}: ${e.message}`);
        if (err instanceof PayoutRejectedError) {
          throw ApplicationFailure.create({ type: FailureType.payoutRejected, message: e.message, nonRetryable: true });
        }
        throw ApplicationFailure.create({ type: 'payout_error', message: `${e.name}: ${e.message}` });
      }
    },

    /** The provider paid: post the tax line and the payout. */
    async settleWithdrawal(input: { withdrawalId: string; providerRef: string }): Promise<WithdrawalWorkflowResult> {
      return settled(await settleOnLedger(sql, { ...input, nowMs: Date.now() }));
    },

    /** Definitive failure: unless the provider did pay after all (an answer lost to a timeout),
     * release the reservation. */
    async releaseWithdrawal(input: { withdrawalId: string; reason: string }): Promise<WithdrawalWorkflowResult> {
      const found = provider.find ? await provider.find(input.withdrawalId) : null;
      if (found) return settled(await settleOnLedger(sql, { withdrawalId: input.withdrawalId, providerRef: found.providerRef, nowMs: Date.now() }));
      return settled(await releaseOnLedger(sql, { ...input, nowMs: Date.now(), ruleBook: deps.ruleBook }));
    },
  };
}

export type WithdrawalActivities = ReturnType<typeof createWithdrawalActivities>;
