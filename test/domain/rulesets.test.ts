import {
  DEFAULT_RULE_SETS,
  DomainError,
  LEVELS,
  RuleBook,
  RuleSetSchema,
  associationEndMs,
  daysToMs,
  describeRuleSets,
  ruleSetsMarkdown,
  utc8,
  type RuleSet,
} from '../../domain';
import { APR17, EARLIEST, JUN1, JUNE, RENEWALS, book, codeOf } from './fixtures';

describe('rule book', () => {
  test('R-ORD-9 the rule set in force switches exactly at 2024-06-01 0:00 UTC+8, to the millisecond', () => {
    expect(JUN1).toBe(utc8('2024-06-01'));
    expect(book.at(Date.parse('2024-05-31T15:59:59.999Z')).version).toBe('2024-04-17');
    expect(book.at(Date.parse('2024-05-31T16:00:00.000Z')).version).toBe('2024-06-01');
    expect(book.at(Date.parse('2030-01-01T00:00:00Z')).version).toBe('2024-06-01');
  });

  test('R-ORD-9 the renewal version starts exactly at 2024-04-17 0:00 UTC+8', () => {
    expect(APR17).toBe(utc8('2024-04-17'));
    expect(book.at(APR17 - 1).version).toBe('earliest');
    expect(book.at(APR17).version).toBe('2024-04-17');
    expect(book.at(0).version).toBe('earliest');
    expect(codeOf(() => book.at(-1))).toBe('no_rule_set');
  });

  test('R-ATTR-2 association window: 30 days before 2024-06-01, 60 days from then', () => {
    expect(EARLIEST.associationWindowDays).toBe(30);
    expect(RENEWALS.associationWindowDays).toBe(30);
    expect(JUNE.associationWindowDays).toBe(60);
    const lastOld = JUN1 - 1;
    expect(associationEndMs(lastOld, book.at(lastOld))).toBe(lastOld + 30 * 86_400_000);
    expect(associationEndMs(JUN1, book.at(JUN1))).toBe(JUN1 + 60 * 86_400_000);
    // The seed's example: 7/1 10:30 + 60 days is 8/30 10:30 (the seed's 9/1 would be 62 days).
    const click = utc8('2024-07-01T10:30');
    expect(associationEndMs(click, book.at(click))).toBe(utc8('2024-08-30T10:30'));
    expect(daysToMs(60)).toBe(5_184_000_000);
  });

  test('R-AMB-3 level table: L1 25% … L5 45% first purchase; L1/L2 per-order caps, L3+ none', () => {
    const first = LEVELS.map((l) => JUNE.levels[l].firstPurchaseRate);
    expect(first).toEqual(['0.25', '0.3', '0.35', '0.4', '0.45']);
    for (const rs of DEFAULT_RULE_SETS) expect(LEVELS.map((l) => rs.levels[l].firstPurchaseRate)).toEqual(first);
    expect(LEVELS.map((l) => EARLIEST.levels[l].perOrderPaidCapYunqi)).toEqual([5_000_000, 5_000_000, null, null, null]);
    expect(LEVELS.map((l) => JUNE.levels[l].perOrderPaidCapYunqi)).toEqual([10_000_000, 10_000_000, null, null, null]);
  });

  test('R-AMB-1 enterprise ambassadors may join from 2024-06-01 0:00 UTC+8, exactly', () => {
    expect(book.at(JUN1 - 1).enterpriseAmbassadors).toBe(false);
    expect(book.at(JUN1).enterpriseAmbassadors).toBe(true);
  });

  test('R-REV-1 the review period defaults to 7 days in every version', () => {
    expect(book.all().map((rs) => rs.reviewPeriodDays)).toEqual([7, 7, 7]);
  });

  test('default table carries the three versions with their switches and shared defaults', () => {
    expect(book.all().map((rs) => [rs.version, rs.effectiveFrom])).toEqual([
      ['earliest', '1970-01-01T00:00:00Z'],
      ['2024-04-17', '2024-04-16T16:00:00Z'],
      ['2024-06-01', '2024-05-31T16:00:00Z'],
    ]);
    expect(book.all().map((rs) => [rs.renewalsCount, rs.dormantCustomers, rs.enterpriseAmbassadors, rs.strategicRate])).toEqual([
      [false, false, false, null],
      [true, false, false, null],
      [true, true, true, '0.15'],
    ]);
    for (const rs of book.all()) {
      expect(rs).toMatchObject({
        perCustomerPaidCapYunqi: 2_000_000,
        perCustomerRewardCapYunqi: 300_000,
        capScope: 'association',
        reviewPeriodDays: 7,
        installmentThresholdYunqi: 100_000,
        installmentPeriodDays: 30,
        creditDelayDays: 30,
        withdrawalMaxYunqi: 10_000_000,
        dormancyMonths: 12,
      });
      expect(RuleSetSchema.parse(rs)).toEqual(rs);
    }
    expect(book.byVersion('2024-06-01')).toBe(JUNE);
    expect(codeOf(() => book.byVersion('2099'))).toBe('unknown_rule_set_version');
  });

  test('rule sets are frozen data: nobody can change a rate in place', () => {
    expect(() => {
      (JUNE.levels.L1 as { firstPurchaseRate: string }).firstPurchaseRate = '0.99';
    }).toThrow(TypeError);
    expect(JUNE.levels.L1.firstPurchaseRate).toBe('0.25');
  });

  test('a custom rule table (JSON) loads, validates, sorts, and switches exactly at its instant', () => {
    const custom: RuleSet = {
      ...JSON.parse(JSON.stringify(JUNE)),
      version: '2025-01-01',
      effectiveFrom: '2025-01-01T00:00:00+08:00',
      capScope: 'order',
      associationWindowDays: 90,
    };
    const table = JSON.parse(JSON.stringify([custom, ...DEFAULT_RULE_SETS])) as unknown;
    const b = new RuleBook(table);
    expect(b.all().map((rs) => rs.version)).toEqual(['earliest', '2024-04-17', '2024-06-01', '2025-01-01']);
    expect(b.at(Date.parse('2024-12-31T15:59:59.999Z')).version).toBe('2024-06-01');
    expect(b.at(Date.parse('2024-12-31T16:00:00.000Z'))).toMatchObject({ version: '2025-01-01', capScope: 'order', associationWindowDays: 90 });
  });

  test('a bad rule table is rejected with a DomainError naming the problem', () => {
    const good = JSON.parse(JSON.stringify(DEFAULT_RULE_SETS)) as Record<string, unknown>[];
    const withFirst = (patch: Record<string, unknown>): unknown => [{ ...good[0], ...patch }, ...good.slice(1)];

    expect(codeOf(() => new RuleBook([]))).toBe('empty_rule_table');
    expect(codeOf(() => new RuleBook({}))).toBe('invalid_rule_table');
    expect(codeOf(() => new RuleBook([...good, good[2]]))).toBe('duplicate_rule_set_version');
    expect(codeOf(() => new RuleBook(withFirst({ version: 'x', effectiveFrom: '2024-05-31T16:00:00Z' })))).toBe('duplicate_effective_from');
    for (const bad of [
      { strategicRate: '15%' },
      { strategicRate: 0.15 },
      { strategicRate: '1.5' },
      { perCustomerPaidCapYunqi: 2_000_000.5 },
      { perCustomerRewardCapYunqi: -1 },
      { capScope: 'customer' },
      { effectiveFrom: '2024-06-01' },
      { effectiveFrom: 'yesterday' },
      { associationWindowDays: 0 },
      { version: '' },
      { unexpected: true },
      { levels: { ...(good[0]?.levels as object), L6: (good[0]?.levels as { L1: unknown }).L1 } },
      { tax: { ...(good[0]?.tax as object), brackets: [] } },
      { tax: { ...(good[0]?.tax as object), brackets: [{ upToYunqi: 5, rate: '0.2', quickDeductionYunqi: 0 }, { upToYunqi: 3, rate: '0.3', quickDeductionYunqi: 0 }, { upToYunqi: null, rate: '0.4', quickDeductionYunqi: 0 }] } },
      { tax: { ...(good[0]?.tax as object), brackets: [{ upToYunqi: 5, rate: '0.2', quickDeductionYunqi: 0 }] } },
    ]) {
      expect([JSON.stringify(bad), codeOf(() => new RuleBook(withFirst(bad)))]).toEqual([JSON.stringify(bad), 'invalid_rule_table']);
    }
    const missing = { ...good[0] };
    delete missing.dormancyMonths;
    try {
      new RuleBook([missing]);
      throw new Error('not rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).message).toContain('dormancyMonths');
      expect((e as DomainError).details).toEqual([expect.objectContaining({ path: [0, 'dormancyMonths'] })]);
    }
  });

  test('describeRuleSets gives one row per parameter with a value per version', () => {
    const rows = describeRuleSets(book);
    const row = (p: string) => rows.find((r) => r.parameter === p)?.values;
    expect(row('association window')).toEqual({ earliest: '30 days', '2024-04-17': '30 days', '2024-06-01': '60 days' });
    expect(row('later-purchase rate')?.['earliest']).toBe('L1 15%, L2 15%, L3 15%, L4 15%, L5 15%');
    expect(row('later-purchase rate')?.['2024-06-01']).toBe('L1 25%, L2 30%, L3 35%, L4 40%, L5 45%');
    expect(row('per-order paid cap')?.['2024-06-01']).toBe('L1 100,000.00 CNY, L2 100,000.00 CNY, L3 none, L4 none, L5 none');
    expect(row('in force from (UTC+8)')).toEqual({ earliest: 'the beginning', '2024-04-17': '2024-04-17 00:00', '2024-06-01': '2024-06-01 00:00' });
    const md = ruleSetsMarkdown(book);
    expect(md.split('\n')[0]).toBe('| parameter | rule | earliest | 2024-04-17 | 2024-06-01 |');
    expect(md.split('\n')).toHaveLength(rows.length + 2);
  });
});
