/**
 * The reconciliation sweep's activities, thin over services/reconciliation.ts: open the run (it
 * answers the checks due), one check, close the run. Each is idempotent: a check resumes, settles
 * or releases at most once (a repeat finds nothing left to do) and records its result again; the
 * run is opened and closed once.
 */
import { Context } from '@temporalio/activity';
import { RECONCILIATION_CHECK_ATTEMPTS, type CheckOutcome, type ReconciliationTrigger } from '../contracts/reconciliation';
import { LocalPayoutProvider } from '../payouts';
import { finishRun, runCheck, startRun } from '../services/reconciliation';
import type { ActivityDeps } from './deps';

export function createReconciliationActivities(deps: ActivityDeps) {
  const payoutProvider = deps.payoutProvider ?? new LocalPayoutProvider(deps.sql);
  return {
    reconciliationStart: (input: { runId: string; workflowId: string; trigger: ReconciliationTrigger }) => startRun(deps, input),

    async reconciliationCheck(input: { runId: string; check: string }): Promise<CheckOutcome> {
      const lastAttempt = Context.current().info.attempt >= RECONCILIATION_CHECK_ATTEMPTS;
      const { found, ...outcome } = await runCheck({ ...deps, payoutProvider }, { ...input, lastAttempt });
      for (const f of found) {
        const log = f.severity === 'alert' ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
        log({ finding: f }, `reconciliation ${f.severity}: ${f.message}`);
      }
      if (outcome.status === 'error') deps.logger.error({ check: input.check, runId: input.runId }, 'reconciliation check failed on its last attempt');
      return outcome;
    },

    reconciliationFinish: (input: { runId: string }) => finishRun(deps, input.runId),
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
