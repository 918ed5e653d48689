/**
 * GET /v1/ambassadors/me/withdrawals/preview?amount=: what a withdrawal of `amount` would give now
 * (gross, tax, net) and how the month's aggregation gave that tax (R-WD-4), with the first reason
 * the request would be refused. Nothing is reserved; POST /v1/ambassadors/me/withdrawals decides.
 */
import { z } from 'zod';
import { cnyToYunqi } from '../../../domain/money';
import { CnyAmountSchema } from '../../../domain/money-schema';
import type { Deps } from '../../../services/deps';
import { previewWithdrawal } from '../../../services/console/withdrawal-preview';
import type { AuthedAmbassador } from '../../auth';
import type { ApiRegistry } from '../../registry';
import { Money, money } from '../../schemas';

const Preview = z.object({
  month: z.string().describe('UTC+8 calendar month whose withdrawals are one income (R-WD-4)'),
  ruleSetVersion: z.string(),
  available: Money,
  withdrawalMax: Money.describe('R-WD-3'),
  gross: Money,
  tax: Money.describe('what would be withheld from this withdrawal'),
  net: Money,
  explanation: z.object({
    rule: z.literal('R-WD-4'),
    table: z.string(),
    monthGrossBefore: Money.describe("this month's earlier withdrawals that did not fail"),
    taxWithheldBefore: Money.describe('tax already withheld on them'),
    monthGross: Money.describe('the month as one income, this withdrawal included'),
    taxable: Money.describe('monthGross less 800 (up to 4,000) or less 20% (above)'),
    monthTax: Money.describe('tax on the month: taxable × rate − quick deduction, rounded half-up'),
    bracket: z.object({ n: z.number().int(), rate: z.string(), quickDeduction: Money }),
    lowIncomeCeiling: Money,
    lowIncomeDeduction: Money,
    highIncomeDeductionRate: z.string(),
  }),
  refusal: z
    .object({ code: z.enum(['invalid_amount', 'enterprise_cannot_withdraw', 'no_completed_valid_order', 'above_withdrawal_max', 'insufficient_available']), reason: z.string() })
    .nullable()
    .describe('null when the request would be accepted now'),
});

export function withdrawalPreviewRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/withdrawals/preview',
    summary: 'Preview a withdrawal: gross, tax and net now, and how the month gave that tax (R-WD-4); reserves nothing',
    tags: ['withdrawals'],
    auth: 'ambassador',
    query: z.object({ amount: CnyAmountSchema.refine((s) => /[1-9]/.test(s), 'the amount must be more than 0').describe('CNY, decimal string') }),
    responses: { 200: { description: 'the preview', schema: Preview }, 400: { description: 'amount missing or not a CNY amount' } },
    handler: async ({ query }, _req, res) => {
      const p = await previewWithdrawal(deps, res.locals.ambassador as AuthedAmbassador, cnyToYunqi(query.amount));
      const e = p.explanation;
      const body: z.infer<typeof Preview> = {
        month: p.month,
        ruleSetVersion: p.ruleSetVersion,
        available: money(p.availableYunqi),
        withdrawalMax: money(p.withdrawalMaxYunqi),
        gross: money(p.grossYunqi),
        tax: money(p.taxYunqi),
        net: money(p.netYunqi),
        explanation: {
          rule: 'R-WD-4',
          table: e.table,
          monthGrossBefore: money(e.monthGrossBeforeYunqi),
          taxWithheldBefore: money(e.taxWithheldBeforeYunqi),
          monthGross: money(e.monthGrossYunqi),
          taxable: money(e.taxableYunqi),
          monthTax: money(e.monthTaxYunqi),
          bracket: { n: e.bracket.n, rate: e.bracket.rate, quickDeduction: money(e.bracket.quickDeductionYunqi) },
          lowIncomeCeiling: money(e.tax.lowIncomeCeilingYunqi),
          lowIncomeDeduction: money(e.tax.lowIncomeDeductionYunqi),
          highIncomeDeductionRate: e.tax.highIncomeDeductionRate,
        },
        refusal: p.refusal,
      };
      return { status: 200, body };
    },
  });
}
