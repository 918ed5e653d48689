/**
 * Withdrawals on the yunqi ledger (R-WD-1..5, R-AMB-2). Every money movement is a journal entry
 * posted with postEntry; the withdrawals row only describes the request and its status.
 *
 * Entries (G gross, T tax withheld, N = G − T net; keys are unique, so each posts at most once):
 *   withdrawal.reserved      withdrawal:<id>:reserved   available −G, reserved +G      (request)
 *   withdrawal.tax_withheld  withdrawal:<id>:tax        reserved −T, tax_payable +T    (paid, T > 0: the tax line)
 *   withdrawal.paid          withdrawal:<id>:paid       reserved −N, paid_out +N       (paid, N > 0)
 *   withdrawal.released      withdrawal:<id>:released   reserved −G, available +G      (definitive failure)
 * The two settlement entries post in one transaction when the provider confirms, so `reserved`
 * holds exactly the gross of the withdrawals in flight, `paid_out` what ambassadors received, and
 * `tax_payable` what is owed to the tax authority. payout_clearing is not used here: the cash
 * side (funding the provider, its statements, returned payouts) belongs to reconciliation.
 *
 * Locking (no deadlocks, no overdraft): a request, and a release, first lock the ambassador's
 * `available` balance row (SELECT … FOR UPDATE; it exists from the ambassador's creation), then the month row
 * (withdrawal_months) the tax is computed from. Settlement never touches `available`. postEntry
 * locks the remaining balance rows in account-id order.
 */
import crypto from 'node:crypto';
import type { Sql } from '../db/client';
import { monthKeyUtc8 } from '../domain/time';
import { withholdingTax, type Withholding } from '../domain/tax';
import { withdrawalRefusal } from '../domain/withdrawal';
import { yunqiToCny } from '../domain/money';
import type { RuleBook } from '../domain/rulesets';
import { LedgerError, accountId, ambassador, ambassadorBalances, postEntry, system, type AmbassadorAccountKind } from './index';

type Tx = Sql;

export type WithdrawalStatus = 'reserved' | 'processing' | 'paid' | 'failed';

export interface WithdrawalRow {
  id: string;
  ambassador_id: string;
  gross_yunqi: number;
  tax_yunqi: number;
  net_yunqi: number;
  tax_month: string;
  status: WithdrawalStatus;
  rule_set_version: string;
  tax_explanation: TaxExplanation;
  workflow_id: string;
  provider_ref: string | null;
  payout_attempts: number;
  last_payout_error: string | null;
  failure_reason: string | null;
  requested_at: Date;
  paid_at: Date | null;
  failed_at: Date | null;
  updated_at: Date;
}

export interface TaxExplanation {
  rule: 'R-WD-4';
  table: string;
  month: string;
  monthGrossBeforeYunqi: number;
  taxWithheldBeforeYunqi: number;
  monthGrossYunqi: number;
  monthTaxYunqi: number;
  taxableYunqi: number;
  bracket: Withholding['bracket'];
}

export type RefusalCode =
  | 'invalid_amount'
  | 'enterprise_cannot_withdraw'
  | 'no_completed_valid_order'
  | 'above_withdrawal_max'
  | 'insufficient_available';

export interface Refusal {
  code: RefusalCode;
  rule: string | null;
  reason: string;
  details: Record<string, unknown>;
}

export type WithdrawalOutcome = { ok: true; withdrawal: WithdrawalRow } | { ok: false; refusal: Refusal };

export const withdrawalWorkflowId = (withdrawalId: string) => `withdrawal:${withdrawalId}`;
export const newWithdrawalId = () => `wd_${crypto.randomUUID().replace(/-/g, '')}`;

/** Locks the ambassador's `available` balance row for the rest of the transaction; answers its
 * balance. The ambassador's accounts exist from its creation (migration 007); accountId would
 * create a missing one all the same. */
export async function lockAvailable(tx: Tx, ambassadorId: string): Promise<number> {
  const id = await accountId(tx, ambassador(ambassadorId, 'available'));
  const [row] = await tx<{ balance_yunqi: number }[]>`SELECT balance_yunqi FROM account_balances WHERE account_id = ${id} FOR UPDATE`;
  return row!.balance_yunqi;
}

/** Runs `fn` in one transaction holding the ambassador's available-balance lock. */
export async function withAmbassadorLock<T>(sql: Sql, ambassadorId: string, fn: (tx: Tx, availableYunqi: number) => Promise<T>): Promise<T> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Tx;
    const available = await lockAvailable(tx, ambassadorId);
    return fn(tx, available);
  }) as Promise<T>;
}

/** R-WD-1 / R-PAY-3: completed valid orders of the ambassador (state 'completed'). */
export async function completedValidOrders(tx: Tx, ambassadorId: string): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders WHERE ambassador_id = ${ambassadorId} AND state = 'completed'`;
  return row?.n ?? 0;
}

export interface WithdrawalRequestInput {
  ambassador: { id: string; kind: 'individual' | 'enterprise' };
  amountYunqi: number;
  nowMs: number;
  ruleBook: RuleBook;
  withdrawalId?: string;
}

/**
 * Checks and reserves one withdrawal. The caller MUST hold the lock of lockAvailable in `tx`
 * (use requestWithdrawal, or withAmbassadorLock to add work to the same transaction).
 */
export async function reserveWithdrawalLocked(tx: Tx, availableYunqi: number, input: WithdrawalRequestInput): Promise<WithdrawalOutcome> {
  const { ambassador: amb, amountYunqi, nowMs } = input;
  const ruleSet = input.ruleBook.at(nowMs);
  const refused = withdrawalRefusal(
    { amountYunqi, ambassadorKind: amb.kind, completedValidOrders: await completedValidOrders(tx, amb.id) },
    ruleSet,
  );
  if (refused) {
    const byCode = {
      INVALID_AMOUNT: ['invalid_amount', null, {}],
      ENTERPRISE_CANNOT_WITHDRAW: ['enterprise_cannot_withdraw', 'R-AMB-2', {}],
      NO_COMPLETED_VALID_ORDER: ['no_completed_valid_order', 'R-WD-1', {}],
      ABOVE_WITHDRAWAL_MAX: ['above_withdrawal_max', 'R-WD-3', splitAdvice(amountYunqi, ruleSet.withdrawalMaxYunqi)],
    } as const;
    const [code, rule, details] = byCode[refused.code];
    return { ok: false, refusal: { code, rule, reason: refused.reason, details } };
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
  await tx`INSERT INTO withdrawal_months (ambassador_id, month) VALUES (${amb.id}, ${month}) ON CONFLICT DO NOTHING`;
  const [m] = await tx<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${amb.id} AND month = ${month} FOR UPDATE`;
  const w = withholdingTax({ monthGrossBeforeYunqi: m!.gross_yunqi, taxWithheldBeforeYunqi: m!.tax_yunqi, grossYunqi: amountYunqi }, ruleSet.tax);
  await tx`UPDATE withdrawal_months SET gross_yunqi = gross_yunqi + ${amountYunqi}, tax_yunqi = tax_yunqi + ${w.taxYunqi}
            WHERE ambassador_id = ${amb.id} AND month = ${month}`;
  const explanation: TaxExplanation = {
    rule: 'R-WD-4',
    table: ruleSet.tax.name,
    month,
    monthGrossBeforeYunqi: m!.gross_yunqi,
    taxWithheldBeforeYunqi: m!.tax_yunqi,
    monthGrossYunqi: w.monthGrossYunqi,
    monthTaxYunqi: w.monthTaxYunqi,
    taxableYunqi: w.taxableYunqi,
    bracket: w.bracket,
  };
  const id = input.withdrawalId ?? newWithdrawalId();
  const [row] = await tx<WithdrawalRow[]>`
    INSERT INTO withdrawals (id, ambassador_id, gross_yunqi, tax_yunqi, net_yunqi, tax_month, status, rule_set_version,
                             tax_explanation, workflow_id, requested_at)
    VALUES (${id}, ${amb.id}, ${amountYunqi}, ${w.taxYunqi}, ${w.netYunqi}, ${month}, 'reserved', ${ruleSet.version},
            ${tx.json(explanation as never)}, ${withdrawalWorkflowId(id)}, ${new Date(nowMs)})
    RETURNING *`;
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
  return { ok: true, withdrawal: row! };
}

/** R-WD-3: a request above the maximum is refused with advice: the amounts to ask for instead. */
function splitAdvice(amountYunqi: number, maxYunqi: number): Record<string, unknown> {
  const parts: string[] = [];
  for (let left = amountYunqi; left > 0 && parts.length < 100; left -= maxYunqi) parts.push(yunqiToCny(Math.min(left, maxYunqi)));
  return { max: yunqiToCny(maxYunqi), maxYunqi, suggestedSplit: parts };
}

/** Checks and reserves one withdrawal in its own transaction. */
export async function requestWithdrawal(sql: Sql, input: WithdrawalRequestInput): Promise<WithdrawalOutcome> {
  return withAmbassadorLock(sql, input.ambassador.id, (tx, available) => reserveWithdrawalLocked(tx, available, input));
}

export async function getWithdrawal(sql: Sql, withdrawalId: string, ambassadorId?: string): Promise<WithdrawalRow | undefined> {
  const [row] = ambassadorId
    ? await sql<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${withdrawalId} AND ambassador_id = ${ambassadorId}`
    : await sql<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${withdrawalId}`;
  return row;
}

/** A payout attempt is starting: status processing, attempts counted. */
export async function markPayoutAttempt(sql: Sql, withdrawalId: string): Promise<WithdrawalRow> {
  const [row] = await sql<WithdrawalRow[]>`
    UPDATE withdrawals SET status = CASE WHEN status = 'reserved' THEN 'processing' ELSE status END,
                           payout_attempts = payout_attempts + 1, updated_at = now()
     WHERE id = ${withdrawalId} RETURNING *`;
  if (!row) throw new LedgerError('unknown_withdrawal', `withdrawal ${withdrawalId} not found`);
  return row;
}

export async function recordPayoutError(sql: Sql, withdrawalId: string, message: string): Promise<void> {
  await sql`UPDATE withdrawals SET last_payout_error = ${message.slice(0, 500)}, updated_at = now() WHERE id = ${withdrawalId}`;
}

/**
 * The provider paid: post the tax line and the payout, mark paid. Idempotent: settling a paid
 * withdrawal again changes nothing; settling a failed one is an error (it was released).
 */
export async function settleWithdrawal(sql: Sql, input: { withdrawalId: string; providerRef: string; nowMs: number }): Promise<WithdrawalRow> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Tx;
    const [w] = await tx<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${input.withdrawalId} FOR UPDATE`;
    if (!w) throw new LedgerError('unknown_withdrawal', `withdrawal ${input.withdrawalId} not found`);
    if (w.status === 'paid') return w;
    if (w.status === 'failed') throw new LedgerError('withdrawal_failed', `withdrawal ${w.id} failed and was released; it cannot be paid`);
    if (w.tax_yunqi > 0) {
      await postEntry(tx, {
        idempotencyKey: `withdrawal:${w.id}:tax`,
        kind: 'withdrawal.tax_withheld',
        ambassadorId: w.ambassador_id,
        withdrawalId: w.id,
        ruleSetVersion: w.rule_set_version,
        explanation: { ...w.tax_explanation, grossYunqi: w.gross_yunqi, taxYunqi: w.tax_yunqi },
        postings: [
          { account: ambassador(w.ambassador_id, 'reserved'), amountYunqi: -w.tax_yunqi },
          { account: system('tax_payable'), amountYunqi: w.tax_yunqi },
        ],
      });
    }
    if (w.net_yunqi > 0) {
      await postEntry(tx, {
        idempotencyKey: `withdrawal:${w.id}:paid`,
        kind: 'withdrawal.paid',
        ambassadorId: w.ambassador_id,
        withdrawalId: w.id,
        ruleSetVersion: w.rule_set_version,
        explanation: { providerRef: input.providerRef, netYunqi: w.net_yunqi },
        postings: [
          { account: ambassador(w.ambassador_id, 'reserved'), amountYunqi: -w.net_yunqi },
          { account: ambassador(w.ambassador_id, 'paid_out'), amountYunqi: w.net_yunqi },
        ],
      });
    }
    const [row] = await tx<WithdrawalRow[]>`
      UPDATE withdrawals SET status = 'paid', provider_ref = ${input.providerRef}, paid_at = ${new Date(input.nowMs)},
                             last_payout_error = NULL, updated_at = now()
       WHERE id = ${w.id} RETURNING *`;
    return row!;
  }) as Promise<WithdrawalRow>;
}

/**
 * Definitive failure: the reservation goes back to available and the month's aggregate loses the
 * withdrawal (a failed withdrawal is not income). Idempotent; releasing a paid one is an error.
 */
export async function releaseWithdrawal(sql: Sql, input: { withdrawalId: string; reason: string; nowMs: number }): Promise<WithdrawalRow> {
  const [peek] = await sql<{ ambassador_id: string }[]>`SELECT ambassador_id FROM withdrawals WHERE id = ${input.withdrawalId}`;
  if (!peek) throw new LedgerError('unknown_withdrawal', `withdrawal ${input.withdrawalId} not found`);
  return withAmbassadorLock(sql, peek.ambassador_id, async (tx) => {
    const [w] = await tx<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${input.withdrawalId} FOR UPDATE`;
    if (w!.status === 'failed') return w!;
    if (w!.status === 'paid') throw new LedgerError('withdrawal_paid', `withdrawal ${w!.id} was paid; it cannot be released`);
    await tx`UPDATE withdrawal_months SET gross_yunqi = gross_yunqi - ${w!.gross_yunqi}, tax_yunqi = tax_yunqi - ${w!.tax_yunqi}
              WHERE ambassador_id = ${w!.ambassador_id} AND month = ${w!.tax_month}`;
    await postEntry(tx, {
      idempotencyKey: `withdrawal:${w!.id}:released`,
      kind: 'withdrawal.released',
      ambassadorId: w!.ambassador_id,
      withdrawalId: w!.id,
      ruleSetVersion: w!.rule_set_version,
      explanation: { reason: input.reason, grossYunqi: w!.gross_yunqi },
      postings: [
        { account: ambassador(w!.ambassador_id, 'reserved'), amountYunqi: -w!.gross_yunqi },
        { account: ambassador(w!.ambassador_id, 'available'), amountYunqi: w!.gross_yunqi },
      ],
    });
    const [row] = await tx<WithdrawalRow[]>`
      UPDATE withdrawals SET status = 'failed', failure_reason = ${input.reason.slice(0, 500)}, failed_at = ${new Date(input.nowMs)},
                             updated_at = now()
       WHERE id = ${w!.id} RETURNING *`;
    return row!;
  });
}

export async function listWithdrawals(
  sql: Sql,
  ambassadorId: string,
  page: { limit: number; before?: { requestedAt: Date; id: string } },
): Promise<WithdrawalRow[]> {
  return page.before
    ? sql<WithdrawalRow[]>`
        SELECT * FROM withdrawals WHERE ambassador_id = ${ambassadorId}
           AND (requested_at, id) < (${page.before.requestedAt}, ${page.before.id})
         ORDER BY requested_at DESC, id DESC LIMIT ${page.limit}`
    : sql<WithdrawalRow[]>`
        SELECT * FROM withdrawals WHERE ambassador_id = ${ambassadorId}
         ORDER BY requested_at DESC, id DESC LIMIT ${page.limit}`;
}

/** Statement figures: the four accounts, and the tax of this UTC+8 month's withdrawals that are
 * not failed (withheld at the request, remitted to tax_payable when paid). */
export async function balanceStatement(
  sql: Sql,
  ambassadorId: string,
  nowMs: number,
): Promise<Record<AmbassadorAccountKind, number> & { month: string; monthGrossYunqi: number; taxWithheldThisMonthYunqi: number }> {
  const balances = await ambassadorBalances(sql, ambassadorId);
  const month = monthKeyUtc8(nowMs);
  const [m] = await sql<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${ambassadorId} AND month = ${month}`;
  return { ...balances, month, monthGrossYunqi: m?.gross_yunqi ?? 0, taxWithheldThisMonthYunqi: m?.tax_yunqi ?? 0 };
}

export interface LedgerLine {
  entryId: number;
  kind: string;
  occurredAt: Date;
  orderId: string | null;
  installment: number | null;
  withdrawalId: string | null;
  reversesEntry: number | null;
  ruleSetVersion: string | null;
  explanation: Record<string, unknown>;
  postings: { account: string; ambassadorAccount: boolean; amountYunqi: number }[];
}

/** The ambassador's journal entries, newest first (keyset pagination on the entry id). Only
 * entries with a posting on one of this ambassador's accounts are listed; the database makes
 * every such entry name the ambassador (journal_entries_apply, migration 007), so the
 * (ambassador_id, id) index finds them. */
export async function ambassadorLedger(sql: Sql, ambassadorId: string, page: { limit: number; beforeEntryId?: number }): Promise<LedgerLine[]> {
  const before = page.beforeEntryId ?? Number.MAX_SAFE_INTEGER;
  const entries = await sql<
    {
      id: number;
      kind: string;
      occurred_at: Date;
      order_id: string | null;
      installment: number | null;
      withdrawal_id: string | null;
      reverses_entry: number | null;
      rule_set_version: string | null;
      explanation: Record<string, unknown>;
    }[]
  >`
    SELECT e.id, e.kind, e.occurred_at, e.order_id, e.installment, e.withdrawal_id, e.reverses_entry, e.rule_set_version, e.explanation
      FROM journal_entries e
     WHERE e.ambassador_id = ${ambassadorId} AND e.id < ${before}
       AND e.account_ids && ARRAY(SELECT id FROM ledger_accounts WHERE ambassador_id = ${ambassadorId})
     ORDER BY e.id DESC LIMIT ${page.limit}`;
  if (entries.length === 0) return [];
  const postings = await sql<{ entry_id: number; kind: string; ambassador_id: string | null; amount_yunqi: number }[]>`
    SELECT p.entry_id, a.kind, a.ambassador_id, p.amount_yunqi
      FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
     WHERE p.entry_id IN ${sql(entries.map((e) => e.id))}
       AND (a.ambassador_id IS NULL OR a.ambassador_id = ${ambassadorId})
     ORDER BY p.entry_id, p.position`;
  return entries.map((e) => ({
    entryId: e.id,
    kind: e.kind,
    occurredAt: e.occurred_at,
    orderId: e.order_id,
    installment: e.installment,
    withdrawalId: e.withdrawal_id,
    reversesEntry: e.reverses_entry,
    ruleSetVersion: e.rule_set_version,
    explanation: e.explanation,
    postings: postings
      .filter((p) => p.entry_id === e.id)
      .map((p) => ({ account: p.ambassador_id ? p.kind : `system:${p.kind}`, ambassadorAccount: p.ambassador_id !== null, amountYunqi: p.amount_yunqi })),
  }));
}
