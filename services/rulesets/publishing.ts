/**
 * Rule-set versions published by ops (POST /v1/ops/rulesets): checked against every version in
 * the table under its lock (domain/rulesets-publishing.ts), written with author and reason, and
 * reloaded at once by this process (the others hear the table's notification). Listing answers
 * every version with its history and where it stands now.
 */
import { listVersions, underPublicationLock } from '../../db/repositories/rulesets';
import { checkPublication, checkWithdrawal, liveSets, versionState, type PublicationRefusal, type RuleSetVersion, type RuleSetVersionState } from '../../domain/rulesets-publishing';
import { RuleBook, ruleSetsMarkdown } from '../../domain/rulesets';
import { nowOf, type Deps } from '../deps';
import { LiveRuleBook } from './book';

export interface VersionView extends RuleSetVersion {
  state: RuleSetVersionState;
}

type PublishDeps = Pick<Deps, 'sql' | 'config' | 'ruleBook'>;
type Answer = { ok: true; version: VersionView } | PublicationRefusal;

const leadMs = (deps: Pick<Deps, 'config'>) => deps.config.RULESET_PUBLISH_LEAD_SECONDS * 1000;

async function reloadLive(deps: Pick<Deps, 'ruleBook'>): Promise<void> {
  if (deps.ruleBook instanceof LiveRuleBook) await deps.ruleBook.reload();
}

const view = (all: readonly RuleSetVersion[], nowMs: number) => (v: RuleSetVersion): VersionView => ({ ...v, state: versionState(all, v, nowMs) });

export async function publishRuleSet(deps: PublishDeps, input: { ruleSet: unknown; author: string; reason: string }): Promise<Answer> {
  const answer = await underPublicationLock<Answer>(deps.sql, (versions, dbNowMs) => {
    const checked = checkPublication(versions, input.ruleSet, dbNowMs, leadMs(deps));
    if (!checked.ok) return { answer: checked };
    const v: RuleSetVersion = { ruleSet: checked.ruleSet, author: input.author, reason: input.reason, source: 'published', publishedAtMs: dbNowMs, withdrawnAtMs: null, withdrawnBy: null, withdrawReason: null };
    return { answer: { ok: true as const, version: { ...v, state: 'scheduled' as const } }, write: { publish: checked.ruleSet, author: input.author, reason: input.reason } };
  });
  if (answer.ok) await reloadLive(deps);
  return answer;
}

export async function withdrawRuleSet(deps: PublishDeps, version: string, input: { author: string; reason: string }): Promise<Answer> {
  const answer = await underPublicationLock<Answer>(deps.sql, (versions, dbNowMs) => {
    const checked = checkWithdrawal(versions, version, dbNowMs, leadMs(deps));
    if (!checked.ok) return { answer: checked };
    const v: RuleSetVersion = { ...checked.version, withdrawnAtMs: dbNowMs, withdrawnBy: input.author, withdrawReason: input.reason };
    return { answer: { ok: true as const, version: { ...v, state: 'withdrawn' as const } }, write: { withdraw: version, author: input.author, reason: input.reason } };
  });
  if (answer.ok) await reloadLive(deps);
  return answer;
}

/** Every version ever written, oldest instant first, each with where it stands at now. */
export async function listRuleSets(deps: Pick<Deps, 'sql' | 'now'>): Promise<VersionView[]> {
  const all = await listVersions(deps.sql);
  return all.map(view(all, nowOf(deps)));
}

/**
 * The rule-set table as the README shows it, generated from the versions that govern; before the
 * table is seeded (a process whose rule book is not read from Postgres), from this process's book.
 */
export async function ruleSetTableMarkdown(deps: Pick<Deps, 'sql' | 'ruleBook'>): Promise<string> {
  const live = liveSets(await listVersions(deps.sql));
  return ruleSetsMarkdown(live.length ? new RuleBook(live) : deps.ruleBook);
}
