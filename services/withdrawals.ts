/**
 * Withdrawals (提现) on the yunqi ledger (R-WD-1..5, R-AMB-2). Every money movement is a journal
 * entry posted with postEntry; the withdrawals row only describes the request and its status.
 *
 * Entries (G gross, T tax withheld, N = G − T net; keys are unique, so each posts at most once):
 *   withdrawal.reserved      withdrawal:<id>:reserved   available −G, reserved +G      (request)
 *   withdrawal.tax_withheld  withdrawal:<id>:tax        reserved −T, tax_payable +T    (paid, T > 0: the tax line)
 *   withdrawal.paid          withdrawal:<id>:paid       reserved −N, paid_out +N       (paid, N > 0)
 *   withdrawal.released      withdrawal:<id>:released   reserved −G, available +G      (definitive failure)
 * The two settlement entries post in one transaction when the provider confirms, so `reserved`
 * holds exactly the gross of the withdrawals in flight, `paid_out` what ambassadors received, and
 * `tax_payable` what is owed to the tax authority.
 *
 *   withdrawal.tax_refunded  withdrawal:<id>:tax_refund:<cause>  tax_payable −R, available +R
 *                            (R-WD-4: the month recomputed after another withdrawal failed)
 *
 * Locking (no deadlocks, no overdraft): a request, a settlement and a release first lock the
 * ambassador's `available` balance row (ledger/locks.ts), then the withdrawal row, then the month
 * row the tax is computed from and the month's withdrawals.
 */
import { withdrawalWorkflowId } from '../contracts/withdrawals';
import { yunqiToCny } from '../domain/money';
import { defaultRuleBook, type RuleBook } from '../domain/rulesets';
import { withholdingTax } from '../domain/tax';
import { monthKeyUtc8 } from '../domain/time';
import { withdrawalRefusal, type WithdrawalRefusalCode } from '../domain/withdrawal';
import type { Sql } from '../db/client';
import { completedValidOrders } from '../db/repositories/orders';
import * as repo from '../db/repositories/withdrawals';
import { LedgerError, ambassador, postEntry, system } from '../ledger';
import { withAmbassadorLock } from '../ledger/locks';
import { takeLatePayout } from './late-payouts';
import { postRecordedTaxRefunds, recomputeMonthTax } from './withdrawal-tax';

export type RefusalCode = WithdrawalRefusalCode | 'insufficient_available';

export interface Refusal {
  code: RefusalCode;
  rule: string | null;
  reason: string;
  details: Record<string, unknown>;
}

export type WithdrawalOutcome = { ok: true; withdrawal: repo.WithdrawalRow } | { ok: false; refusal: Refusal };

export interface WithdrawalRequestInput {
  ambassador: { id: string; kind: 'individual' | 'enterprise' };
  amountYunqi: number;
  nowMs: number;
  ruleBook: RuleBook;
  withdrawalId?: string;
}

const RULE_OF: Record<WithdrawalRefusalCode, string | null> = {
  invalid_amount: null,
  enterprise_cannot_withdraw: 'R-AMB-2',
  no_completed_valid_order: 'R-WD-1',
  above_withdrawal_max: 'R-WD-3',
};

/** R-WD-3: a request above the maximum is refused with advice: the amounts to ask for instead. */
function splitAdvice(amountYunqi: number, maxYunqi: number): Record<string, unknown> {
  const parts: string[] = [];
  for (let left = amountYunqi; left > 0 && parts.length < 100; left -= maxYunqi) parts.push(yunqiToCny(Math.min(left, maxYunqi)));
  return { max: yunqiToCny(maxYunqi), maxYunqi, suggestedSplit: parts };
}

/**
 * Checks and reserves one withdrawal. The caller MUST hold the ambassador lock in `tx`
 * (use requestWithdrawal, or withAmbassadorLock to add work to the same transaction).
 */
export async function reserveWithdrawalLocked(tx: Sql, availableYunqi: number, input: WithdrawalRequestInput): Promise<WithdrawalOutcome> {
  const { ambassador: amb, amountYunqi, nowMs } = input;
  const ruleSet = input.ruleBook.at(nowMs);
  const refused = withdrawalRefusal({ amountYunqi, ambassadorKind: amb.kind, completedValidOrders: await completedValidOrders(tx, amb.id) }, ruleSet);
  if (refused) {
    const details = refused.code === 'above_withdrawal_max' ? splitAdvice(amountYunqi, ruleSet.withdrawalMaxYunqi) : {};
    return { ok: false, refusal: { code: refused.code, rule: RULE_OF[refused.code], reason: refused.reason, details } };
  }
  if (amountYunqi > availableYunqi) {
    return {
      ok: false,
      refusal: {
        code: 'insufficient_available',
        rule: null,
        reason: `the amount is more than the available balance (${yunqiToCny(Math.max(0, availableYunqi))} CNY)`,
        details: { available: yunqiToCny(availableYunqi), availableYunqi, requested: yunqiToCny(amountYunqi), requestedYunqi: amountYunqi },
      },
    };
  }
  // R-WD-4: the month (UTC+8) of the request is one income; lock its aggregate.
  const month = monthKeyUtc8(nowMs);
  const m = await repo.lockMonth(tx, amb.id, month);
  const w = withholdingTax({ monthGrossBeforeYunqi: m.grossYunqi, taxWithheldBeforeYunqi: m.taxYunqi, grossYunqi: amountYunqi }, ruleSet.tax);
  await repo.addToMonth(tx, amb.id, month, { grossYunqi: amountYunqi, taxYunqi: w.taxYunqi });
  const id = input.withdrawalId ?? repo.newWithdrawalId();
  const row = await repo.insertWithdrawal(tx, {
    id,
    ambassadorId: amb.id,
    grossYunqi: amountYunqi,
    taxYunqi: w.taxYunqi,
    netYunqi: w.netYunqi,
    month,
    ruleSetVersion: ruleSet.version,
    workflowId: withdrawalWorkflowId(id),
    requestedAtMs: nowMs,
    explanation: {
      rule: 'R-WD-4',
      table: ruleSet.tax.name,
      month,
      monthGrossBeforeYunqi: m.grossYunqi,
      taxWithheldBeforeYunqi: m.taxYunqi,
      monthGrossYunqi: w.monthGrossYunqi,
      monthTaxYunqi: w.monthTaxYunqi,
      taxableYunqi: w.taxableYunqi,
      bracket: w.bracket,
    },
  });
  await postEntry(tx, {
    idempotencyKey: `withdrawal:${id}:reserved`,
    kind: 'withdrawal.reserved',
    ambassadorId: amb.id,
    withdrawalId: id,
    ruleSetVersion: ruleSet.version,
    explanation: { grossYunqi: amountYunqi, taxYunqi: w.taxYunqi, netYunqi: w.netYunqi, month },
    postings: [
      { account: ambassador(amb.id, 'available'), amountYunqi: -amountYunqi },
      { account: ambassador(amb.id, 'reserved'), amountYunqi: amountYunqi },
    ],
  });
  return { ok: true, withdrawal: row };
}

/** Checks and reserves one withdrawal in its own transaction. */
export async function requestWithdrawal(sql: Sql, input: WithdrawalRequestInput): Promise<WithdrawalOutcome> {
  return withAmbassadorLock(sql, input.ambassador.id, (tx, available) => reserveWithdrawalLocked(tx, available, input));
}

/**
 * The provider paid: post the tax line and the payout (and any tax refund the month's
 * recomputation recorded for it while it was in flight), mark paid. Idempotent: settling a paid
 * withdrawal again changes nothing; settling one that was released takes the late payout into
 * the ledger (services/late-payouts.ts), never an error that a retry would meet again.
 * Holds the ambassador lock: a tax refund posts to `available`.
 */
export async function settleWithdrawal(
  sql: Sql,
  input: { withdrawalId: string; providerRef: string; nowMs: number; ruleBook?: RuleBook },
): Promise<repo.WithdrawalRow> {
  const peek = await repo.getWithdrawal(sql, input.withdrawalId);
  if (!peek) throw new repo.UnknownWithdrawalError(`withdrawal ${input.withdrawalId} not found`);
  return withAmbassadorLock(sql, peek.ambassador_id, async (tx) => {
    const w = await repo.lockWithdrawal(tx, input.withdrawalId);
    if (w.status === 'paid') return w;
    if (w.status === 'failed') return takeLatePayout(tx, w, { providerRef: input.providerRef, nowMs: input.nowMs, ruleBook: input.ruleBook ?? defaultRuleBook() });
    const base = { ambassadorId: w.ambassador_id, withdrawalId: w.id, ruleSetVersion: w.rule_set_version };
    if (w.tax_yunqi > 0) {
      await postEntry(tx, {
        ...base,
        idempotencyKey: `withdrawal:${w.id}:tax`,
        kind: 'withdrawal.tax_withheld',
        explanation: { ...w.tax_explanation, grossYunqi: w.gross_yunqi, taxYunqi: w.tax_yunqi },
        postings: [
          { account: ambassador(w.ambassador_id, 'reserved'), amountYunqi: -w.tax_yunqi },
          { account: system('tax_payable'), amountYunqi: w.tax_yunqi },
        ],
      });
    }
    if (w.net_yunqi > 0) {
      await postEntry(tx, {
        ...base,
        idempotencyKey: `withdrawal:${w.id}:paid`,
        kind: 'withdrawal.paid',
        explanation: { providerRef: input.providerRef, netYunqi: w.net_yunqi },
        postings: [
          { account: ambassador(w.ambassador_id, 'reserved'), amountYunqi: -w.net_yunqi },
          { account: ambassador(w.ambassador_id, 'paid_out'), amountYunqi: w.net_yunqi },
        ],
      });
    }
    await postRecordedTaxRefunds(tx, w);
    return repo.markPaid(tx, w.id, input.providerRef, input.nowMs);
  });
}

/**
 * Definitive failure: the reservation goes back to available, and the month's tax is recomputed
 * without the withdrawal (a failed withdrawal is not income; services/withdrawal-tax.ts returns
 * what the month's other withdrawals withheld beyond it). Idempotent; releasing a paid one is an
 * error. `ruleBook`: the deployment's (activities pass theirs); the default rule sets otherwise.
 */
export async function releaseWithdrawal(
  sql: Sql,
  input: { withdrawalId: string; reason: string; nowMs: number; ruleBook?: RuleBook },
): Promise<repo.WithdrawalRow> {
  const peek = await repo.getWithdrawal(sql, input.withdrawalId);
  if (!peek) throw new repo.UnknownWithdrawalError(`withdrawal ${input.withdrawalId} not found`);
  return withAmbassadorLock(sql, peek.ambassador_id, async (tx) => {
    const w = await repo.lockWithdrawal(tx, input.withdrawalId);
    if (w.status === 'failed') return w;
    if (w.status === 'paid') throw new LedgerError('withdrawal_paid', `withdrawal ${w.id} was paid; it cannot be released`);
    await postEntry(tx, {
      idempotencyKey: `withdrawal:${w.id}:released`,
      kind: 'withdrawal.released',
      ambassadorId: w.ambassador_id,
      withdrawalId: w.id,
      ruleSetVersion: w.rule_set_version,
      explanation: { reason: input.reason, grossYunqi: w.gross_yunqi },
      postings: [
        { account: ambassador(w.ambassador_id, 'reserved'), amountYunqi: -w.gross_yunqi },
        { account: ambassador(w.ambassador_id, 'available'), amountYunqi: w.gross_yunqi },
      ],
    });
    const failed = await repo.markFailed(tx, w.id, input.reason, input.nowMs);
    await recomputeMonthTax(tx, { ambassadorId: w.ambassador_id, month: w.tax_month, cause: `released:${w.id}`, ruleBook: input.ruleBook ?? defaultRuleBook(), nowMs: input.nowMs });
    return failed;
  });
}
