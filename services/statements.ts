/** An ambassador's balance statement: the four accounts, and this UTC+8 month's withdrawals and
 * the tax withheld on them (R-WD-4; withdrawals that failed are not income). */
import type { Sql } from '../db/client';
import { monthFigures } from '../db/repositories/withdrawals';
import { monthKeyUtc8 } from '../domain/time';
import { ambassadorBalances, type AmbassadorAccountKind } from '../ledger';

export async function balanceStatement(
  sql: Sql,
  ambassadorId: string,
  nowMs: number,
): Promise<Record<AmbassadorAccountKind, number> & { month: string; monthGrossYunqi: number; taxWithheldThisMonthYunqi: number }> {
  const month = monthKeyUtc8(nowMs);
  const [balances, m] = await Promise.all([ambassadorBalances(sql, ambassadorId), monthFigures(sql, ambassadorId, month)]);
  return { ...balances, month, monthGrossYunqi: m.grossYunqi, taxWithheldThisMonthYunqi: m.taxYunqi };
}
