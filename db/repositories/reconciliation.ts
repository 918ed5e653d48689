/**
 * The reconciliation sweep's SQL: its runs and their results per check (012, reshaped by 034),
 * and what the checks look at (the ledger, cap usage, orders, withdrawals).
 */
import type { Sql } from '../client';
import type { CheckStatus, ReconciliationTrigger } from '../../contracts/reconciliation';
import type { WithdrawalRow } from './withdrawals';

export interface RunRow {
  run_id: string;
  workflow_id: string;
  trigger: ReconciliationTrigger;
  checks: string[];
  started_at: Date;
  finished_at: Date | null;
  findings: number | null;
}

export interface ResultRow {
  run_id: string;
  check_name: string;
  status: CheckStatus;
  findings: number;
  sample: unknown[];
  error: string | null;
  duration_ms: number;
  checked_at: Date;
}

/** The run of a workflow run, opened once (a retried start finds it, with the checks it chose then). */
export async function startRun(sql: Sql, run: { runId: string; workflowId: string; trigger: ReconciliationTrigger; checks: string[] }): Promise<RunRow> {
  const [row] = await sql<RunRow[]>`
    INSERT INTO reconciliation_runs (run_id, workflow_id, trigger, checks) VALUES (${run.runId}, ${run.workflowId}, ${run.trigger}, ${sql.array(run.checks)})
    ON CONFLICT (run_id) DO UPDATE SET run_id = reconciliation_runs.run_id RETURNING *`;
  return row!;
}

export async function saveResult(sql: Sql, r: Omit<ResultRow, 'checked_at'>): Promise<void> {
  await sql`
    INSERT INTO reconciliation_results (run_id, check_name, status, findings, sample, error, duration_ms)
    VALUES (${r.run_id}, ${r.check_name}, ${r.status}, ${r.findings}, ${sql.json(r.sample as never)}, ${r.error}, ${r.duration_ms})
    ON CONFLICT (run_id, check_name) DO UPDATE SET status = EXCLUDED.status, findings = EXCLUDED.findings, sample = EXCLUDED.sample,
      error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms, checked_at = now()`;
}

export async function finishRun(sql: Sql, runId: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    UPDATE reconciliation_runs SET finished_at = coalesce(finished_at, now()),
           findings = (SELECT coalesce(sum(findings), 0)::int FROM reconciliation_results WHERE run_id = ${runId})
     WHERE run_id = ${runId} RETURNING *`;
  return row;
}

/** A run with its results; the latest finished run when `runId` is absent. */
export async function runWithResults(sql: Sql, runId?: string): Promise<{ run: RunRow; results: ResultRow[] } | null> {
  const [run] = runId === undefined
    ? await sql<RunRow[]>`SELECT * FROM reconciliation_runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, started_at DESC LIMIT 1`
    : await sql<RunRow[]>`SELECT * FROM reconciliation_runs WHERE run_id = ${runId}`;
  if (!run) return null;
  const results = await sql<ResultRow[]>`SELECT * FROM reconciliation_results WHERE run_id = ${run.run_id} ORDER BY check_name`;
  return { run, results };
}

/** The latest result of each named check (whatever run took it); a check that never ran has none. */
export async function latestResults(sql: Sql, checks: readonly string[]): Promise<ResultRow[]> {
  return sql<ResultRow[]>`
    SELECT r.* FROM jsonb_array_elements_text(${sql.json([...checks])}) AS c(name)
     CROSS JOIN LATERAL (SELECT * FROM reconciliation_results x WHERE x.check_name = c.name ORDER BY x.checked_at DESC LIMIT 1) r
     ORDER BY r.check_name`;
}

/** Forgets the runs that finished before `before`, with their results. */
export async function pruneRuns(sql: Sql, before: Date): Promise<void> {
  await sql`DELETE FROM reconciliation_results WHERE run_id IN (SELECT run_id FROM reconciliation_runs WHERE finished_at < ${before})`;
  await sql`DELETE FROM reconciliation_runs WHERE finished_at < ${before}`;
}

/** When the latest run finished (null before the first). */
export async function lastFinishedAt(sql: Sql): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`SELECT max(finished_at) AS at FROM reconciliation_runs`;
  return row?.at ?? null;
}

// What the checks look at. The money checks answer the rows that break an invariant (none when sound).

export const ledgerBalances = (sql: Sql) => sql<{ account_id: number | null; cached: number | null; computed: number }[]>`SELECT * FROM ledger_inconsistencies()`;

export const ledgerEntries = (sql: Sql) => sql<{ entry_id: number; problem: string }[]>`SELECT * FROM ledger_entry_problems()`;

/** R-ORD-6: each association's cap usage equals the sum of its orders' reservations. */
export const capUsage = (sql: Sql) => sql<{ association_id: string; paid_used_yunqi: number; reserved_paid_yunqi: number; reward_used_yunqi: number; reserved_reward_yunqi: number }[]>`
  SELECT u.association_id, u.paid_used_yunqi, coalesce(sum(r.paid_yunqi), 0)::bigint AS reserved_paid_yunqi,
         u.reward_used_yunqi, coalesce(sum(r.reward_yunqi), 0)::bigint AS reserved_reward_yunqi
    FROM cap_usage u LEFT JOIN cap_reservations r ON r.association_id = u.association_id
   GROUP BY u.association_id, u.paid_used_yunqi, u.reward_used_yunqi
  HAVING u.paid_used_yunqi <> coalesce(sum(r.paid_yunqi), 0) OR u.reward_used_yunqi <> coalesce(sum(r.reward_yunqi), 0)
   ORDER BY u.association_id`;

/** R-PAY-1/2: every installment an order row shows credited has its reward.credited entry (the order step that credited it). */
export const creditedInstallments = (sql: Sql) => sql<{ order_id: string; installment: number; yunqi: number }[]>`
  WITH credited AS (
    SELECT o.order_id, (i->>'n')::int AS n, (i->>'yunqi')::bigint AS yunqi
      FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.installments) i
     WHERE (i->>'credited')::boolean AND (i->>'yunqi')::bigint > 0),
  steps AS (
    SELECT j.order_id, j.installment AS n FROM journal_entries j WHERE j.kind = 'reward.credited' AND j.installment IS NOT NULL
    UNION
    SELECT j.order_id, x::int FROM journal_entries j CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(j.explanation->'installments', '[]')) x
     WHERE j.kind = 'reward.credited')
  SELECT c.order_id, c.n AS installment, c.yunqi FROM credited c
   WHERE NOT EXISTS (SELECT FROM steps s WHERE s.order_id = c.order_id AND s.n = c.n)
   ORDER BY c.order_id, c.n`;

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
