/**
 * Shortened review and crediting waits for real-time runs on the topology (fault test, bench):
 * the default rule sets with review + crediting (7 + 30 + 30 days) squeezed into `spanSeconds`.
 *
 * The one place that decides how: today through BENCH_TIME_SCALE (the rule-set schema takes whole
 * days); once the rule sets accept fractional days, set FRACTIONAL_DAYS to true and the table
 * in RULESET_FILE carries the short periods itself (BENCH_TIME_SCALE is then gone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RULE_SETS, type RuleSet } from '../../domain/rulesets';

const FRACTIONAL_DAYS = false;

/** Days from placement to the last installment under the defaults (review + credit + installment). */
export function settlementSpanDays(ruleSets: readonly RuleSet[] = DEFAULT_RULE_SETS): number {
  const latest = ruleSets[ruleSets.length - 1]!;
  return latest.reviewPeriodDays + latest.creditDelayDays + latest.installmentPeriodDays;
}

/** Writes the rule-set table to `dir` and returns the settings that make every app process use it. */
export function shortWaits(dir: string, spanSeconds: number): Record<string, string> {
  const scale = spanSeconds / (settlementSpanDays() * 86_400);
  const scaled = (days: number) => (FRACTIONAL_DAYS ? days * scale : days);
  const table = DEFAULT_RULE_SETS.map((rs) => ({
    ...rs,
    reviewPeriodDays: scaled(rs.reviewPeriodDays),
    creditDelayDays: scaled(rs.creditDelayDays),
    installmentPeriodDays: scaled(rs.installmentPeriodDays),
  }));
  const file = path.join(dir, 'rulesets-short-waits.json');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(table, null, 2));
  return FRACTIONAL_DAYS ? { RULESET_FILE: file } : { RULESET_FILE: file, BENCH_TIME_SCALE: String(scale) };
}
