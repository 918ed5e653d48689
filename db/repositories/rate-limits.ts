/** Fixed-window hit counters in Postgres (migration 013), on the database's clock so that every
 * API replica agrees on the window. */
import type { Sql } from '../client';

const windowStart = (sql: Sql, windowMs: number) => sql`date_bin(make_interval(secs => ${windowMs / 1000}), now(), timestamptz '1970-01-01 00:00:00+00')`;

/** Counts one hit in the key's current window (one atomic upsert); answers the window's hits and end. */
export async function hit(sql: Sql, key: string, windowMs: number): Promise<{ hits: number; resetAt: Date }> {
  const [row] = await sql<{ hits: number; window_start: Date }[]>`
    INSERT INTO rate_limit_windows (key, window_start, hits) VALUES (${key}, ${windowStart(sql, windowMs)}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
    RETURNING hits, window_start`;
  return { hits: row!.hits, resetAt: new Date(row!.window_start.getTime() + windowMs) };
}

export async function current(sql: Sql, key: string, windowMs: number): Promise<{ hits: number; resetAt: Date } | undefined> {
  const [row] = await sql<{ hits: number; window_start: Date }[]>`
    SELECT hits, window_start FROM rate_limit_windows WHERE key = ${key} AND window_start = ${windowStart(sql, windowMs)}`;
  return row ? { hits: row.hits, resetAt: new Date(row.window_start.getTime() + windowMs) } : undefined;
}

/** Takes one hit back from the key's current window (express-rate-limit's skip options). */
export async function unhit(sql: Sql, key: string, windowMs: number): Promise<void> {
  await sql`UPDATE rate_limit_windows SET hits = hits - 1 WHERE key = ${key} AND window_start = ${windowStart(sql, windowMs)} AND hits > 0`;
}

export async function forget(sql: Sql, key: string): Promise<void> {
  await sql`DELETE FROM rate_limit_windows WHERE key = ${key}`;
}

/** Deletes windows that ended more than a day ago. */
export async function deleteOldWindows(sql: Sql): Promise<void> {
  await sql`DELETE FROM rate_limit_windows WHERE window_start < now() - interval '1 day'`;
}
