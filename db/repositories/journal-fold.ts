/**
 * The fold of the journal (062_ledger_events_folded.sql, 063_ledger_balances_folded.sql): the
 * entries above the horizon are added to their accounts' balance rows, counted into the metric
 * counters and given their outbox events, in one transaction, once every
 * transaction that could still write an entry at or below the bound has ended. The delivery round
 * runs it before its fan-out; the metrics add the entries above the horizon when they read.
 */
import type { Sql } from '../client';

/** How long a fold waits for the entries being written when it starts (they take milliseconds). */
const WAIT_MS = 2_000;

/** Folds up to `batch` entries; answers how many (0 also when the writers did not finish in time). */
export async function foldJournal(sql: Sql, batch: number): Promise<number> {
  const [bound] = await sql<{ b: string | null }[]>`SELECT journal_fold_bound(${WAIT_MS})::text AS b`;
  if (bound?.b == null) return 0;
  const [row] = await sql<{ folded: number }[]>`SELECT journal_fold(${bound.b}::bigint, ${batch})::int AS folded`;
  return row?.folded ?? 0;
}
