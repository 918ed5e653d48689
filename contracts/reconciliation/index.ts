/**
 * The reconciliation contract: the sweep workflow (`reconciliation:<key>`), started nightly by
 * the Schedule `reconciliation-nightly` and on demand by ops. Workflow-safe; the typed client
 * (the Schedule, a run on demand) is client.ts beside this file.
 */
import { workflowId } from '../ids';

export const RECONCILIATION_WORKFLOW = 'reconciliationSweep';
export const RECONCILIATION_SCHEDULE_ID = 'reconciliation-nightly';
/** The Schedule's workflows are this ID plus the instant the server appends. */
export const scheduledReconciliationWorkflowId = (): string => workflowId('reconciliation', 'nightly');
export const manualReconciliationWorkflowId = (atMs: number): string => workflowId('reconciliation', `manual-${atMs}`);

export interface ReconciliationInput {
  trigger: 'schedule' | 'manual';
}

export interface ReconciliationSummary {
  runId: number;
  findings: number;
  checks: { check: string; status: 'ok' | 'findings' | 'error'; findings: number }[];
}
