/**
 * Shortened review and crediting waits for real-time runs on the topology (fault test, bench):
 * the default rule sets with review + crediting (7 + 30 + 30 days) squeezed into `spanSeconds`,
 * as fractional days in a RULESET_FILE (test/harness/rule-sets.ts); no multiplier in the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RULE_SETS, type RuleSet } from '../../domain/rulesets';
import { shortenedRuleSets } from '../harness/rule-sets';

/** Days from placement to the last installment under the defaults (review + credit + installment). */
export function settlementSpanDays(ruleSets: readonly RuleSet[] = DEFAULT_RULE_SETS): number {
  const latest = ruleSets[ruleSets.length - 1]!;
  return latest.reviewPeriodDays + latest.creditDelayDays + latest.installmentPeriodDays;
}

/** Writes the rule-set table to `dir` and returns the settings that make every app process use it. */
export function shortWaits(dir: string, spanSeconds: number): Record<string, string> {
  const file = path.join(dir, 'rulesets-short-waits.json');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(shortenedRuleSets(spanSeconds / (settlementSpanDays() * 86_400)), null, 2));
  return { RULESET_FILE: file };
}
