/**
 * What a withdrawal of `amountYunqi` would give now, without reserving anything: gross, tax, net
 * and how the month's aggregation gave that tax (R-WD-4), from the same month figures and the same
 * withholdingTax the request uses; and the first reason the request would be refused, if any
 * (R-WD-1, R-WD-3, R-AMB-2, available balance). The request itself decides under its locks.
 */
import { withholdingTax } from '../../domain/tax';
import { monthKeyUtc8 } from '../../domain/time';
import { withdrawalRefusal } from '../../domain/withdrawal';
import { completedValidOrders } from '../../db/repositories/orders';
import { monthFigures } from '../../db/repositories/withdrawals';
import { ambassadorBalances } from '../../ledger';
import { nowOf, type Deps } from '../deps';

export async function previewWithdrawal(deps: Pick<Deps, 'sql' | 'ruleBook' | 'now'>, ambassador: { id: string; kind: 'individual' | 'enterprise' }, amountYunqi: number) {
  const nowMs = nowOf(deps);
  const ruleSet = deps.ruleBook.at(nowMs);
  const month = monthKeyUtc8(nowMs);
  const [m, balances, completed] = await Promise.all([monthFigures(deps.sql, ambassador.id, month), ambassadorBalances(deps.sql, ambassador.id), completedValidOrders(deps.sql, ambassador.id)]);
  const w = withholdingTax({ monthGrossBeforeYunqi: m.grossYunqi, taxWithheldBeforeYunqi: m.taxYunqi, grossYunqi: amountYunqi }, ruleSet.tax);
  const refused = withdrawalRefusal({ amountYunqi, ambassadorKind: ambassador.kind, completedValidOrders: completed }, ruleSet);
  const refusal = refused ?? (amountYunqi > balances.available ? { code: 'insufficient_available' as const, reason: 'the amount is more than the available balance' } : null);
  return {
    month,
    ruleSetVersion: ruleSet.version,
    availableYunqi: Math.max(0, balances.available),
    withdrawalMaxYunqi: ruleSet.withdrawalMaxYunqi,
    grossYunqi: amountYunqi,
    taxYunqi: w.taxYunqi,
    netYunqi: w.netYunqi,
    explanation: {
      table: ruleSet.tax.name,
      monthGrossBeforeYunqi: m.grossYunqi,
      taxWithheldBeforeYunqi: m.taxYunqi,
      monthGrossYunqi: w.monthGrossYunqi,
      monthTaxYunqi: w.monthTaxYunqi,
      taxableYunqi: w.taxableYunqi,
      bracket: w.bracket,
      tax: ruleSet.tax,
    },
    refusal,
  };
}
