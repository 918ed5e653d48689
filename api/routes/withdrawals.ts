/**
 * Withdrawals (R-WD-1..5, R-AMB-2) for the authenticated ambassador:
 *   POST /v1/ambassadors/me/withdrawals            (Idempotency-Key; rate limited) → 201 reserved
 *   GET  /v1/ambassadors/me/withdrawals            (paginated, newest first)
 *   GET  /v1/ambassadors/me/withdrawals/:id        (404 for another ambassador's)
 * plus the statements (api/routes/ledger.ts): balance and ledger.
 * Every query is scoped by the ambassador of the token; nothing takes an ambassador id as input.
 */
import { z } from 'zod';
import { cnyToYunqi, yunqiToCny } from '../../domain/money';
import { CnyAmountSchema } from '../../domain/money-schema';
import { IdempotencyKeyReusedError } from '../../db/repositories/idempotency';
import { getWithdrawal, listWithdrawals, type WithdrawalRow } from '../../db/repositories/withdrawals';
import type { Deps } from '../../services/deps';
import { requestWithdrawalOnce } from '../../services/withdrawal-requests';
import type { AuthedAmbassador } from '../auth';
import { errorBody, notFound, unprocessable } from '../errors';
import { perMinuteLimit } from '../rate-limit';
import type { ApiRegistry } from '../registry';
import { PageQuery, decodeCursor, encodeCursor } from '../schemas';
import { ledgerRoutes } from './ledger';

const CnyAmount = CnyAmountSchema.describe('CNY, decimal string');

export const WithdrawalView = z.object({
  id: z.string(),
  status: z.enum(['reserved', 'processing', 'paid', 'failed']),
  currency: z.literal('CNY'),
  gross: CnyAmount.describe('the amount requested, CNY'),
  grossYunqi: z.number().int(),
  tax: CnyAmount.describe('tax withheld (R-WD-4), CNY'),
  taxYunqi: z.number().int(),
  taxRefunded: CnyAmount.describe('of it, returned when another withdrawal of the month failed (R-WD-4), CNY'),
  taxRefundedYunqi: z.number().int(),
  taxKept: CnyAmount.describe('tax that stays withheld: tax − taxRefunded, CNY'),
  taxKeptYunqi: z.number().int(),
  net: CnyAmount.describe('paid to the ambassador, CNY'),
  netYunqi: z.number().int(),
  taxMonth: z.string().describe('UTC+8 calendar month whose withdrawals are one income (R-WD-4)'),
  taxExplanation: z.object({
    rule: z.literal('R-WD-4'),
    table: z.string(),
    monthGrossBefore: CnyAmount,
    taxWithheldBefore: CnyAmount,
    monthGross: CnyAmount,
    monthTax: CnyAmount,
    taxable: CnyAmount,
    bracket: z.object({ n: z.number().int(), rate: z.string(), quickDeduction: CnyAmount }),
  }),
  ruleSetVersion: z.string(),
  providerRef: z.string().nullable(),
  payoutAttempts: z.number().int(),
  lastPayoutError: z.string().nullable(),
  failureReason: z.string().nullable(),
  requestedAt: z.string(),
  paidAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  paidAfterReleaseAt: z.string().nullable().describe('the provider paid after the withdrawal had been released; the payout was taken back from available'),
});

export function withdrawalView(w: WithdrawalRow): z.infer<typeof WithdrawalView> {
  const t = w.tax_explanation;
  return {
    id: w.id,
    status: w.status,
    currency: 'CNY',
    gross: yunqiToCny(w.gross_yunqi),
    grossYunqi: w.gross_yunqi,
    tax: yunqiToCny(w.tax_yunqi),
    taxYunqi: w.tax_yunqi,
    taxRefunded: yunqiToCny(w.tax_refunded_yunqi),
    taxRefundedYunqi: w.tax_refunded_yunqi,
    taxKept: yunqiToCny(w.tax_yunqi - w.tax_refunded_yunqi),
    taxKeptYunqi: w.tax_yunqi - w.tax_refunded_yunqi,
    net: yunqiToCny(w.net_yunqi),
    netYunqi: w.net_yunqi,
    taxMonth: w.tax_month,
    taxExplanation: {
      rule: 'R-WD-4',
      table: t.table,
      monthGrossBefore: yunqiToCny(t.monthGrossBeforeYunqi),
      taxWithheldBefore: yunqiToCny(t.taxWithheldBeforeYunqi),
      monthGross: yunqiToCny(t.monthGrossYunqi),
      monthTax: yunqiToCny(t.monthTaxYunqi),
      taxable: yunqiToCny(t.taxableYunqi),
      bracket: { n: t.bracket.n, rate: t.bracket.rate, quickDeduction: yunqiToCny(t.bracket.quickDeductionYunqi) },
    },
    ruleSetVersion: w.rule_set_version,
    providerRef: w.provider_ref,
    payoutAttempts: w.payout_attempts,
    lastPayoutError: w.last_payout_error,
    failureReason: w.failure_reason,
    requestedAt: w.requested_at.toISOString(),
    paidAt: w.paid_at?.toISOString() ?? null,
    failedAt: w.failed_at?.toISOString() ?? null,
    paidAfterReleaseAt: w.paid_after_release_at?.toISOString() ?? null,
  };
}

const WithdrawalBody = z.strictObject({
  amount: CnyAmountSchema.refine((s) => /[1-9]/.test(s), 'the amount must be more than 0'),
});

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required on money-moving requests' })
    .regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key: 1 to 255 visible ASCII characters')
    .describe('Same key and body: the same answer; same key and another body: 422 idempotency_key_reused'),
});

const WithdrawalId = z.object({ withdrawalId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a withdrawal id') });

const me = (res: { locals: Record<string, unknown> }) => res.locals.ambassador as AuthedAmbassador;
const isWithdrawalCursor = (v: unknown[]): v is [string, string] => v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string';

export function withdrawalsRoutes(api: ApiRegistry, deps: Deps): void {
  const { sql, config } = deps;

  // Money-moving POSTs: RATE_LIMIT_PER_MINUTE per ambassador (runs after authentication), counted
  // in Postgres so every replica shares the count.
  const moneyLimit = perMinuteLimit({ sql, name: 'withdrawals', limit: config.RATE_LIMIT_PER_MINUTE, what: 'money-moving requests', key: (res) => `ambassador:${me(res).id}` });

  api.add({
    method: 'post',
    path: '/v1/ambassadors/me/withdrawals',
    summary: 'Request a withdrawal of available yunqi (tax withheld, R-WD-4); paid out by a workflow',
    tags: ['withdrawals'],
    auth: 'ambassador',
    headers: IdempotencyHeaders,
    body: WithdrawalBody,
    before: [moneyLimit],
    responses: {
      201: { description: 'reserved; the payout runs in the background', schema: WithdrawalView },
      400: { description: 'validation failed (details: field paths)' },
      422: {
        description:
          'refused: no_completed_valid_order (R-WD-1), above_withdrawal_max (R-WD-3, with a suggested split), enterprise_cannot_withdraw (R-AMB-2), insufficient_available; or idempotency_key_reused',
      },
      429: { description: 'rate limited' },
    },
    handler: async ({ body, headers }, _req, res) => {
      let answer;
      try {
        answer = await requestWithdrawalOnce(deps, { ambassador: me(res), amountYunqi: cnyToYunqi(body.amount), idempotencyKey: headers['idempotency-key'] as string }, (out) => {
          if (out.ok) return { status: 201, body: withdrawalView(out.withdrawal) };
          const { code, rule, reason, details } = out.refusal;
          return { status: 422, body: errorBody(code, reason, { rule, ...details }) };
        });
      } catch (err) {
        if (err instanceof IdempotencyKeyReusedError) throw unprocessable('idempotency_key_reused', err.message);
        throw err;
      }
      return {
        status: answer.status,
        body: answer.body,
        headers: {
          'Idempotent-Replayed': String(answer.replayed),
          ...(answer.withdrawalId ? { Location: `/v1/ambassadors/me/withdrawals/${answer.withdrawalId}` } : {}),
        },
      };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/withdrawals',
    summary: "The ambassador's withdrawals, newest first",
    tags: ['withdrawals'],
    auth: 'ambassador',
    query: PageQuery(),
    responses: {
      200: { description: 'one page', schema: z.object({ items: z.array(WithdrawalView), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ query }, _req, res) => {
      const before = query.cursor ? decodeCursor(query.cursor, isWithdrawalCursor) : null;
      const rows = await listWithdrawals(sql, me(res).id, { limit: query.limit + 1, before: before ? { requestedAt: new Date(before[0]), id: before[1] } : undefined });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { status: 200, body: { items: page.map(withdrawalView), nextCursor: rows.length > query.limit && last ? encodeCursor([last.requested_at.toISOString(), last.id]) : null } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/withdrawals/:withdrawalId',
    summary: 'One withdrawal of the ambassador',
    tags: ['withdrawals'],
    auth: 'ambassador',
    params: WithdrawalId,
    responses: { 200: { description: 'the withdrawal', schema: WithdrawalView }, 404: { description: 'no such withdrawal of yours' } },
    handler: async ({ params }, _req, res) => {
      const w = await getWithdrawal(sql, params.withdrawalId, me(res).id);
      if (!w) throw notFound('withdrawal');
      return { status: 200, body: withdrawalView(w) };
    },
  });

  ledgerRoutes(api, deps);
}
