/**
 * The live rule book: a RuleBook over the versions in Postgres that reloads itself, so every API
 * and worker process uses a version published at run time from its instant on, without a restart.
 * It reloads on each notification of the table's trigger (LISTEN rule_set_versions, also on every
 * reconnect of the listening connection) and every RULESET_REFRESH_SECONDS as a fallback.
 *
 * `at(t)` answers from the versions in force (withdrawn ones step aside); `byVersion(v)` answers
 * every version ever written, so an order settled under a version can always be explained. A
 * publication takes effect at least RULESET_PUBLISH_LEAD_SECONDS ahead, longer than the refresh,
 * so a process has the new table before its instant even when a notification was lost.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { loadRuleBook } from '../../config/rules';
import type { Sql } from '../../db/client';
import { listVersions, seedVersions } from '../../db/repositories/rulesets';
import { liveSets, type RuleSetVersion } from '../../domain/rulesets-publishing';
import { RuleBook, type RuleSet } from '../../domain/rulesets';
import { canonicalHash } from '../../lib/canonical-hash';

export const RULE_SET_CHANNEL = 'rule_set_versions';

export class LiveRuleBook extends RuleBook {
  private current: RuleBook;
  private everything: ReadonlyMap<string, RuleSet>;
  private rows: readonly RuleSetVersion[];
  /** When the table was last read (epoch ms); how stale the book may be. */
  loadedAtMs: number;
  private stopper: () => Promise<void> = async () => undefined;

  constructor(versions: readonly RuleSetVersion[], private readonly sql: Sql, private readonly logger?: Logger) {
    const live = liveSets(versions);
    super(live);
    this.current = new RuleBook(live);
    this.everything = new Map(versions.map((v) => [v.ruleSet.version, v.ruleSet]));
    this.rows = versions;
    this.loadedAtMs = Date.now();
  }

  override at(instantMs: number): RuleSet {
    return this.current.at(instantMs);
  }

  override byVersion(version: string): RuleSet {
    return this.everything.get(version) ?? this.current.byVersion(version);
  }

  override all(): readonly RuleSet[] {
    return this.current.all();
  }

  /** Every version with its publication record (withdrawn ones included). */
  versions(): readonly RuleSetVersion[] {
    return this.rows;
  }

  /** Reads the table again; a table the RuleBook refuses (it cannot be, the writers validate) keeps the old book. */
  async reload(): Promise<void> {
    const versions = await listVersions(this.sql);
    const book = new RuleBook(liveSets(versions));
    this.current = book;
    this.everything = new Map(versions.map((v) => [v.ruleSet.version, v.ruleSet]));
    this.rows = versions;
    this.loadedAtMs = Date.now();
  }

  private reloadLogged(why: string): void {
    this.reload().catch((err: unknown) => this.logger?.warn({ err, why }, 'rule book reload failed; keeping the loaded versions'));
  }

  /** Starts listening and the periodic refresh (both stop with close()). */
  async watch(refreshMs: number, listen = true): Promise<void> {
    const timer = setInterval(() => this.reloadLogged('refresh'), refreshMs);
    timer.unref();
    let unlisten: (() => Promise<void>) | null = null;
    if (listen) {
      const sub = await this.sql.listen(RULE_SET_CHANNEL, () => this.reloadLogged('notified'), () => this.reloadLogged('listening'));
      unlisten = sub.unlisten;
    }
    this.stopper = async () => {
      clearInterval(timer);
      await unlisten?.();
    };
  }

  async close(): Promise<void> {
    await this.stopper();
  }
}

export interface OpenRuleBookOptions {
  /** The table the first start seeds (the defaults, or RULESET_FILE's). */
  seed: readonly RuleSet[];
  seedReason: string;
  refreshMs: number;
  logger?: Logger;
  /** LISTEN for publications (default true). */
  listen?: boolean;
}

/** Seeds the table on the first start, loads it, and keeps the book current. */
export async function openLiveRuleBook(sql: Sql, opts: OpenRuleBookOptions): Promise<LiveRuleBook> {
  if (await seedVersions(sql, opts.seed, opts.seedReason)) opts.logger?.info({ versions: opts.seed.map((rs) => rs.version) }, 'rule-set table seeded');
  const book = new LiveRuleBook(await listVersions(sql), sql, opts.logger);
  reportSeedDrift(book, opts);
  await book.watch(opts.refreshMs, opts.listen ?? true);
  return book;
}

/** A seed version (defaults or RULESET_FILE) that the table lacks or holds otherwise is reported: the table rules. */
function reportSeedDrift(book: LiveRuleBook, opts: OpenRuleBookOptions): void {
  const stored = new Map(book.versions().map((v) => [v.ruleSet.version, canonicalHash(v.ruleSet)]));
  const differing = opts.seed.filter((rs) => stored.get(rs.version) !== canonicalHash(rs));
  if (differing.length) opts.logger?.warn({ versions: differing.map((rs) => rs.version) }, 'the rule-set table differs from the seed (defaults or RULESET_FILE); the table is used: publish changes with POST /v1/ops/rulesets');
}

/** The live book of a process: seeded from RULESET_FILE's table or the defaults, refreshed by the settings. */
export function openConfiguredRuleBook(sql: Sql, config: Pick<Config, 'RULESET_FILE' | 'RULESET_REFRESH_SECONDS'>, logger?: Logger): Promise<LiveRuleBook> {
  return openLiveRuleBook(sql, {
    seed: loadRuleBook(config).all(),
    seedReason: config.RULESET_FILE ? `seeded from RULESET_FILE ${config.RULESET_FILE}` : 'seeded from DEFAULT_RULE_SETS (RULES.md)',
    refreshMs: config.RULESET_REFRESH_SECONDS * 1000,
    ...(logger ? { logger } : {}),
  });
}
