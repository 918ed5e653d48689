/**
 * Rule-set tables for tests and benchmarks that cannot wait 7 + 30 + 30 days on a real clock: the
 * defaults with the review and crediting periods multiplied by `scale` (fractional days), written
 * to a file for RULESET_FILE. Production code has no multiplier: durations come only from the rule book.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_RULE_SETS, type RuleSet } from '../../domain/rulesets';

export function shortenedRuleSets(scale: number, sets: readonly RuleSet[] = DEFAULT_RULE_SETS): RuleSet[] {
  return sets.map((rs) => ({
    ...rs,
    reviewPeriodDays: rs.reviewPeriodDays * scale,
    creditDelayDays: rs.creditDelayDays * scale,
    installmentPeriodDays: rs.installmentPeriodDays * scale,
  }));
}

/** Writes shortenedRuleSets(scale) to a temporary JSON file and answers its path (for RULESET_FILE). */
export function shortenedRuleSetFile(scale: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-rules-'));
  const file = path.join(dir, `rules-x${scale}.json`);
  fs.writeFileSync(file, JSON.stringify(shortenedRuleSets(scale), null, 2));
  return file;
}
