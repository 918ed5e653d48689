/** The reconciliation sweep's SQL: what its checks look at, and the runs it records. */
import type { Sql } from '../client';
import type { ReconciliationFinding } from '../../contracts/reconciliation';
import type { WithdrawalRow } from './withdrawals';

/** Withdrawals still reserved or being paid that were requested before `before`, oldest first. */
export async function openWithdrawalsBefore(sql: Sql, before: Date, limit: number): Promise<WithdrawalRow[]> {
  return sql<WithdrawalRow[]>`
    SELECT * FROM withdrawals WHERE status IN ('reserved', 'processing') AND requested_at < ${before}
     ORDER BY requested_at, id LIMIT ${limit}`;
}

/** Withdrawals released since `since`, newest first. */
export async function failedWithdrawalsSince(sql: Sql, since: Date, limit: number): Promise<WithdrawalRow[]> {
  return sql<WithdrawalRow[]>`
    SELECT * FROM withdrawals WHERE status = 'failed' AND failed_at >= ${since}
     ORDER BY failed_at DESC, id DESC LIMIT ${limit}`;
}

export interface ReconciliationRunRow {
  run_id: string;
  workflow_id: string;
  checks: string[];
  findings: ReconciliationFinding[];
  started_at: Date;
  finished_at: Date;
}

/** Records a run once (a retried activity records nothing more). */
export async function insertRun(sql: Sql, run: { runId: string; workflowId: string; checks: string[]; findings: ReconciliationFinding[]; startedAt: Date }): Promise<void> {
  await sql`
    INSERT INTO reconciliation_runs (run_id, workflow_id, checks, findings, started_at)
    VALUES (${run.runId}, ${run.workflowId}, ${sql.array(run.checks)}, ${sql.json(run.findings as never)}, ${run.startedAt})
    ON CONFLICT (run_id) DO NOTHING`;
}

export async function latestRun(sql: Sql): Promise<ReconciliationRunRow | undefined> {
  const [row] = await sql<ReconciliationRunRow[]>`SELECT * FROM reconciliation_runs ORDER BY finished_at DESC, run_id DESC LIMIT 1`;
  return row;
}
