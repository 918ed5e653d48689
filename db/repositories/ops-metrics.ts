/**
 * What the program's metrics read (services/metrics): the trigger-kept counters of 031 (ledger
 * entries and yunqi by kind, orders by state and reason) and small aggregates of the tables that
 * are short by nature (withdrawals by status).
 */
import type { Sql } from '../client';

export interface CounterRow {
  metric: string;
  label1: string;
  label2: string;
  n: number;
  yunqi: number;
}

export async function counters(sql: Sql): Promise<CounterRow[]> {
  return sql<CounterRow[]>`
    SELECT metric, label1, label2, sum(n)::bigint AS n, sum(yunqi)::bigint AS yunqi
      FROM ops_counters GROUP BY metric, label1, label2 ORDER BY metric, label1, label2`;
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
