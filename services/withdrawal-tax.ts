/**
 * R-WD-4 after a failure: a month's tax is a function of the month's withdrawals that did not
 * fail. A withdrawal's tax and net are fixed when it is reserved, so the amount a provider is
 * asked to pay never changes; when a withdrawal of the month fails (or one released comes back as
 * paid), the month is recomputed:
 *
 *   owed   = tax(gross of the month's withdrawals that did not fail)
 *   kept   = Σ (tax − tax refunded) over them
 *   refund = kept − owed, split newest first (domain/tax.ts splitTaxRefund)
 *
 * Each share is a tax refund of one withdrawal (withdrawal_tax_refunds, once per cause), posted as
 *   withdrawal.tax_refunded  withdrawal:<id>:tax_refund:<cause>  tax_payable −R, available +R
 * referencing the withdrawal's tax line: at once for a paid withdrawal, when it is paid for one in
 * flight (its tax is still in `reserved`). A month that kept less than it owes is left as is; its
 * next withdrawal withholds the difference (the month's aggregate holds what was kept).
 *
 * The caller holds the ambassador lock; this locks the month row, then its withdrawals.
 */
import { yunqiToCny } from '../domain/money';
import type { RuleBook } from '../domain/rulesets';
import { monthTaxYunqi, splitTaxRefund } from '../domain/tax';
import type { Sql } from '../db/client';
import * as repo from '../db/repositories/withdrawals';
import { ambassador, postEntry, system } from '../ledger';

/** Posts a recorded tax refund of a paid withdrawal (idempotent by its key). */
export async function postTaxRefund(tx: Sql, w: repo.WithdrawalRow, r: { cause: string; amount_yunqi: number; explanation: Record<string, unknown> }): Promise<void> {
  await postEntry(tx, {
    idempotencyKey: `withdrawal:${w.id}:tax_refund:${r.cause}`,
    kind: 'withdrawal.tax_refunded',
    ambassadorId: w.ambassador_id,
    withdrawalId: w.id,
    reversesEntry: await repo.entryIdByKey(tx, `withdrawal:${w.id}:tax`),
    ruleSetVersion: w.rule_set_version,
    explanation: { ...r.explanation, refundYunqi: r.amount_yunqi, refund: yunqiToCny(r.amount_yunqi) },
    postings: [
      { account: system('tax_payable'), amountYunqi: -r.amount_yunqi },
      { account: ambassador(w.ambassador_id, 'available'), amountYunqi: r.amount_yunqi },
    ],
  });
}

/** Posts the tax refunds recorded for a withdrawal that is now paid. */
export async function postRecordedTaxRefunds(tx: Sql, w: repo.WithdrawalRow): Promise<void> {
  for (const r of await repo.taxRefundsOf(tx, w.id)) await postTaxRefund(tx, w, r);
}

/** Recomputes the month's tax after `cause` changed its withdrawals; returns what was refunded. */
export async function recomputeMonthTax(tx: Sql, input: { ambassadorId: string; month: string; cause: string; ruleBook: RuleBook; nowMs: number }): Promise<number> {
  const { ambassadorId, month, cause } = input;
  await repo.lockMonth(tx, ambassadorId, month);
  const remaining = await repo.lockMonthWithdrawals(tx, ambassadorId, month);
  const gross = remaining.reduce((s, w) => s + w.gross_yunqi, 0);
  const kept = remaining.reduce((s, w) => s + w.tax_yunqi - w.tax_refunded_yunqi, 0);
  const newest = remaining[0];
  const table = (newest ? ruleSetOf(input.ruleBook, newest.rule_set_version, input.nowMs) : input.ruleBook.at(input.nowMs)).tax;
  const owed = monthTaxYunqi(gross, table);
  const shares = splitTaxRefund(remaining.map((w) => ({ id: w.id, keptYunqi: w.tax_yunqi - w.tax_refunded_yunqi })), owed);
  let refunded = 0;
  for (const share of shares) {
    const w = remaining.find((x) => x.id === share.id)!;
    const explanation = {
      rule: 'R-WD-4',
      cause,
      month,
      table: table.name,
      monthGross: yunqiToCny(gross),
      monthGrossYunqi: gross,
      monthTax: yunqiToCny(owed),
      monthTaxYunqi: owed,
      keptBefore: yunqiToCny(kept),
      keptBeforeYunqi: kept,
    };
    const refund = { cause, amount_yunqi: share.refundYunqi, explanation };
    if (!(await repo.recordTaxRefund(tx, { withdrawalId: w.id, cause, month, amountYunqi: share.refundYunqi, explanation }))) continue;
    refunded += share.refundYunqi;
    if (w.status === 'paid') await postTaxRefund(tx, w, refund);
  }
  await repo.setMonth(tx, ambassadorId, month, { grossYunqi: gross, taxYunqi: kept - refunded });
  return refunded;
}

/** The withdrawal's own rule set, or the one in force now when the deployment no longer has it. */
function ruleSetOf(book: RuleBook, version: string, nowMs: number) {
  try {
    return book.byVersion(version);
  } catch {
    return book.at(nowMs);
  }
}
