/**
 * Ambassadors (大使) in Postgres: the ambassador row, its level history (R-AMB-3) and its
 * usercode (R-AMB-4). The API token is stored only as its sha256 hash.
 */
import crypto from 'node:crypto';
import type { Sql } from '../client';
import type { AmbassadorKind } from '../../domain/refusals';
import type { Level } from '../../domain/rulesets';

export interface AmbassadorRow {
  id: string;
  usercode: string;
  account_id: string;
  kind: AmbassadorKind;
  display_name: string;
  real_name_verified: boolean;
  joined_at: Date;
  rule_set_version: string;
}

const USERCODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** Usercodes are URL-safe: lowercase letters and digits (no look-alikes), 8 characters. */
export const USERCODE_PATTERN = /^[A-Za-z0-9]{4,32}$/;

export function generateUsercode(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += USERCODE_ALPHABET[crypto.randomInt(USERCODE_ALPHABET.length)];
  return s;
}

export function newAmbassadorId(): string {
  return `amb-${crypto.randomBytes(8).toString('hex')}`;
}

export async function getAmbassador(sql: Sql, id: string): Promise<AmbassadorRow | undefined> {
  const [row] = await sql<AmbassadorRow[]>`SELECT * FROM ambassadors WHERE id = ${id}`;
  return row;
}

export async function findAmbassadorByUsercode(sql: Sql, usercode: string): Promise<AmbassadorRow | undefined> {
  const [row] = await sql<AmbassadorRow[]>`SELECT * FROM ambassadors WHERE usercode = ${usercode}`;
  return row;
}

export async function findAmbassadorByAccount(sql: Sql, accountId: string): Promise<AmbassadorRow | undefined> {
  const [row] = await sql<AmbassadorRow[]>`SELECT * FROM ambassadors WHERE account_id = ${accountId}`;
  return row;
}

export async function findAmbassadorByTokenHash(sql: Sql, tokenHash: string): Promise<{ id: string; kind: AmbassadorKind } | undefined> {
  const [row] = await sql<{ id: string; kind: AmbassadorKind }[]>`SELECT id, kind FROM ambassadors WHERE token_hash = ${tokenHash}`;
  return row;
}

export interface NewAmbassador {
  id: string;
  usercode: string;
  accountId: string;
  kind: AmbassadorKind;
  displayName: string;
  tokenHash: string;
  joinedAtMs: number;
  ruleSetVersion: string;
  level: Level;
}

/** Inserts a verified ambassador and its first level row; undefined when the account has already
 * joined. A usercode collision raises the unique violation on ambassadors_usercode_key. */
export async function insertAmbassador(sql: Sql, a: NewAmbassador): Promise<AmbassadorRow | undefined> {
  const joinedAt = new Date(a.joinedAtMs);
  return sql.begin(async (tx) => {
    const [row] = await tx<AmbassadorRow[]>`
      INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
      VALUES (${a.id}, ${a.usercode}, ${a.accountId}, ${a.kind}, ${a.displayName}, true, ${a.tokenHash}, ${joinedAt}, ${a.ruleSetVersion})
      ON CONFLICT (account_id) DO NOTHING
      RETURNING *`;
    if (!row) return undefined;
    await tx`INSERT INTO ambassador_levels (ambassador_id, effective_at, level, set_by, reason)
             VALUES (${a.id}, ${joinedAt}, ${a.level}, 'join', 'level at joining')`;
    return row;
  }) as Promise<AmbassadorRow | undefined>;
}

export const isUsercodeCollision = (err: unknown): boolean => {
  const e = err as { code?: string; constraint_name?: string };
  return e.code === '23505' && e.constraint_name === 'ambassadors_usercode_key';
};

export interface LevelEntry {
  level: Level;
  effectiveAt: number;
  setBy: string;
  reason: string | null;
}

export async function levelHistory(sql: Sql, ambassadorId: string): Promise<LevelEntry[]> {
  const rows = await sql<{ level: Level; effective_at: Date; set_by: string; reason: string | null }[]>`
    SELECT level, effective_at, set_by, reason FROM ambassador_levels
     WHERE ambassador_id = ${ambassadorId} ORDER BY effective_at`;
  return rows.map((r) => ({ level: r.level, effectiveAt: r.effective_at.getTime(), setBy: r.set_by, reason: r.reason }));
}

/** R-AMB-3: the level in force at `atMs` (latest change at or before it); before the first
 * recorded row, the level the ambassador joined with. */
export async function levelAt(sql: Sql, ambassadorId: string, atMs: number): Promise<Level | undefined> {
  const [row] = await sql<{ level: Level }[]>`
    SELECT level FROM ambassador_levels WHERE ambassador_id = ${ambassadorId}
     ORDER BY (effective_at <= ${new Date(atMs)}) DESC,
              CASE WHEN effective_at <= ${new Date(atMs)} THEN effective_at END DESC NULLS LAST,
              effective_at ASC
     LIMIT 1`;
  return row?.level;
}

/** Records a level change at `effectiveAtMs` (kept as history). Repeating the same change is a
 * no-op; a different level at the same instant is a conflict. */
export async function insertLevel(
  sql: Sql,
  input: { ambassadorId: string; level: Level; effectiveAtMs: number; setBy: string; reason?: string | null },
): Promise<'created' | 'unchanged' | 'conflict'> {
  const at = new Date(input.effectiveAtMs);
  const inserted = await sql`
    INSERT INTO ambassador_levels (ambassador_id, effective_at, level, set_by, reason)
    VALUES (${input.ambassadorId}, ${at}, ${input.level}, ${input.setBy}, ${input.reason ?? null})
    ON CONFLICT (ambassador_id, effective_at) DO NOTHING RETURNING level`;
  if (inserted.length) return 'created';
  const [row] = await sql<{ level: Level }[]>`
    SELECT level FROM ambassador_levels WHERE ambassador_id = ${input.ambassadorId} AND effective_at = ${at}`;
  return row?.level === input.level ? 'unchanged' : 'conflict';
}

/** The identity system withdraws or restores real-name verification. */
export async function updateRealNameVerified(sql: Sql, ambassadorId: string, verified: boolean): Promise<boolean> {
  const rows = await sql`UPDATE ambassadors SET real_name_verified = ${verified} WHERE id = ${ambassadorId} RETURNING id`;
  return rows.length > 0;
}
