/**
 * A payout that shows up after its withdrawal was released (an abandoned attempt that paid late,
 * seen by the provider lookup): taken into the ledger, never refused. The released gross is taken
 * back from `available`, as the payout had taken it from `reserved`:
 *
 *   withdrawal.paid_after_release  withdrawal:<id>:paid_after_release
 *       available −G, tax_payable +T, paid_out +N
 *
 * `available` may go below zero: that is the ambassador's debt (the balance shows it; later
 * credits repay it first), and the withdrawal is reported to operations by the reconciliation
 * sweep (services/reconciliation.ts, check late_payouts). The withdrawal is income of its month
 * again, so the month's tax is recomputed (services/withdrawal-tax.ts).
 * The caller holds the ambassador lock and the withdrawal row.
 */
import type { RuleBook } from '../domain/rulesets';
import type { Sql } from '../db/client';
import * as repo from '../db/repositories/withdrawals';
import { ambassador, postEntry, system, type Posting } from '../ledger';
import { postRecordedTaxRefunds, recomputeMonthTax } from './withdrawal-tax';

export async function takeLatePayout(tx: Sql, w: repo.WithdrawalRow, input: { providerRef: string; nowMs: number; ruleBook: RuleBook }): Promise<repo.WithdrawalRow> {
  const postings: Posting[] = [{ account: ambassador(w.ambassador_id, 'available'), amountYunqi: -w.gross_yunqi }];
  if (w.tax_yunqi > 0) postings.push({ account: system('tax_payable'), amountYunqi: w.tax_yunqi });
  if (w.net_yunqi > 0) postings.push({ account: ambassador(w.ambassador_id, 'paid_out'), amountYunqi: w.net_yunqi });
  await postEntry(tx, {
    idempotencyKey: `withdrawal:${w.id}:paid_after_release`,
    kind: 'withdrawal.paid_after_release',
    ambassadorId: w.ambassador_id,
    withdrawalId: w.id,
    reversesEntry: await repo.entryIdByKey(tx, `withdrawal:${w.id}:released`),
    ruleSetVersion: w.rule_set_version,
    explanation: {
      providerRef: input.providerRef,
      grossYunqi: w.gross_yunqi,
      taxYunqi: w.tax_yunqi,
      netYunqi: w.net_yunqi,
      note: 'the provider paid after the withdrawal was released: the gross is taken back from available (below zero: a debt)',
    },
    postings,
  });
  const paid = await repo.markPaidAfterRelease(tx, w.id, input.providerRef, input.nowMs);
  await postRecordedTaxRefunds(tx, paid);
  await recomputeMonthTax(tx, { ambassadorId: w.ambassador_id, month: w.tax_month, cause: `paid_after_release:${w.id}`, ruleBook: input.ruleBook, nowMs: input.nowMs });
  return repo.lockWithdrawal(tx, w.id);
}
