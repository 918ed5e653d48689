/**
 * The reconciliation sweep: a Temporal Schedule (`reconciliation-sweep`) starts the workflow
 * `reconciliationSweep` every RECONCILIATION_EVERY_SECONDS; the workflow runs every named check
 * of services/reconciliation.ts (each an activity) and records their findings, which
 * GET /v1/ops/reconciliation shows. Workflow-safe; the typed client is ./client.ts.
 */
import { workflowId } from '../ids';

export const RECONCILIATION_WORKFLOW = 'reconciliationSweep';
export const RECONCILIATION_SCHEDULE_ID = 'reconciliation-sweep';
/** The ID of the workflows the schedule starts (Temporal appends the scheduled time). */
export const RECONCILIATION_WORKFLOW_ID = workflowId('reconciliation', 'sweep');

export type FindingSeverity = 'info' | 'warning' | 'alert';

/** One thing a check found, and what it did about it. */
export interface ReconciliationFinding {
  /** The check's name, e.g. withdrawals_without_workflow. */
  check: string;
  severity: FindingSeverity;
  /** What the finding is about, e.g. withdrawal:wd_…. */
  subject: string;
  /** What the check did: resumed, released, settled, taken_into_ledger, reported, failed. */
  action: string;
  message: string;
  details: Record<string, unknown>;
}

export interface ReconciliationSummary {
  checks: string[];
  findings: number;
  bySeverity: Record<FindingSeverity, number>;
}
