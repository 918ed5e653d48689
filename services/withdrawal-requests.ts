/**
 * A withdrawal requested over the API: idempotent by the Idempotency-Key (the first answer is
 * stored in the same transaction as the reservation; db/repositories/idempotency.ts), then the
 * withdrawal's workflow is started. A start that fails leaves the withdrawal `reserved`; a replay
 * of the request starts it.
 */
import { startWithdrawalWorkflow } from '../contracts/withdrawals/client';
import { idempotentAnswer, requestHash, type StoredAnswer } from '../db/repositories/idempotency';
import { getWithdrawal } from '../db/repositories/withdrawals';
import { withAmbassadorLock } from '../ledger/locks';
import { nowOf, type Deps } from './deps';
import { reserveWithdrawalLocked, type WithdrawalOutcome } from './withdrawals';

const SCOPE = 'POST /v1/ambassadors/me/withdrawals';

export async function requestWithdrawalOnce(
  deps: Deps,
  input: { ambassador: { id: string; kind: 'individual' | 'enterprise' }; amountYunqi: number; idempotencyKey: string },
  answer: (outcome: WithdrawalOutcome) => StoredAnswer,
): Promise<StoredAnswer & { replayed: boolean; withdrawalId: string | null }> {
  const { sql, ruleBook } = deps;
  const amb = input.ambassador;
  let withdrawalId: string | null = null;
  const out = await withAmbassadorLock(sql, amb.id, (tx, available) =>
    idempotentAnswer(tx, { ambassadorId: amb.id, scope: SCOPE, key: input.idempotencyKey, requestHash: requestHash({ amountYunqi: input.amountYunqi }) }, async () => {
      const outcome = await reserveWithdrawalLocked(tx, available, { ambassador: amb, amountYunqi: input.amountYunqi, nowMs: nowOf(deps), ruleBook });
      return answer(outcome);
    }),
  );
  if (out.status === 201) {
    withdrawalId = (out.body as { id: string }).id;
    // A replay starts the workflow only if it may never have started.
    if (!out.replayed || (await getWithdrawal(sql, withdrawalId, amb.id))?.status === 'reserved') {
      try {
        await startWithdrawalWorkflow(deps.client, withdrawalId, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
      } catch (err) {
        deps.logger.error({ err, withdrawalId }, 'withdrawal workflow could not be started; a replay of the request will retry');
      }
    }
  }
  return { ...out, withdrawalId };
}
