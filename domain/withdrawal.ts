/**
 * Whether a withdrawal request may proceed (R-WD-1, R-WD-3, R-WD-5/R-AMB-2). Pure: the caller
 * supplies the facts; tax is computed separately by withholdingTax (R-WD-4).
 */
import { assertSafeInt } from './errors';
import { yunqiToCny } from './money';
import type { RuleSet } from './rulesets';

export interface WithdrawalRequest {
  amountYunqi: number;
  ambassadorKind: 'individual' | 'enterprise';
  /** Completed valid orders (R-PAY-3) of the ambassador. */
  completedValidOrders: number;
}

export type WithdrawalRefusalCode = 'invalid_amount' | 'enterprise_cannot_withdraw' | 'no_completed_valid_order' | 'above_withdrawal_max';

/** null when the request may proceed, else the first reason it is refused. */
export function withdrawalRefusal(req: WithdrawalRequest, ruleSet: RuleSet): { code: WithdrawalRefusalCode; reason: string } | null {
  assertSafeInt(req.completedValidOrders, 'completedValidOrders');
  if (!Number.isSafeInteger(req.amountYunqi) || req.amountYunqi <= 0) {
    return { code: 'invalid_amount', reason: 'a withdrawal must be a positive whole number of yunqi' };
  }
  if (req.ambassadorKind === 'enterprise') {
    return { code: 'enterprise_cannot_withdraw', reason: 'enterprise ambassadors earn under the individual rules but cannot withdraw yet (R-AMB-2, R-WD-5)' };
  }
  if (req.completedValidOrders < 1) {
    return { code: 'no_completed_valid_order', reason: 'a withdrawal needs at least one completed valid order (R-WD-1, R-PAY-3)' };
  }
  if (req.amountYunqi > ruleSet.withdrawalMaxYunqi) {
    return {
      code: 'above_withdrawal_max',
      reason: `one withdrawal is at most ${yunqiToCny(ruleSet.withdrawalMaxYunqi)} CNY; split the request into several withdrawals (R-WD-3)`,
    };
  }
  return null;
}
