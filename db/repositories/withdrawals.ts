/**
 * Withdrawals in Postgres: the request row and its payout status, and the month aggregate
 * (withdrawal_months) that the month's withholding tax is computed from (R-WD-4). Money moves only
 * through ledger entries (services/withdrawals.ts); these rows describe the requests.
 */
import crypto from 'node:crypto';
import type { Sql } from '../client';
import type { Withholding } from '../../domain/tax';

export type WithdrawalStatus = 'reserved' | 'processing' | 'paid' | 'failed';

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

export interface WithdrawalRow {
  id: string;
  ambassador_id: string;
  gross_yunqi: number;
  tax_yunqi: number;
  net_yunqi: number;
  /** Of tax_yunqi, what the month's recomputation returned (R-WD-4; withdrawal_tax_refunds). */
  tax_refunded_yunqi: number;
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
  /** A payout that showed up after the release was taken into the ledger (migration 011). */
  paid_after_release_at: Date | null;
  updated_at: Date;
}

/** A withdrawal that is not recorded. */
export class UnknownWithdrawalError extends Error {
  readonly code = 'unknown_withdrawal';
}

export const newWithdrawalId = () => `wd_${crypto.randomUUID().replace(/-/g, '')}`;

/** The month's aggregate row, created if missing, locked for the rest of the transaction. */
export async function lockMonth(tx: Sql, ambassadorId: string, month: string): Promise<{ grossYunqi: number; taxYunqi: number }> {
  await tx`INSERT INTO withdrawal_months (ambassador_id, month) VALUES (${ambassadorId}, ${month}) ON CONFLICT DO NOTHING`;
  const [m] = await tx<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${ambassadorId} AND month = ${month} FOR UPDATE`;
  return { grossYunqi: m!.gross_yunqi, taxYunqi: m!.tax_yunqi };
}

/** Adds (or, negative, removes) a withdrawal's gross and tax to its month's aggregate. */
export async function addToMonth(tx: Sql, ambassadorId: string, month: string, delta: { grossYunqi: number; taxYunqi: number }): Promise<void> {
  await tx`UPDATE withdrawal_months SET gross_yunqi = gross_yunqi + ${delta.grossYunqi}, tax_yunqi = tax_yunqi + ${delta.taxYunqi}
            WHERE ambassador_id = ${ambassadorId} AND month = ${month}`;
}

/** Sets the month's aggregate to what its withdrawals say (after a recomputation). */
export async function setMonth(tx: Sql, ambassadorId: string, month: string, figures: { grossYunqi: number; taxYunqi: number }): Promise<void> {
  await tx`UPDATE withdrawal_months SET gross_yunqi = ${figures.grossYunqi}, tax_yunqi = ${figures.taxYunqi}
            WHERE ambassador_id = ${ambassadorId} AND month = ${month}`;
}

/** The month's withdrawals that did not fail, newest first, locked for the rest of the transaction. */
export async function lockMonthWithdrawals(tx: Sql, ambassadorId: string, month: string): Promise<WithdrawalRow[]> {
  return tx<WithdrawalRow[]>`
    SELECT * FROM withdrawals WHERE ambassador_id = ${ambassadorId} AND tax_month = ${month} AND status <> 'failed'
     ORDER BY requested_at DESC, id DESC FOR UPDATE`;
}

export interface TaxRefundRow {
  withdrawal_id: string;
  cause: string;
  month: string;
  amount_yunqi: number;
  explanation: Record<string, unknown>;
}

/** Records a tax refund of a withdrawal (once per cause) and adds it to the withdrawal's refunded
 * tax; answers false when this cause had refunded it already. */
export async function recordTaxRefund(tx: Sql, r: { withdrawalId: string; cause: string; month: string; amountYunqi: number; explanation: Record<string, unknown> }): Promise<boolean> {
  const inserted = await tx`
    INSERT INTO withdrawal_tax_refunds (withdrawal_id, cause, month, amount_yunqi, explanation)
    VALUES (${r.withdrawalId}, ${r.cause}, ${r.month}, ${r.amountYunqi}, ${tx.json(r.explanation as never)})
    ON CONFLICT DO NOTHING RETURNING 1`;
  if (!inserted.length) return false;
  await tx`UPDATE withdrawals SET tax_refunded_yunqi = tax_refunded_yunqi + ${r.amountYunqi}, updated_at = now() WHERE id = ${r.withdrawalId}`;
  return true;
}

export async function taxRefundsOf(sql: Sql, withdrawalId: string): Promise<TaxRefundRow[]> {
  return sql<TaxRefundRow[]>`SELECT withdrawal_id, cause, month, amount_yunqi, explanation FROM withdrawal_tax_refunds WHERE withdrawal_id = ${withdrawalId} ORDER BY created_at, cause`;
}

export async function monthFigures(sql: Sql, ambassadorId: string, month: string): Promise<{ grossYunqi: number; taxYunqi: number }> {
  const [m] = await sql<{ gross_yunqi: number; tax_yunqi: number }[]>`
    SELECT gross_yunqi, tax_yunqi FROM withdrawal_months WHERE ambassador_id = ${ambassadorId} AND month = ${month}`;
  return { grossYunqi: m?.gross_yunqi ?? 0, taxYunqi: m?.tax_yunqi ?? 0 };
}

export async function insertWithdrawal(
  tx: Sql,
  w: { id: string; ambassadorId: string; grossYunqi: number; taxYunqi: number; netYunqi: number; month: string; ruleSetVersion: string; explanation: TaxExplanation; workflowId: string; requestedAtMs: number },
): Promise<WithdrawalRow> {
  const [row] = await tx<WithdrawalRow[]>`
    INSERT INTO withdrawals (id, ambassador_id, gross_yunqi, tax_yunqi, net_yunqi, tax_month, status, rule_set_version,
                             tax_explanation, workflow_id, requested_at)
    VALUES (${w.id}, ${w.ambassadorId}, ${w.grossYunqi}, ${w.taxYunqi}, ${w.netYunqi}, ${w.month}, 'reserved', ${w.ruleSetVersion},
            ${tx.json(w.explanation as never)}, ${w.workflowId}, ${new Date(w.requestedAtMs)})
    RETURNING *`;
  return row!;
}

export async function getWithdrawal(sql: Sql, withdrawalId: string, ambassadorId?: string): Promise<WithdrawalRow | undefined> {
  const [row] = ambassadorId
    ? await sql<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${withdrawalId} AND ambassador_id = ${ambassadorId}`
    : await sql<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${withdrawalId}`;
  return row;
}

export async function lockWithdrawal(tx: Sql, withdrawalId: string): Promise<WithdrawalRow> {
  const [w] = await tx<WithdrawalRow[]>`SELECT * FROM withdrawals WHERE id = ${withdrawalId} FOR UPDATE`;
  if (!w) throw new UnknownWithdrawalError(`withdrawal ${withdrawalId} not found`);
  return w;
}

/** A payout attempt is starting: status processing, attempts counted. */
export async function markPayoutAttempt(sql: Sql, withdrawalId: string): Promise<WithdrawalRow> {
  const [row] = await sql<WithdrawalRow[]>`
    UPDATE withdrawals SET status = CASE WHEN status = 'reserved' THEN 'processing' ELSE status END,
                           payout_attempts = payout_attempts + 1, updated_at = now()
     WHERE id = ${withdrawalId} RETURNING *`;
  if (!row) throw new UnknownWithdrawalError(`withdrawal ${withdrawalId} not found`);
  return row;
}

export async function recordPayoutError(sql: Sql, withdrawalId: string, message: string): Promise<void> {
  await sql`UPDATE withdrawals SET last_payout_error = ${message.slice(0, 500)}, updated_at = now() WHERE id = ${withdrawalId}`;
}

export async function markPaid(tx: Sql, withdrawalId: string, providerRef: string, atMs: number): Promise<WithdrawalRow> {
  const [row] = await tx<WithdrawalRow[]>`
    UPDATE withdrawals SET status = 'paid', provider_ref = ${providerRef}, paid_at = ${new Date(atMs)}, last_payout_error = NULL, updated_at = now()
     WHERE id = ${withdrawalId} RETURNING *`;
  return row!;
}

/** A released withdrawal the provider paid all the same: paid, keeping when it had failed. */
export async function markPaidAfterRelease(tx: Sql, withdrawalId: string, providerRef: string, atMs: number): Promise<WithdrawalRow> {
  const [row] = await tx<WithdrawalRow[]>`
    UPDATE withdrawals SET status = 'paid', provider_ref = ${providerRef}, paid_at = ${new Date(atMs)}, paid_after_release_at = ${new Date(atMs)},
                           updated_at = now()
     WHERE id = ${withdrawalId} RETURNING *`;
  return row!;
}

export async function markFailed(tx: Sql, withdrawalId: string, reason: string, atMs: number): Promise<WithdrawalRow> {
  const [row] = await tx<WithdrawalRow[]>`
    UPDATE withdrawals SET status = 'failed', failure_reason = ${reason.slice(0, 500)}, failed_at = ${new Date(atMs)}, updated_at = now()
     WHERE id = ${withdrawalId} RETURNING *`;
  return row!;
}

export async function listWithdrawals(sql: Sql, ambassadorId: string, page: { limit: number; before?: { requestedAt: Date; id: string } }): Promise<WithdrawalRow[]> {
  return page.before
    ? sql<WithdrawalRow[]>`
        SELECT * FROM withdrawals WHERE ambassador_id = ${ambassadorId}
           AND (requested_at, id) < (${page.before.requestedAt}, ${page.before.id})
         ORDER BY requested_at DESC, id DESC LIMIT ${page.limit}`
    : sql<WithdrawalRow[]>`
        SELECT * FROM withdrawals WHERE ambassador_id = ${ambassadorId}
         ORDER BY requested_at DESC, id DESC LIMIT ${page.limit}`;
}

/** The id of the journal entry posted under `idempotencyKey`, if any (a correction names it). */
export async function entryIdByKey(sql: Sql, idempotencyKey: string): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`SELECT id FROM journal_entries WHERE idempotency_key = ${idempotencyKey}`;
  return row?.id ?? null;
}
