/**
 * Rule-set versions in Postgres (030_rule_set_versions.sql): the rows every live rule book loads,
 * the first start's seed, publication and withdrawal. The table's triggers keep a version in force
 * immutable and refuse deletes; the service checks the rest (domain/rulesets-publishing.ts).
 */
import type { Sql } from '../client';
import type { RuleSetVersion } from '../../domain/rulesets-publishing';
import type { RuleSet } from '../../domain/rulesets';

/** Serializes seeding and publication across processes (inside one transaction). */
const LOCK_KEY = 727_100_030;

interface Row {
  version: string;
  body: RuleSet;
  author: string;
  reason: string;
  source: 'seed' | 'published';
  published_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

const toVersion = (r: Row): RuleSetVersion => ({
  ruleSet: r.body,
  author: r.author,
  reason: r.reason,
  source: r.source,
  publishedAtMs: r.published_at.getTime(),
  withdrawnAtMs: r.withdrawn_at?.getTime() ?? null,
  withdrawnBy: r.withdrawn_by,
  withdrawReason: r.withdraw_reason,
});

/** Every version ever written, oldest instant first (withdrawn ones included). */
export async function listVersions(sql: Sql): Promise<RuleSetVersion[]> {
  const rows = await sql<Row[]>`SELECT * FROM rule_set_versions ORDER BY effective_from, published_at, version`;
  return rows.map(toVersion);
}

/** On the first start the table takes `sets` (the defaults or RULESET_FILE); answers whether it did. */
export async function seedVersions(sql: Sql, sets: readonly RuleSet[], reason: string): Promise<boolean> {
  return (await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
    const [{ n }] = (await tx`SELECT count(*)::int AS n FROM rule_set_versions`) as unknown as [{ n: number }];
    if (n > 0) return false;
    for (const rs of sets) {
      await tx`INSERT INTO rule_set_versions (version, effective_from, body, author, reason, source)
               VALUES (${rs.version}, ${rs.effectiveFrom}, ${tx.json(rs as never)}, 'system', ${reason}, 'seed')`;
    }
    return true;
  })) as boolean;
}

/**
 * Runs `decide` over the table under the publication lock, then writes what it answers: a new
 * version, or the withdrawal of one. The decision sees every version, so two publications never
 * both pass a check the other would fail.
 */
export async function underPublicationLock<T extends { ok: boolean }>(
  sql: Sql,
  decide: (versions: RuleSetVersion[], dbNowMs: number) => { answer: T; write?: { publish: RuleSet; author: string; reason: string } | { withdraw: string; author: string; reason: string } },
): Promise<T> {
  return (await sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
    const [{ now }] = (await tx`SELECT now() AS now`) as unknown as [{ now: Date }];
    const { answer, write } = decide(await listVersions(tx), now.getTime());
    if (write && 'publish' in write) {
      const rs = write.publish;
      await tx`INSERT INTO rule_set_versions (version, effective_from, body, author, reason, source)
               VALUES (${rs.version}, ${rs.effectiveFrom}, ${tx.json(rs as never)}, ${write.author}, ${write.reason}, 'published')`;
    } else if (write) {
      await tx`UPDATE rule_set_versions SET withdrawn_at = now(), withdrawn_by = ${write.author}, withdraw_reason = ${write.reason}
                WHERE version = ${write.withdraw}`;
    }
    return answer;
  })) as T;
}
