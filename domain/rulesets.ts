/**
 * Rule sets as data (RULES.md "Rule-set versions the seed implies"; R-ORD-9). Every rate, cap,
 * window and switch of the program lives in one versioned table, validated with zod when a
 * `RuleBook` is built; the rest of the engine reads only a `RuleSet`, never a literal.
 * Rates are decimal strings ("0.25"), money is integer yunqi, durations are days.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { DomainError } from './errors';
import { yunqiToCny } from './money';
import { daysToMs, formatUtc8, toInstantMs } from './time';

export const LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;
/** Ambassador level (R-AMB-3); L1 is the entry level 弟子. */
export type Level = (typeof LEVELS)[number];

const RateSchema = z
  .string()
  .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a rate is a decimal string between 0 and 1, e.g. "0.25"');
const YunqiSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const PositiveIntSchema = z.number().int().positive();
/** A duration in days; fractions are allowed (0.0001 days = 8.64 s), so a test or a benchmark
 * shortens the waits with a rule-set table of its own, never with a multiplier in the code. */
const DaysSchema = z.number().positive().max(36_500);

/** Per-level rates and per-order paid cap (R-AMB-3, R-ORD-3, R-ORD-4, R-ORD-7); null = no cap. */
export const LevelRulesSchema = z.strictObject({
  firstPurchaseRate: RateSchema,
  laterPurchaseRate: RateSchema,
  perOrderPaidCapYunqi: YunqiSchema.nullable(),
});
export type LevelRules = z.infer<typeof LevelRulesSchema>;

/** One bracket of the labour-remuneration prepayment table: taxable ≤ upToYunqi (null = no
 * upper bound) pays taxable × rate − quickDeductionYunqi. */
export const TaxBracketSchema = z.strictObject({
  upToYunqi: YunqiSchema.nullable(),
  rate: RateSchema,
  quickDeductionYunqi: YunqiSchema,
});
export type TaxBracket = z.infer<typeof TaxBracketSchema>;

/** R-WD-4 withholding table: income ≤ lowIncomeCeilingYunqi deducts lowIncomeDeductionYunqi
 * (not below 0), above it deducts highIncomeDeductionRate of the income; then the brackets. */
export const TaxTableSchema = z
  .strictObject({
    name: z.string().min(1),
    lowIncomeCeilingYunqi: YunqiSchema,
    lowIncomeDeductionYunqi: YunqiSchema,
    highIncomeDeductionRate: RateSchema,
    brackets: z.array(TaxBracketSchema).min(1),
  })
  .superRefine((t, ctx) => {
    t.brackets.forEach((b, i) => {
      const last = i === t.brackets.length - 1;
      const prev = i > 0 ? t.brackets[i - 1]?.upToYunqi : undefined;
      if (last !== (b.upToYunqi === null)) {
        ctx.addIssue({ code: 'custom', path: ['brackets', i, 'upToYunqi'], message: 'only the last bracket is open-ended' });
      } else if (b.upToYunqi !== null && prev != null && b.upToYunqi <= prev) {
        ctx.addIssue({ code: 'custom', path: ['brackets', i, 'upToYunqi'], message: 'brackets must ascend' });
      }
    });
  });
export type TaxTable = z.infer<typeof TaxTableSchema>;

export const RuleSetSchema = z.strictObject({
  /** Stable id, recorded with every computed reward. */
  version: z.string().min(1),
  /** First instant (inclusive) at which this rule set governs newly placed orders (R-ORD-9). */
  effectiveFrom: z.iso.datetime({ offset: true }),
  /** R-ATTR-2 association length from the click. */
  associationWindowDays: DaysSchema,
  levels: z.strictObject({ L1: LevelRulesSchema, L2: LevelRulesSchema, L3: LevelRulesSchema, L4: LevelRulesSchema, L5: LevelRulesSchema }),
  /** R-ORD-5 flat rate of strategic rebate products; null = no strategic products in this version. */
  strategicRate: RateSchema.nullable(),
  /** R-ORD-6 paid amount counted per promoted customer (20,000 CNY). */
  perCustomerPaidCapYunqi: YunqiSchema,
  /** R-ORD-6 reward per promoted customer (3,000 CNY). */
  perCustomerRewardCapYunqi: YunqiSchema,
  /** R-ORD-6 scope of the per-customer caps: cumulative over the association, or each order alone. */
  capScope: z.enum(['association', 'order']),
  /** R-REV-1 review period (审核期). */
  reviewPeriodDays: DaysSchema,
  /** R-PAY-1/R-PAY-2 threshold (规定金额) on the customer's total reward. */
  installmentThresholdYunqi: YunqiSchema,
  /** R-PAY-2 gap between the two installments. */
  installmentPeriodDays: DaysSchema,
  /** R-PAY-1 delay from the end of the review to the (first) credit. */
  creditDelayDays: DaysSchema,
  /** R-WD-3 largest single withdrawal. */
  withdrawalMaxYunqi: YunqiSchema,
  /** R-WD-4 withholding table. */
  tax: TaxTableSchema,
  /** R-ORD-2 renewals after the first purchase earn. */
  renewalsCount: z.boolean(),
  /** R-CUST-2 dormant customers earn like new ones. */
  dormantCustomers: z.boolean(),
  /** R-AMB-1 enterprises may join (they earn, but cannot withdraw yet: R-AMB-2, R-WD-5). */
  enterpriseAmbassadors: z.boolean(),
  /** R-CUST-2 months without consumption that make a customer dormant. */
  dormancyMonths: PositiveIntSchema,
});
export type RuleSet = z.infer<typeof RuleSetSchema>;

/** R-WD-4 default: individual income tax prepayment on remuneration for labour services. */
export const LABOUR_REMUNERATION_TAX: TaxTable = {
  name: 'labour-remuneration prepayment (劳务报酬预扣)',
  lowIncomeCeilingYunqi: 400_000,
  lowIncomeDeductionYunqi: 80_000,
  highIncomeDeductionRate: '0.2',
  brackets: [
    { upToYunqi: 2_000_000, rate: '0.2', quickDeductionYunqi: 0 },
    { upToYunqi: 5_000_000, rate: '0.3', quickDeductionYunqi: 200_000 },
    { upToYunqi: null, rate: '0.4', quickDeductionYunqi: 700_000 },
  ],
};

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** R-AMB-3 default first-purchase rates by level (assumption: 25% … 45% in steps of 5). */
const LEVEL_RATES: Record<Level, string> = { L1: '0.25', L2: '0.3', L3: '0.35', L4: '0.4', L5: '0.45' };

function levelTable(later: (l: Level) => string, l1l2CapYunqi: number): RuleSet['levels'] {
  const row = (l: Level): LevelRules => ({
    firstPurchaseRate: LEVEL_RATES[l],
    laterPurchaseRate: later(l),
    perOrderPaidCapYunqi: l === 'L1' || l === 'L2' ? l1l2CapYunqi : null,
  });
  return { L1: row('L1'), L2: row('L2'), L3: row('L3'), L4: row('L4'), L5: row('L5') };
}

const EARLIEST: RuleSet = {
  version: 'earliest',
  effectiveFrom: '1970-01-01T00:00:00Z',
  associationWindowDays: 30,
  levels: levelTable(() => '0.15', 5_000_000),
  strategicRate: null,
  perCustomerPaidCapYunqi: 2_000_000,
  perCustomerRewardCapYunqi: 300_000,
  capScope: 'association',
  reviewPeriodDays: 7,
  installmentThresholdYunqi: 100_000,
  installmentPeriodDays: 30,
  creditDelayDays: 30,
  withdrawalMaxYunqi: 10_000_000,
  tax: LABOUR_REMUNERATION_TAX,
  renewalsCount: false,
  dormantCustomers: false,
  enterpriseAmbassadors: false,
  dormancyMonths: 12,
};

/** The three versions RULES.md's table implies, oldest first (deep-frozen). */
export const DEFAULT_RULE_SETS: readonly RuleSet[] = deepFreeze([
  EARLIEST,
  // 2024-04-17 0:00 UTC+8: renewals after the first purchase count (R-ORD-2).
  { ...EARLIEST, version: '2024-04-17', effectiveFrom: '2024-04-16T16:00:00Z', renewalsCount: true },
  // 2024-06-01 0:00 UTC+8: the upgrade of Q2.
  {
    ...EARLIEST,
    version: '2024-06-01',
    effectiveFrom: '2024-05-31T16:00:00Z',
    associationWindowDays: 60,
    levels: levelTable((l) => LEVEL_RATES[l], 10_000_000),
    strategicRate: '0.15',
    renewalsCount: true,
    dormantCustomers: true,
    enterpriseAmbassadors: true,
  },
]);

/** A validated, ordered table of rule sets; answers "which rules govern this instant". */
export class RuleBook {
  private readonly sets: readonly RuleSet[];
  private readonly fromMs: readonly number[];
  private readonly byId: ReadonlyMap<string, RuleSet>;

  /** Validates `table` (unknown input, e.g. parsed JSON) with zod; throws DomainError
   * INVALID_RULE_TABLE (details: zod issues), EMPTY_RULE_TABLE, DUPLICATE_RULE_SET_VERSION or
   * DUPLICATE_EFFECTIVE_FROM. The stored rule sets are deep-frozen copies. */
  constructor(table: unknown) {
    const parsed = z.array(RuleSetSchema).safeParse(table);
    if (!parsed.success) {
      throw new DomainError('invalid_rule_table', `invalid rule table: ${z.prettifyError(parsed.error)}`, parsed.error.issues);
    }
    if (parsed.data.length === 0) throw new DomainError('empty_rule_table', 'a rule table needs at least one rule set');
    const byId = new Map<string, RuleSet>();
    const fromSeen = new Set<number>();
    for (const rs of parsed.data) {
      if (byId.has(rs.version)) throw new DomainError('duplicate_rule_set_version', `duplicate rule-set version ${rs.version}`);
      const from = toInstantMs(rs.effectiveFrom);
      if (fromSeen.has(from)) throw new DomainError('duplicate_effective_from', `two rule sets take effect at ${rs.effectiveFrom}`);
      byId.set(rs.version, deepFreeze(rs));
      fromSeen.add(from);
    }
    this.sets = Object.freeze([...byId.values()].sort((a, b) => toInstantMs(a.effectiveFrom) - toInstantMs(b.effectiveFrom)));
    this.fromMs = this.sets.map((rs) => toInstantMs(rs.effectiveFrom));
    this.byId = byId;
  }

  /** R-ORD-9: the rule set in force at `instantMs` (the latest with effectiveFrom ≤ instant). */
  at(instantMs: number): RuleSet {
    const t = toInstantMs(instantMs);
    let lo = 0;
    let hi = this.fromMs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.fromMs[mid] as number) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const rs = this.sets[found];
    if (!rs) throw new DomainError('no_rule_set', `no rule set in force at ${new Date(t).toISOString()}`);
    return rs;
  }

  byVersion(version: string): RuleSet {
    const rs = this.byId.get(version);
    if (!rs) throw new DomainError('unknown_rule_set_version', `unknown rule-set version ${version}`);
    return rs;
  }

  /** All rule sets, oldest first. */
  all(): readonly RuleSet[] {
    return this.sets;
  }
}

/** The book of DEFAULT_RULE_SETS. */
export function defaultRuleBook(): RuleBook {
  return new RuleBook(DEFAULT_RULE_SETS);
}

/** R-ATTR-2: end of an association that starts (or is last renewed, R-ATTR-3) at `clickAtMs`,
 * under the rule set in force at the click. Exclusive: an order at the end is outside. */
export function associationEndMs(clickAtMs: number, ruleSet: RuleSet): number {
  return clickAtMs + daysToMs(ruleSet.associationWindowDays);
}

/** One printable row of the rule-set table: a parameter, the rule it implements, and its value
 * in each version (keyed by version id). */
export interface RuleSetRow {
  parameter: string;
  rules: string;
  values: Record<string, string>;
}

const pct = (rate: string | null): string => (rate === null ? '—' : `${new Decimal(rate).times(100).toString()}%`);
const cny = (y: number | null): string => (y === null ? 'none' : `${yunqiToCny(y).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} CNY`);
const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const byLevel = (rs: RuleSet, f: (l: LevelRules) => string): string => LEVELS.map((l) => `${l} ${f(rs.levels[l])}`).join(', ');

/** Rows describing every parameter of every rule set, for the README (see ruleSetsMarkdown). */
export function describeRuleSets(book: RuleBook): RuleSetRow[] {
  const spec: [string, string, (rs: RuleSet) => string][] = [
    ['in force from (UTC+8)', 'R-ORD-9', (rs) => (toInstantMs(rs.effectiveFrom) <= 0 ? 'the beginning' : formatUtc8(toInstantMs(rs.effectiveFrom)))],
    ['association window', 'R-ATTR-2', (rs) => `${rs.associationWindowDays} days`],
    ['first-purchase rate', 'R-AMB-3, R-ORD-3', (rs) => byLevel(rs, (l) => pct(l.firstPurchaseRate))],
    ['later-purchase rate', 'R-ORD-4', (rs) => byLevel(rs, (l) => pct(l.laterPurchaseRate))],
    ['per-order paid cap', 'R-ORD-7', (rs) => byLevel(rs, (l) => cny(l.perOrderPaidCapYunqi))],
    ['strategic products rate', 'R-ORD-5', (rs) => (rs.strategicRate === null ? 'not in program' : pct(rs.strategicRate))],
    ['per-customer paid cap', 'R-ORD-6', (rs) => cny(rs.perCustomerPaidCapYunqi)],
    ['per-customer reward cap', 'R-ORD-6', (rs) => cny(rs.perCustomerRewardCapYunqi)],
    ['per-customer cap scope', 'R-ORD-6', (rs) => rs.capScope],
    ['renewals count', 'R-ORD-2', (rs) => yesNo(rs.renewalsCount)],
    ['dormant customers earn', 'R-CUST-2', (rs) => (rs.dormantCustomers ? `yes (${rs.dormancyMonths} months idle)` : 'no')],
    ['enterprise ambassadors', 'R-AMB-1', (rs) => yesNo(rs.enterpriseAmbassadors)],
    ['review period', 'R-REV-1', (rs) => `${rs.reviewPeriodDays} days`],
    ['installment threshold (customer total)', 'R-PAY-1', (rs) => cny(rs.installmentThresholdYunqi)],
    ['crediting', 'R-PAY-1, R-PAY-2', (rs) => `review + ${rs.creditDelayDays} days; above threshold 50%/50%, ${rs.installmentPeriodDays} days apart`],
    ['largest withdrawal', 'R-WD-3', (rs) => cny(rs.withdrawalMaxYunqi)],
    ['withholding tax', 'R-WD-4', (rs) => rs.tax.name],
  ];
  return spec.map(([parameter, rules, f]) => ({
    parameter,
    rules,
    values: Object.fromEntries(book.all().map((rs) => [rs.version, f(rs)])),
  }));
}

/** describeRuleSets as a Markdown table, one column per version. */
export function ruleSetsMarkdown(book: RuleBook): string {
  const versions = book.all().map((rs) => rs.version);
  const lines = [
    `| parameter | rule | ${versions.join(' | ')} |`,
    `| --- | --- | ${versions.map(() => '---').join(' | ')} |`,
    ...describeRuleSets(book).map((r) => `| ${r.parameter} | ${r.rules} | ${versions.map((v) => r.values[v] ?? '').join(' | ')} |`),
  ];
  return lines.join('\n');
}
