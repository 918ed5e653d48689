/**
 * The reconciliation sweep: start a run, take each named check in turn (an activity each), close
 * the run. A check that fails is recorded as an error by its activity and the sweep goes on.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation';
import type { ReconciliationInput, ReconciliationSummary } from '../contracts/reconciliation';

const acts = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function reconciliationSweep(input: ReconciliationInput): Promise<ReconciliationSummary> {
  const { runId, checks } = await acts.reconciliationStart({ workflowId: workflowInfo().workflowId, trigger: input.trigger });
  const results: ReconciliationSummary['checks'] = [];
  for (const check of checks) results.push(await acts.reconciliationCheck({ runId, check }));
  const done = await acts.reconciliationFinish(runId);
  return { runId, findings: done.findings, checks: results };
}
