/**
 * Ambassadors (大使): joining (R-AMB-1, decided by domain/refusals.ts), the promotion link
 * (R-AMB-4), level changes (R-AMB-3) and what the identity system reports (real-name
 * verification, identity for R-SAME-*).
 */
import { joinRefusal, type AmbassadorKind, type JoinRefusalCode } from '../domain/refusals';
import type { Level } from '../domain/rulesets';
import * as repo from '../db/repositories/ambassadors';
import { setIdentity, type IdentityInput } from '../db/repositories/identity';
import { SAME_2_ATTRS, type IdentityAttr } from '../domain/identity';
import { wakeOrdersAfterIdentityChange, wakeOrdersAfterLevelChange } from './orders/wake';
import { hashToken, newToken } from '../lib/tokens';
import { CLOCK_SKEW_MS } from '../domain/instants';
import { nowOf, type Deps } from './deps';

export function promotionLink(baseUrl: string, usercode: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(usercode)}`;
}

export interface JoinInput {
  accountId: string;
  kind: AmbassadorKind;
  displayName: string;
  realNameVerified: boolean;
  joinedAtMs?: number;
  level: Level;
  identity?: IdentityInput;
}

export type JoinOutcome =
  | { ok: true; ambassador: repo.AmbassadorRow; levels: repo.LevelEntry[]; token: string }
  | { ok: false; code: JoinRefusalCode | 'joined_at_in_future' | 'joined_at_out_of_bounds'; reason: string; details?: Record<string, unknown> }
  | { ok: false; code: 'already_joined'; reason: string; details: { ambassadorId: string | undefined } };

/** Joins the program: refused (R-AMB-1) or a verified ambassador with a fresh usercode and token
 * (returned once), its first level and its identity hashes. */
export async function joinProgram(deps: Deps, input: JoinInput): Promise<JoinOutcome> {
  const { sql, config, ruleBook } = deps;
  const now = nowOf(deps);
  const joinedAtMs = input.joinedAtMs ?? now;
  if (joinedAtMs > now + CLOCK_SKEW_MS) return { ok: false, code: 'joined_at_in_future', reason: 'joinedAt is in the future' };
  const earliest = ruleBook.all()[0]!;
  if (joinedAtMs < Date.parse(earliest.effectiveFrom)) {
    return { ok: false, code: 'joined_at_out_of_bounds', reason: `joinedAt is before the earliest rule set (${earliest.effectiveFrom})` };
  }
  const ruleSet = ruleBook.at(joinedAtMs);
  const refused = joinRefusal({ kind: input.kind, realNameVerified: input.realNameVerified }, ruleSet);
  if (refused) return { ok: false, ...refused };
  const token = newToken('amb');
  const id = repo.newAmbassadorId();
  for (let attempt = 0; ; attempt++) {
    let row: repo.AmbassadorRow | undefined;
    try {
      row = await repo.insertAmbassador(sql, {
        id,
        usercode: repo.generateUsercode(),
        accountId: input.accountId,
        kind: input.kind,
        displayName: input.displayName,
        tokenHash: hashToken(token),
        joinedAtMs,
        ruleSetVersion: ruleSet.version,
        level: input.level,
      });
    } catch (err) {
      if (repo.isUsercodeCollision(err) && attempt < 5) continue; // a new code
      throw err;
    }
    if (!row) {
      const existing = await repo.findAmbassadorByAccount(sql, input.accountId);
      return { ok: false, code: 'already_joined', reason: `account ${input.accountId} has already joined as ambassador ${existing?.id}`, details: { ambassadorId: existing?.id } };
    }
    await setIdentity(sql, config.IDENTITY_HMAC_SECRET, { kind: 'ambassador', id, accountId: input.accountId }, input.identity ?? {}, joinedAtMs);
    return { ok: true, ambassador: row, levels: await repo.levelHistory(sql, id), token };
  }
}

/** The ambassador with its level history, or undefined. */
export async function ambassadorProfile(deps: Deps, ambassadorId: string): Promise<{ ambassador: repo.AmbassadorRow; levels: repo.LevelEntry[] } | undefined> {
  const row = await repo.getAmbassador(deps.sql, ambassadorId);
  return row ? { ambassador: row, levels: await repo.levelHistory(deps.sql, row.id) } : undefined;
}

/** The level in force at `nowMs` (R-AMB-3): the latest change at or before it, else the first. */
export function levelInForce(levels: readonly repo.LevelEntry[], nowMs: number): Level {
  const inForce = levels.filter((l) => l.effectiveAt <= nowMs);
  return (inForce[inForce.length - 1] ?? levels[0])?.level ?? 'L1';
}

export type LevelOutcome =
  | { ok: true; levels: repo.LevelEntry[] }
  | { ok: false; code: 'not_found' | 'before_joining' | 'level_conflict'; reason: string };

/** Ops set a level from an instant (kept as history; not before the ambassador joined). */
export async function setAmbassadorLevel(deps: Deps, input: { ambassadorId: string; level: Level; effectiveAtMs?: number; reason?: string }): Promise<LevelOutcome> {
  const row = await repo.getAmbassador(deps.sql, input.ambassadorId);
  if (!row) return { ok: false, code: 'not_found', reason: `ambassador ${input.ambassadorId} not found` };
  const effectiveAtMs = input.effectiveAtMs ?? nowOf(deps);
  if (effectiveAtMs < row.joined_at.getTime()) {
    return { ok: false, code: 'before_joining', reason: `effectiveAt is before the ambassador joined (${row.joined_at.toISOString()})` };
  }
  const out = await repo.insertLevel(deps.sql, { ambassadorId: row.id, level: input.level, effectiveAtMs, setBy: 'ops', reason: input.reason });
  if (out === 'conflict') return { ok: false, code: 'level_conflict', reason: `another level is already recorded at ${new Date(effectiveAtMs).toISOString()}` };
  if (out === 'created') await wakeOrdersAfterLevelChange(deps, row.id, effectiveAtMs);
  return { ok: true, levels: await repo.levelHistory(deps.sql, row.id) };
}

/** The identity system reports the ambassador's identity as of an instant; undefined for an unknown ambassador. */
export async function reportAmbassadorIdentity(deps: Deps, ambassadorId: string, identity: IdentityInput, atMs?: number): Promise<IdentityAttr[] | undefined> {
  const row = await repo.getAmbassador(deps.sql, ambassadorId);
  if (!row) return undefined;
  const at = atMs ?? nowOf(deps);
  const changed = await setIdentity(deps.sql, deps.config.IDENTITY_HMAC_SECRET, { kind: 'ambassador', id: row.id, accountId: row.account_id }, identity, at);
  if (changed.some((a) => SAME_2_ATTRS.includes(a))) await wakeOrdersAfterIdentityChange(deps, { kind: 'ambassador', id: row.id }, at);
  return changed;
}

export const setRealNameVerified = (deps: Deps, ambassadorId: string, verified: boolean): Promise<boolean> =>
  repo.updateRealNameVerified(deps.sql, ambassadorId, verified);
