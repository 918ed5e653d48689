/**
 * Withholding tax at withdrawal (R-WD-4), default: individual income tax prepayment on
 * remuneration for labour services (劳务报酬), with every withdrawal of one calendar month
 * (UTC+8) treated as one income:
 *
 *   taxable = income ≤ 4,000 ? max(0, income − 800) : income × (1 − 20%)
 *   tax     = taxable × rate − quick deduction   (≤ 20,000: 20%; ≤ 50,000: 30% − 2,000;
 *                                                 above: 40% − 7,000)
 *   now     = tax(month total) − tax already withheld this month, within [0, this withdrawal]
 *
 * Rounding: the month's tax is rounded to the yunqi (fen) HALF-UP (ROUND_HALF_UP), once, on the
 * month total; the taxable amount is kept exact until then. Because each withdrawal takes the
 * difference of two month totals, the withholdings of a month add up to the tax on its total.
 * The clamp to [0, gross] only matters when `taxWithheldBeforeYunqi` is not what this function
 * withheld; whatever the clamp leaves unwithheld is recovered by the month's next withdrawal.
 */
import Decimal from 'decimal.js';
import { DomainError, assertSafeInt } from './errors';
import type { TaxBracket, TaxTable } from './rulesets';

export { monthKeyUtc8 } from './time';

export interface WithholdingInput {
  /** Gross of the earlier withdrawals in the same UTC+8 calendar month. */
  monthGrossBeforeYunqi: number;
  /** Tax already withheld on them. */
  taxWithheldBeforeYunqi: number;
  /** This withdrawal. */
  grossYunqi: number;
}

export interface Withholding {
  taxYunqi: number;
  netYunqi: number;
  monthGrossYunqi: number;
  /** Tax on the month total (what the month's withholdings add up to). */
  monthTaxYunqi: number;
  /** Taxable amount of the month total, rounded half-up for display. */
  taxableYunqi: number;
  /** 1-based bracket of the month total. */
  bracket: { n: number; rate: string; quickDeductionYunqi: number };
}

interface MonthTax {
  taxable: Decimal;
  tax: number;
  bracketIndex: number;
  bracket: TaxBracket;
}

/** Tax on one month's income under `table` (R-WD-4). */
function taxOnIncome(incomeYunqi: number, table: TaxTable): MonthTax {
  const income = new Decimal(incomeYunqi);
  const taxable =
    incomeYunqi <= table.lowIncomeCeilingYunqi
      ? Decimal.max(0, income.minus(table.lowIncomeDeductionYunqi))
      : income.times(new Decimal(1).minus(table.highIncomeDeductionRate));
  let bracketIndex = table.brackets.findIndex((b) => b.upToYunqi === null || taxable.lessThanOrEqualTo(b.upToYunqi));
  if (bracketIndex < 0) bracketIndex = table.brackets.length - 1;
  const bracket = table.brackets[bracketIndex];
  if (!bracket) throw new DomainError('invalid_tax_table', 'tax table has no brackets');
  const tax = Decimal.max(0, taxable.times(bracket.rate).minus(bracket.quickDeductionYunqi))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
  return { taxable, tax, bracketIndex, bracket };
}

/** R-WD-4: the tax to withhold from one withdrawal, given the month's earlier withdrawals. */
export function withholdingTax(input: WithholdingInput, taxTable: TaxTable): Withholding {
  const { monthGrossBeforeYunqi, taxWithheldBeforeYunqi, grossYunqi } = input;
  assertSafeInt(monthGrossBeforeYunqi, 'monthGrossBeforeYunqi');
  assertSafeInt(taxWithheldBeforeYunqi, 'taxWithheldBeforeYunqi');
  assertSafeInt(grossYunqi, 'grossYunqi');
  const monthGross = monthGrossBeforeYunqi + grossYunqi;
  assertSafeInt(monthGross, 'month gross');
  const m = taxOnIncome(monthGross, taxTable);
  const taxNow = Math.min(grossYunqi, Math.max(0, m.tax - taxWithheldBeforeYunqi));
  return {
    taxYunqi: taxNow,
    netYunqi: grossYunqi - taxNow,
    monthGrossYunqi: monthGross,
    monthTaxYunqi: m.tax,
    taxableYunqi: m.taxable.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
    bracket: { n: m.bracketIndex + 1, rate: m.bracket.rate, quickDeductionYunqi: m.bracket.quickDeductionYunqi },
  };
}

/** R-WD-4: the tax on one month's income (what the month's withholdings should add up to). */
export function monthTaxYunqi(incomeYunqi: number, taxTable: TaxTable): number {
  assertSafeInt(incomeYunqi, 'incomeYunqi');
  return incomeYunqi === 0 ? 0 : taxOnIncome(incomeYunqi, taxTable).tax;
}

/**
 * R-WD-4, after a withdrawal of the month failed: the month's remaining withdrawals kept
 * `keptYunqi` of tax each, and together owe `monthTaxYunqi`. What they kept beyond it is returned,
 * newest withdrawal first (the newest was taxed at the month's highest rate), none beyond what it
 * kept. Nothing is returned when they kept no more than they owe; a shortfall (possible where the
 * low-income deduction shifts the brackets) is withheld by the month's next withdrawal, which
 * computes its tax from what was withheld before it.
 */
export function splitTaxRefund(
  remainingNewestFirst: readonly { id: string; keptYunqi: number }[],
  monthTax: number,
): { id: string; refundYunqi: number }[] {
  assertSafeInt(monthTax, 'monthTax');
  let left = remainingNewestFirst.reduce((sum, w) => sum + w.keptYunqi, 0) - monthTax;
  const out: { id: string; refundYunqi: number }[] = [];
  for (const w of remainingNewestFirst) {
    if (left <= 0) break;
    const refund = Math.min(left, w.keptYunqi);
    if (refund > 0) out.push({ id: w.id, refundYunqi: refund });
    left -= refund;
  }
  return out;
}
