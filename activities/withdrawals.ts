/**
 * Withdrawal activities: pay out through the payout provider (idempotency key = withdrawal id),
 * confirm with the provider before a release, then post the payout, or release the reservation.
 * Each is idempotent: a retry never pays, posts or releases twice.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { FailureType } from '../contracts/errors';
import type { WithdrawalWorkflowResult } from '../contracts/withdrawals';
import { markPayoutAttempt, recordPayoutError, type WithdrawalRow } from '../db/repositories/withdrawals';
import { LocalPayoutProvider, PayoutRejectedError, type PayoutProvider } from '../payouts';
import { releaseWithdrawal as releaseOnLedger, settleWithdrawal as settleOnLedger } from '../services/withdrawals';
import type { ActivityDeps } from './deps';

/** How often the payout activity heartbeats while the provider call is under way. */
export const PAYOUT_HEARTBEAT_EVERY_MS = 5_000;

const settled = (w: WithdrawalRow): WithdrawalWorkflowResult => ({
  withdrawalId: w.id,
  status: w.status === 'paid' ? 'paid' : 'failed',
  providerRef: w.provider_ref,
  failureReason: w.failure_reason,
});

/** The activity's context, or none when the function is called directly (tests, scripts). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Runs `fn` heartbeating every PAYOUT_HEARTBEAT_EVERY_MS; `fn` gets the attempt's cancellation signal. */
async function heartbeating<T>(fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const ctx = activityContext();
  if (!ctx) return fn(undefined);
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), PAYOUT_HEARTBEAT_EVERY_MS);
  try {
    return await fn(ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}

export function createWithdrawalActivities(deps: ActivityDeps) {
  const { sql, ruleBook, logger } = deps;
  const provider: PayoutProvider = deps.payoutProvider ?? new LocalPayoutProvider(sql);
  const settle = async (withdrawalId: string, providerRef: string) => {
    const w = await settleOnLedger(sql, { withdrawalId, providerRef, nowMs: Date.now(), ruleBook });
    if (w.paid_after_release_at) logger.error({ withdrawalId, providerRef }, 'ops alert: a released withdrawal was paid after all; taken into the ledger (available may show a debt)');
    return settled(w);
  };

  return {
    /** One payout attempt; the provider sees the same idempotency key on every retry. Heartbeats
     * while the provider works; a cancelled or timed-out attempt aborts the provider call. */
    async payOutWithdrawal(withdrawalId: string): Promise<{ providerRef: string }> {
      const w = await markPayoutAttempt(sql, withdrawalId);
      if (w.status === 'paid' && w.provider_ref) return { providerRef: w.provider_ref };
      if (w.status === 'failed') {
        throw ApplicationFailure.create({ type: FailureType.withdrawalClosed, message: `withdrawal ${w.id} already failed`, nonRetryable: true });
      }
      if (w.net_yunqi === 0) return { providerRef: 'none:zero-net' };
      try {
        return await heartbeating((signal) => provider.pay({ idempotencyKey: w.id, ambassadorId: w.ambassador_id, netYunqi: w.net_yunqi }, { signal }));
      } catch (err) {
        const signal = activityContext()?.cancellationSignal;
        if (signal?.aborted) throw signal.reason instanceof CancelledFailure ? signal.reason : new CancelledFailure(`payout of ${w.id} cancelled`);
        const e = err as Error;
        await recordPayoutError(sql, w.id, `${e.name}: ${e.message}`);
        if (err instanceof PayoutRejectedError) {
          throw ApplicationFailure.create({ type: FailureType.payoutRejected, message: e.message, nonRetryable: true });
        }
        throw ApplicationFailure.create({ type: 'payout_error', message: `${e.name}: ${e.message}` });
      }
    },

    /** Before a release: the provider's own answer whether it paid this withdrawal. */
    async findPayout(withdrawalId: string): Promise<{ providerRef: string | null }> {
      const found = await provider.find(withdrawalId);
      return { providerRef: found?.providerRef ?? null };
    },

    /** The provider paid: post the tax line and the payout (a withdrawal released meanwhile takes
     * the late payout into the ledger). */
    async settleWithdrawal(input: { withdrawalId: string; providerRef: string }): Promise<WithdrawalWorkflowResult> {
      return settle(input.withdrawalId, input.providerRef);
    },

    /** Definitive failure: unless the provider did pay after all (an answer lost to a timeout),
     * release the reservation. */
    async releaseWithdrawal(input: { withdrawalId: string; reason: string }): Promise<WithdrawalWorkflowResult> {
      const found = await provider.find(input.withdrawalId);
      if (found) return settle(input.withdrawalId, found.providerRef);
      return settled(await releaseOnLedger(sql, { ...input, nowMs: Date.now(), ruleBook }));
    },
  };
}

export type WithdrawalActivities = ReturnType<typeof createWithdrawalActivities>;
