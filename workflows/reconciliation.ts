/**
 * The reconciliation sweep, started by the Temporal Schedule `reconciliation-sweep`
 * (contracts/reconciliation): every named check of services/reconciliation.ts runs as its own
 * activity (so each shows in the Temporal UI with its findings), then the run's findings are
 * recorded for GET /v1/ops/reconciliation. The list of checks comes from an activity, so adding a
 * check changes no workflow code. A check that keeps failing is a finding, not a failed sweep.
 * Deterministic: activities do all I/O.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation';
import type { FindingSeverity, ReconciliationFinding, ReconciliationSummary } from '../contracts/reconciliation';

const { reconciliationChecks, runReconciliationCheck, recordReconciliationRun } = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});

export async function reconciliationSweep(): Promise<ReconciliationSummary> {
  const startedAtMs = Date.now();
  const checks = await reconciliationChecks();
  const findings: ReconciliationFinding[] = [];
  for (const check of checks) {
    try {
      findings.push(...(await runReconciliationCheck(check)));
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      findings.push({ check, severity: 'alert', subject: 'sweep', action: 'failed', message: `the check failed: ${err.cause?.message ?? err.message}`, details: {} });
    }
  }
  await recordReconciliationRun({ checks, findings, startedAtMs });
  const bySeverity: Record<FindingSeverity, number> = { info: 0, warning: 0, alert: 0 };
  for (const f of findings) bySeverity[f.severity] += 1;
  return { checks, findings: findings.length, bySeverity };
}
