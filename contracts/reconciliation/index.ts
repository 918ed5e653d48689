/**
 * The reconciliation sweep (docs/operations.md "Reconciliation"): one workflow type,
 * `reconciliationSweep`, started by the Temporal Schedule `reconciliation-sweep` every
 * RECONCILIATION_EVERY_SECONDS and on demand by ops (POST /v1/ops/reconciliation/runs). Each run
 * opens a record, takes its named checks one by one (an activity each, the result of each recorded
 * on its own) and closes the record; GET /v1/ops/reconciliation and /metrics show the results.
 * Workflow-safe; the typed client is ./client.ts.
 */
import { workflowId } from '../ids';

export const RECONCILIATION_WORKFLOW = 'reconciliationSweep';
export const RECONCILIATION_SCHEDULE_ID = 'reconciliation-sweep';
/** The ID of the workflows the Schedule starts (Temporal appends the scheduled instant). */
export const RECONCILIATION_WORKFLOW_ID = workflowId('reconciliation', 'sweep');
/** A run on demand. */
export const manualReconciliationWorkflowId = (atMs: number): string => workflowId('reconciliation', `manual-${atMs}`);

/** Attempts of one check's activity; a check that still throws on the last one is recorded as an error. */
export const RECONCILIATION_CHECK_ATTEMPTS = 3;

export type ReconciliationTrigger = 'schedule' | 'manual';

export interface ReconciliationInput {
  /** schedule: the checks due (every-run checks, and the nightly ones once a day); manual: every check. */
  trigger: ReconciliationTrigger;
}

export type FindingSeverity = 'info' | 'warning' | 'alert';

/** One thing a check found, and what it did about it. */
export interface ReconciliationFinding {
  /** The check's name, e.g. withdrawals_without_workflow. */
  check: string;
  severity: FindingSeverity;
  /** What the finding is about, e.g. withdrawal:wd_…, association:…, order:…. */
  subject: string;
  /** What the check did: resumed, released, settled, taken_into_ledger, reported. */
  action: string;
  message: string;
  details: Record<string, unknown>;
}

export type CheckStatus = 'ok' | 'findings' | 'error';

export interface CheckOutcome {
  check: string;
  status: CheckStatus;
  findings: number;
  bySeverity: Record<FindingSeverity, number>;
}

export interface ReconciliationSummary {
  runId: string;
  findings: number;
  checks: CheckOutcome[];
  bySeverity: Record<FindingSeverity, number>;
}
