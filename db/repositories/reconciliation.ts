/** Reconciliation runs and their results per check (034_reconciliation.sql), and the SQL of the checks that read Postgres alone. */
import type { Sql } from '../client';

export interface RunRow {
  id: number;
  trigger: 'schedule' | 'manual';
  workflow_id: string;
  started_at: Date;
  finished_at: Date | null;
  findings: number | null;
}

export interface ResultRow {
  run_id: number;
  check_name: string;
  status: 'ok' | 'findings' | 'error';
  findings: number;
  sample: unknown[];
  error: string | null;
  duration_ms: number;
  checked_at: Date;
}

/** The run of a workflow (created once: a retried start finds it). */
export async function startRun(sql: Sql, workflowId: string, trigger: RunRow['trigger']): Promise<RunRow> {
  const [row] = await sql<RunRow[]>`
    INSERT INTO reconciliation_runs (trigger, workflow_id) VALUES (${trigger}, ${workflowId})
    ON CONFLICT (workflow_id) DO UPDATE SET trigger = reconciliation_runs.trigger RETURNING *`;
  return row!;
}

export async function saveResult(sql: Sql, r: Omit<ResultRow, 'checked_at'>): Promise<void> {
  await sql`
    INSERT INTO reconciliation_results (run_id, check_name, status, findings, sample, error, duration_ms)
    VALUES (${r.run_id}, ${r.check_name}, ${r.status}, ${r.findings}, ${sql.json(r.sample as never)}, ${r.error}, ${r.duration_ms})
    ON CONFLICT (run_id, check_name) DO UPDATE SET status = EXCLUDED.status, findings = EXCLUDED.findings, sample = EXCLUDED.sample,
      error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms, checked_at = now()`;
}

export async function finishRun(sql: Sql, runId: number): Promise<RunRow> {
  const [row] = await sql<RunRow[]>`
    UPDATE reconciliation_runs SET finished_at = coalesce(finished_at, now()),
           findings = (SELECT coalesce(sum(findings), 0)::int FROM reconciliation_results WHERE run_id = ${runId})
     WHERE id = ${runId} RETURNING *`;
  return row!;
}

/** A run with its results; the latest finished run when `id` is absent. */
export async function runWithResults(sql: Sql, id?: number): Promise<{ run: RunRow; results: ResultRow[] } | null> {
  const [run] = id === undefined
    ? await sql<RunRow[]>`SELECT * FROM reconciliation_runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1`
    : await sql<RunRow[]>`SELECT * FROM reconciliation_runs WHERE id = ${id}`;
  if (!run) return null;
  const results = await sql<ResultRow[]>`SELECT * FROM reconciliation_results WHERE run_id = ${run.id} ORDER BY check_name`;
  return { run, results };
}

// The checks that read Postgres alone. Each answers its findings (none when sound).

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

/** Withdrawals still open (reserved or processing), oldest first, for the workflow check. */
export const openWithdrawals = (sql: Sql, limit: number) => sql<{ id: string; workflow_id: string; status: string; requested_at: Date }[]>`
  SELECT id, workflow_id, status, requested_at FROM withdrawals WHERE status IN ('reserved', 'processing') ORDER BY requested_at, id LIMIT ${limit}`;
