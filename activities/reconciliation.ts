/** The reconciliation sweep's steps, thin over services/reconciliation.ts; each idempotent (a repeat records the same result again). */
import { finishRun, runCheck, startRun } from '../services/reconciliation';
import type { Deps } from '../services/deps';

export function createReconciliationActivities(deps: Deps) {
  return {
    reconciliationStart: (input: { workflowId: string; trigger: 'schedule' | 'manual' }) => startRun(deps, input),
    reconciliationCheck: (input: { runId: number; check: string }) => runCheck(deps, input),
    reconciliationFinish: (runId: number) => finishRun(deps, runId),
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
