/**
 * The reconciliation sweep (contracts/reconciliation), started by the Temporal Schedule
 * `reconciliation-sweep` and on demand: open the run (an activity answers the checks due, so a
 * new check changes no workflow code), take each named check as its own activity (each shows in
 * the Temporal UI with its outcome), close the run. A check that keeps failing is recorded as an
 * error by its last attempt, or, when even that cannot be recorded, counted as one here: the sweep
 * goes on. Deterministic: activities do all I/O.
 */
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation';
import { RECONCILIATION_CHECK_ATTEMPTS, type CheckOutcome, type FindingSeverity, type ReconciliationInput, type ReconciliationSummary } from '../contracts/reconciliation';

const acts = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: RECONCILIATION_CHECK_ATTEMPTS },
});

const noSeverities = (): Record<FindingSeverity, number> => ({ info: 0, warning: 0, alert: 0 });

export async function reconciliationSweep(input: ReconciliationInput = { trigger: 'schedule' }): Promise<ReconciliationSummary> {
  const { workflowId, runId } = workflowInfo();
  const { checks } = await acts.reconciliationStart({ runId, workflowId, trigger: input.trigger });
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    try {
      outcomes.push(await acts.reconciliationCheck({ runId, check }));
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      outcomes.push({ check, status: 'error', findings: 0, bySeverity: noSeverities() });
    }
  }
  const done = await acts.reconciliationFinish({ runId });
  const bySeverity = noSeverities();
  for (const o of outcomes) for (const s of Object.keys(bySeverity) as FindingSeverity[]) bySeverity[s] += o.bySeverity[s];
  return { runId, findings: done.findings, checks: outcomes, bySeverity };
}
