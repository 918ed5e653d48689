/** The rule book in force: RULESET_FILE's table (validated on load) or the defaults of RULES.md. */
import fs from 'node:fs';
import { RuleBook, defaultRuleBook } from '../domain/rulesets';
import type { Config } from './index';

export function loadRuleBook(config: Pick<Config, 'RULESET_FILE'>): RuleBook {
  if (!config.RULESET_FILE) return defaultRuleBook();
  let table: unknown;
  try {
    table = JSON.parse(fs.readFileSync(config.RULESET_FILE, 'utf8'));
  } catch (err) {
    throw new Error(`RULESET_FILE ${config.RULESET_FILE}: ${(err as Error).message}`);
  }
  return new RuleBook(table);
}
