/**
 * Statements of the authenticated ambassador:
 *   GET /v1/ambassadors/me/balance  pending, available, reserved, paid out, tax withheld this month
 *   GET /v1/ambassadors/me/ledger   journal entries (newest first, paginated), each linked to its
 *                                   order and installment, withdrawal, or tax line
 */
import { z } from 'zod';
import { yunqiToCny } from '../../domain/money';
import { ambassadorLedger, type LedgerLine } from '../../ledger/statements';
import type { Deps } from '../../services/deps';
import { nowOf } from '../../services/deps';
import { balanceStatement } from '../../services/statements';
import type { AuthedAmbassador } from '../auth';
import type { ApiRegistry } from '../registry';
import { PageQuery, decodeCursor, encodeCursor } from '../schemas';

const Cny = z.string().describe('CNY, decimal string');
const Amount = z.object({ cny: Cny, yunqi: z.number().int() });
const amount = (yunqi: number) => ({ cny: yunqiToCny(yunqi), yunqi });

const Balance = z.object({
  ambassadorId: z.string(),
  currency: z.literal('CNY'),
  pending: Amount.describe('granted, not yet credited (review and crediting periods)'),
  available: Amount.describe('credited and withdrawable; never below zero here (a clawback beyond it is the debt)'),
  debt: Amount.describe('what a clawback took beyond what was available (R-REV-2): later credits repay it first'),
  reserved: Amount.describe('held by withdrawals in flight (gross)'),
  paidOut: Amount.describe('net paid out by completed withdrawals, all time'),
  month: z.string().describe('current calendar month, UTC+8'),
  withdrawnThisMonth: Amount.describe('gross of this month’s withdrawals that did not fail'),
  taxWithheldThisMonth: Amount.describe('tax withheld on them and kept (R-WD-4: the tax on the month’s total; what a failed withdrawal left over-withheld was refunded)'),
});

const Link = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order'), orderId: z.string(), installment: z.number().int().nullable() }),
  z.object({ type: z.literal('withdrawal'), withdrawalId: z.string() }),
  z.object({ type: z.literal('tax'), withdrawalId: z.string() }),
  z.object({ type: z.literal('none') }),
]);

const Entry = z.object({
  id: z.string(),
  kind: z.string(),
  occurredAt: z.string(),
  link: Link,
  reversesEntry: z.string().nullable(),
  ruleSetVersion: z.string().nullable(),
  postings: z.array(z.object({ account: z.string(), amount: Cny, amountYunqi: z.number().int() })),
  explanation: z.record(z.string(), z.unknown()),
});

const isEntryCursor = (v: unknown[]): v is [number] => v.length === 1 && Number.isSafeInteger(v[0]);

function link(l: LedgerLine): z.infer<typeof Link> {
  if ((l.kind === 'withdrawal.tax_withheld' || l.kind === 'withdrawal.tax_refunded') && l.withdrawalId) return { type: 'tax', withdrawalId: l.withdrawalId };
  if (l.withdrawalId) return { type: 'withdrawal', withdrawalId: l.withdrawalId };
  if (l.orderId) return { type: 'order', orderId: l.orderId, installment: l.installment };
  return { type: 'none' };
}

export function ledgerRoutes(api: ApiRegistry, deps: Deps): void {
  const { sql } = deps;

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/balance',
    summary: "The ambassador's yunqi balances",
    tags: ['ledger'],
    auth: 'ambassador',
    responses: { 200: { description: 'balances', schema: Balance } },
    handler: async (_input, _req, res) => {
      const amb = res.locals.ambassador as AuthedAmbassador;
      const b = await balanceStatement(sql, amb.id, nowOf(deps));
      const body: z.infer<typeof Balance> = {
        ambassadorId: amb.id,
        currency: 'CNY',
        pending: amount(b.pending),
        available: amount(Math.max(0, b.available)),
        debt: amount(Math.max(0, -b.available)),
        reserved: amount(b.reserved),
        paidOut: amount(b.paid_out),
        month: b.month,
        withdrawnThisMonth: amount(b.monthGrossYunqi),
        taxWithheldThisMonth: amount(b.taxWithheldThisMonthYunqi),
      };
      return { status: 200, body };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/ledger',
    summary: "The ambassador's journal entries, newest first",
    tags: ['ledger'],
    auth: 'ambassador',
    query: PageQuery(200, 50),
    responses: { 200: { description: 'one page', schema: z.object({ items: z.array(Entry), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }, _req, res) => {
      const amb = res.locals.ambassador as AuthedAmbassador;
      const lines = await ambassadorLedger(sql, amb.id, {
        limit: query.limit + 1,
        beforeEntryId: query.cursor ? decodeCursor(query.cursor, isEntryCursor)[0] : undefined,
      });
      const page = lines.slice(0, query.limit);
      const entries: z.infer<typeof Entry>[] = page.map((l) => ({
        id: String(l.entryId),
        kind: l.kind,
        occurredAt: l.occurredAt.toISOString(),
        link: link(l),
        reversesEntry: l.reversesEntry === null ? null : String(l.reversesEntry),
        ruleSetVersion: l.ruleSetVersion,
        postings: l.postings.map((p) => ({ account: p.account, amount: yunqiToCny(p.amountYunqi), amountYunqi: p.amountYunqi })),
        explanation: l.explanation,
      }));
      const last = page[page.length - 1];
      return { status: 200, body: { items: entries, nextCursor: lines.length > query.limit && last ? encodeCursor([last.entryId]) : null } };
    },
  });
}
