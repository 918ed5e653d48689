/**
 * The reconciliation sweep's activities, thin over services/reconciliation.ts: the names of the
 * checks, one check, and the run's record. Checks are idempotent (each resumes, settles or
 * releases at most once; a repeat finds nothing left to do); the record is kept once per run.
 */
import { Context } from '@temporalio/activity';
import type { ReconciliationFinding } from '../contracts/reconciliation';
import { LocalPayoutProvider } from '../payouts';
import { reconciliationCheckNames, recordReconciliationRun, runReconciliationCheck } from '../services/reconciliation';
import type { ActivityDeps } from './deps';

export function createReconciliationActivities(deps: ActivityDeps) {
  const payoutProvider = deps.payoutProvider ?? new LocalPayoutProvider(deps.sql);
  return {
    async reconciliationChecks(): Promise<string[]> {
      return reconciliationCheckNames();
    },

    async runReconciliationCheck(name: string): Promise<ReconciliationFinding[]> {
      const findings = await runReconciliationCheck({ ...deps, payoutProvider }, name);
      for (const f of findings) {
        const log = f.severity === 'alert' ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
        log({ finding: f }, `reconciliation ${f.severity}: ${f.message}`);
      }
      return findings;
    },

    async recordReconciliationRun(input: { checks: string[]; findings: ReconciliationFinding[]; startedAtMs: number }): Promise<void> {
      const info = Context.current().info;
      const run = info.workflowExecution ?? { workflowId: 'outside-a-workflow', runId: `${info.activityType}:${info.activityId}` };
      await recordReconciliationRun(deps.sql, { runId: run.runId, workflowId: run.workflowId, checks: input.checks, findings: input.findings, startedAt: new Date(input.startedAtMs) });
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
