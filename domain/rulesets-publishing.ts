/**
 * Publishing rule-set versions at run time (docs/operations.md), as pure rules: a candidate is
 * validated by the same schema and the same RuleBook constructor as the table read at start, takes
 * effect at a future instant (far enough ahead that every process has reloaded by then), and never
 * reuses a version id; a version in force or past is immutable. What-if runs build a book in which
 * a candidate replaces or joins the versions.
 */
import { z } from 'zod';
import { DomainError } from './errors';
import { RuleBook, RuleSetSchema, type RuleSet } from './rulesets';

/** One version as the table keeps it: the rule set and its publication record. */
export interface RuleSetVersion {
  ruleSet: RuleSet;
  author: string;
  reason: string;
  source: 'seed' | 'published';
  publishedAtMs: number;
  withdrawnAtMs: number | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

export type RuleSetVersionState = 'past' | 'in_force' | 'scheduled' | 'withdrawn';

export type PublicationRefusal = {
  ok: false;
  code: 'invalid_rule_set' | 'version_exists' | 'too_soon' | 'not_found' | 'immutable' | 'already_withdrawn';
  reason: string;
  details?: unknown;
};

const fromMs = (rs: RuleSet) => Date.parse(rs.effectiveFrom);

/** The versions that govern (withdrawn ones step aside). */
export const liveSets = (versions: readonly RuleSetVersion[]): RuleSet[] => versions.filter((v) => v.withdrawnAtMs === null).map((v) => v.ruleSet);

/** Where a version stands at `nowMs`: withdrawn, scheduled, the one in force, or past. */
export function versionState(versions: readonly RuleSetVersion[], v: RuleSetVersion, nowMs: number): RuleSetVersionState {
  if (v.withdrawnAtMs !== null) return 'withdrawn';
  if (fromMs(v.ruleSet) > nowMs) return 'scheduled';
  const live = liveSets(versions).filter((rs) => fromMs(rs) <= nowMs);
  const current = live.reduce<RuleSet | null>((best, rs) => (best === null || fromMs(rs) > fromMs(best) ? rs : best), null);
  return current?.version === v.ruleSet.version ? 'in_force' : 'past';
}

/** Whether `candidate` may be published at `nowMs` beside `versions`; answers the parsed rule set. */
export function checkPublication(versions: readonly RuleSetVersion[], candidate: unknown, nowMs: number, leadMs: number): { ok: true; ruleSet: RuleSet } | PublicationRefusal {
  const parsed = RuleSetSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, code: 'invalid_rule_set', reason: `invalid rule set: ${z.prettifyError(parsed.error)}`, details: parsed.error.issues };
  const rs = parsed.data;
  if (versions.some((v) => v.ruleSet.version === rs.version)) {
    return { ok: false, code: 'version_exists', reason: `rule-set version ${rs.version} was published before; a version id is never reused (withdrawn ones included)` };
  }
  const earliest = nowMs + leadMs;
  if (fromMs(rs) < earliest) {
    return { ok: false, code: 'too_soon', reason: `effectiveFrom ${rs.effectiveFrom} must be at least ${leadMs / 1000} s ahead (not before ${new Date(earliest).toISOString()}), so that every process has it before it takes effect` };
  }
  try {
    new RuleBook([...liveSets(versions), rs]);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, code: 'invalid_rule_set', reason: err.message, details: err.details ?? null };
    throw err;
  }
  return { ok: true, ruleSet: rs };
}

/** Whether version `id` may be withdrawn at `nowMs` (only before its instant, by the same lead). */
export function checkWithdrawal(versions: readonly RuleSetVersion[], id: string, nowMs: number, leadMs: number): { ok: true; version: RuleSetVersion } | PublicationRefusal {
  const v = versions.find((x) => x.ruleSet.version === id);
  if (!v) return { ok: false, code: 'not_found', reason: `no rule-set version ${id}` };
  if (v.withdrawnAtMs !== null) return { ok: false, code: 'already_withdrawn', reason: `rule-set version ${id} was withdrawn at ${new Date(v.withdrawnAtMs).toISOString()}` };
  if (fromMs(v.ruleSet) <= nowMs) return { ok: false, code: 'immutable', reason: `rule-set version ${id} is in force since ${v.ruleSet.effectiveFrom}: it is immutable` };
  if (fromMs(v.ruleSet) < nowMs + leadMs) {
    return { ok: false, code: 'too_soon', reason: `rule-set version ${id} takes effect at ${v.ruleSet.effectiveFrom}, less than ${leadMs / 1000} s from now: processes may already use it` };
  }
  return { ok: true, version: v };
}

/**
 * A book in which `candidate` replaces the version of the same id (or, failing that, the one
 * taking effect at the same instant) or else joins the others: what a what-if run judges with.
 */
export function bookWithCandidate(sets: readonly RuleSet[], candidate: RuleSet): { book: RuleBook; replaced: string | null } {
  const same = sets.find((rs) => rs.version === candidate.version) ?? sets.find((rs) => fromMs(rs) === fromMs(candidate));
  const rest = sets.filter((rs) => rs !== same);
  return { book: new RuleBook([...rest, candidate]), replaced: same?.version ?? null };
}
