/**
 * What the program's metrics read (services/metrics): the counters of 031 (ledger entries and
 * yunqi by kind, folded from the journal since 062; orders by state and reason, kept by triggers)
 * and small aggregates of the tables that are short by nature (withdrawals by status).
 */
import type { Sql } from '../client';

export interface CounterRow {
  metric: string;
  label1: string;
  label2: string;
  n: number;
  yunqi: number;
}

/** The counters, with the ledger entries not folded into them yet (above journal_horizon, 062):
 * exact at every read, in one snapshot. */
export async function counters(sql: Sql): Promise<CounterRow[]> {
  return sql<CounterRow[]>`
    WITH unfolded AS (
      SELECT 'ledger'::text AS metric, kind AS label1, ''::text AS label2, count(*) AS n,
             coalesce(sum((SELECT coalesce(sum(x), 0) FROM unnest(amounts) x WHERE x > 0)), 0) AS yunqi
        FROM journal_entries WHERE id > (SELECT through_id FROM journal_horizon) GROUP BY kind)
    SELECT metric, label1, label2, sum(n)::bigint AS n, sum(yunqi)::bigint AS yunqi
      FROM (SELECT metric, label1, label2, n, yunqi FROM ops_counters UNION ALL SELECT * FROM unfolded) c
     GROUP BY metric, label1, label2 ORDER BY metric, label1, label2`;
}

export interface WithdrawalStatusRow {
  status: string;
  n: number;
  /** Open withdrawals whose last payout attempt failed (being retried). */
  retrying: number;
  attempts: number;
}

export async function withdrawalsByStatus(sql: Sql): Promise<WithdrawalStatusRow[]> {
  return sql<WithdrawalStatusRow[]>`
    SELECT status, count(*)::int AS n,
           count(*) FILTER (WHERE last_payout_error IS NOT NULL AND status IN ('reserved', 'processing'))::int AS retrying,
           coalesce(sum(payout_attempts), 0)::bigint AS attempts
      FROM withdrawals GROUP BY status ORDER BY status`;
}

/** Folds the counter shards of backends that are gone (031's ops_counters_fold). */
export async function foldCounters(sql: Sql): Promise<number> {
  const [row] = await sql<{ folded: number }[]>`SELECT ops_counters_fold()::bigint AS folded`;
  return row?.folded ?? 0;
}
