import fc from 'fast-check';
import { LABOUR_REMUNERATION_TAX, cnyToYunqi, monthKeyUtc8, withholdingTax, yunqiToCny, type TaxTable } from '../../domain';
import { JUNE, book, codeOf } from './fixtures';

const T = JUNE.tax;
const single = (gross: number) => withholdingTax({ monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, grossYunqi: gross }, T);

/** Independent BigInt model of R-WD-4 with the default table, rounded half-up. */
function auditorTax(income: number): number {
  const inc = BigInt(income);
  // taxable × 500, exact: income − 800 up to 4,000, else income × 4/5
  const taxable500 = inc <= 400_000n ? (inc > 80_000n ? (inc - 80_000n) * 500n : 0n) : inc * 400n;
  const [ratePct, quick] = taxable500 <= 2_000_000n * 500n ? [20n, 0n] : taxable500 <= 5_000_000n * 500n ? [30n, 200_000n] : [40n, 700_000n];
  const den = 50_000n; // tax = num / den
  const num = taxable500 * ratePct - quick * den;
  return num <= 0n ? 0 : Number((2n * num + den) / (2n * den));
}

describe('withholding tax', () => {
  test('R-WD-4 3,000.00 then 30,000.00 in one month: 440.00 then 5,480.00', () => {
    const first = withholdingTax({ monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, grossYunqi: cnyToYunqi('3000') }, T);
    expect(first).toEqual({
      taxYunqi: 44_000,
      netYunqi: 256_000,
      monthGrossYunqi: 300_000,
      monthTaxYunqi: 44_000,
      taxableYunqi: 220_000,
      bracket: { n: 1, rate: '0.2', quickDeductionYunqi: 0 },
    });
    const second = withholdingTax({ monthGrossBeforeYunqi: 300_000, taxWithheldBeforeYunqi: 44_000, grossYunqi: cnyToYunqi('30000') }, T);
    expect(yunqiToCny(second.taxYunqi)).toBe('5480.00');
    expect(second).toMatchObject({ monthGrossYunqi: 3_300_000, monthTaxYunqi: 592_000, taxableYunqi: 2_640_000, netYunqi: 2_452_000, bracket: { n: 2 } });
  });

  test('R-WD-4 a single 100,000.00 withdrawal: 25,000.00 (top bracket)', () => {
    expect(single(cnyToYunqi('100000'))).toMatchObject({ taxYunqi: 2_500_000, netYunqi: 7_500_000, taxableYunqi: 8_000_000, bracket: { n: 3, rate: '0.4', quickDeductionYunqi: 700_000 } });
  });

  test('R-WD-4 brackets and the 800 / 20% deduction, at their edges', () => {
    const tax = (s: string) => yunqiToCny(single(cnyToYunqi(s)).taxYunqi);
    expect(tax('800')).toBe('0.00');
    expect(tax('800.05')).toBe('0.01'); // 0.05 × 20% = 0.01
    expect(tax('800.02')).toBe('0.00'); // 0.004 → half-up → 0.00
    expect(tax('800.03')).toBe('0.01'); // 0.006 → 0.01
    expect(tax('4000')).toBe('640.00'); // (4,000 − 800) × 20%
    expect(tax('4000.01')).toBe('640.00'); // 3,200.008 × 20% = 640.0016
    expect(tax('25000')).toBe('4000.00'); // taxable 20,000 × 20%
    expect(single(cnyToYunqi('25000')).bracket.n).toBe(1);
    expect(single(cnyToYunqi('25000.01')).bracket.n).toBe(2);
    expect(tax('62500')).toBe('13000.00'); // taxable 50,000 × 30% − 2,000
    expect(single(cnyToYunqi('62500.01')).bracket.n).toBe(3);
    expect(tax('62500.01')).toBe('13000.00'); // 50,000.008 × 40% − 7,000 = 13,000.0032
  });

  test('R-WD-4 half-up rounding to the fen: 800.025 CNY is not possible, but 4,000.07 × 80% × 20% = 640.0112 → 640.01', () => {
    expect(single(400_007).taxYunqi).toBe(64_001);
    expect(single(400_035).taxYunqi).toBe(64_006); // 320028 × 0.2 = 64005.6 → 64006
    expect(single(80_025).taxYunqi).toBe(5); // 25 × 0.2 = 5
    expect(single(80_003).taxYunqi).toBe(1); // 0.6 → 1
    expect(single(80_002).taxYunqi).toBe(0); // 0.4 → 0
  });

  test('R-WD-4 a month is one income in UTC+8: the month key changes at 0:00 UTC+8', () => {
    expect(monthKeyUtc8(Date.parse('2024-06-30T15:59:59.999Z'))).toBe('2024-06');
    expect(monthKeyUtc8(Date.parse('2024-06-30T16:00:00.000Z'))).toBe('2024-07');
    expect(monthKeyUtc8(Date.parse('2023-12-31T16:00:00.000Z'))).toBe('2024-01');
  });

  test('R-WD-4 tax already withheld is subtracted, never below 0 and never above the withdrawal', () => {
    expect(withholdingTax({ monthGrossBeforeYunqi: 300_000, taxWithheldBeforeYunqi: 99_999_999, grossYunqi: 100 }, T).taxYunqi).toBe(0);
    expect(withholdingTax({ monthGrossBeforeYunqi: 10_000_000, taxWithheldBeforeYunqi: 0, grossYunqi: 100 }, T)).toMatchObject({ taxYunqi: 100, netYunqi: 0 });
    expect(codeOf(() => withholdingTax({ monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, grossYunqi: -1 }, T))).toBe('invalid_integer');
  });

  test('R-WD-4 the table is data: a custom table changes the result', () => {
    const flat: TaxTable = { ...LABOUR_REMUNERATION_TAX, lowIncomeDeductionYunqi: 0, brackets: [{ upToYunqi: null, rate: '0.1', quickDeductionYunqi: 0 }] };
    expect(single(100_000).taxYunqi).toBe(4_000);
    expect(withholdingTax({ monthGrossBeforeYunqi: 0, taxWithheldBeforeYunqi: 0, grossYunqi: 100_000 }, flat).taxYunqi).toBe(10_000);
    for (const rs of book.all()) expect(rs.tax).toEqual(LABOUR_REMUNERATION_TAX);
  });

  test('R-WD-4 property: 0 ≤ tax ≤ gross, net + tax = gross, and the month tax equals the auditor', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 800_000 }), fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 1e13 })), (gross) => {
        const w = single(gross);
        expect(w.taxYunqi).toBeGreaterThanOrEqual(0);
        expect(w.taxYunqi).toBeLessThanOrEqual(gross);
        expect(w.netYunqi + w.taxYunqi).toBe(gross);
        expect(w.monthTaxYunqi).toBe(auditorTax(gross));
      }),
      { numRuns: 2000 },
    );
  });

  test("R-WD-4 property: withholding over a month's sequence of withdrawals equals the tax on the month's total", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 10_000_000 })), { minLength: 1, maxLength: 12 }), (grosses) => {
        let monthGross = 0;
        let withheld = 0;
        for (const g of grosses) {
          const w = withholdingTax({ monthGrossBeforeYunqi: monthGross, taxWithheldBeforeYunqi: withheld, grossYunqi: g }, T);
          expect(w.taxYunqi).toBeLessThanOrEqual(g);
          expect(w.taxYunqi).toBeGreaterThanOrEqual(0);
          monthGross += g;
          withheld += w.taxYunqi;
        }
        expect(withheld).toBe(single(monthGross).taxYunqi);
        expect(withheld).toBe(auditorTax(monthGross));
      }),
      { numRuns: 1000 },
    );
  });
});
