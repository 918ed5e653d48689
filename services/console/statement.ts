/**
 * An ambassador's monthly statement as CSV: every journal entry of the UTC+8 calendar month that
 * touches the ambassador's accounts, oldest first, with the movement on each account in CNY (and
 * the tax withheld, the entry's posting to tax_payable). Read from the ledger statement, newest
 * first, until an entry is older than the month (entries are numbered as they are written).
 */
import { yunqiToCny } from '../../domain/money';
import { addMonthsUtc8, UTC8_OFFSET_MS, utc8 } from '../../domain/time';
import { ambassadorLedger, type LedgerLine } from '../../ledger/statements';
import type { Deps } from '../deps';

const PAGE = 200;
/** Entries are numbered in commit order but stamped at their transaction's start: look this far
 * past the month's first instant before stopping. */
const STAMP_SKEW_MS = 10 * 60_000;

const COLUMNS = ['occurred_at_utc8', 'entry_id', 'kind', 'order_id', 'installment', 'withdrawal_id', 'pending_cny', 'available_cny', 'reserved_cny', 'paid_out_cny', 'tax_withheld_cny'] as const;

const utc8Stamp = (d: Date) => `${new Date(d.getTime() + UTC8_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')} +08:00`;

function movement(line: LedgerLine, account: string): string {
  const total = line.postings.filter((p) => p.account === account).reduce((sum, p) => sum + p.amountYunqi, 0);
  return yunqiToCny(total);
}

function csvRow(values: (string | number | null)[]): string {
  return values.map((v) => (v === null ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');
}

/** The month's lines; `month` is "YYYY-MM" (UTC+8). */
export async function monthStatementLines(deps: Pick<Deps, 'sql'>, ambassadorId: string, month: string): Promise<LedgerLine[]> {
  const fromMs = utc8(`${month}-01`);
  const toMs = addMonthsUtc8(fromMs, 1);
  const lines: LedgerLine[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await ambassadorLedger(deps.sql, ambassadorId, { limit: PAGE, beforeEntryId: before });
    for (const l of page) {
      const t = l.occurredAt.getTime();
      if (t >= fromMs && t < toMs) lines.push(l);
    }
    const last = page[page.length - 1];
    if (!last || page.length < PAGE || last.occurredAt.getTime() < fromMs - STAMP_SKEW_MS) break;
    before = last.entryId;
  }
  return lines.reverse();
}

export async function monthStatementCsv(deps: Pick<Deps, 'sql'>, ambassadorId: string, month: string): Promise<string> {
  const lines = await monthStatementLines(deps, ambassadorId, month);
  const rows = lines.map((l) =>
    csvRow([utc8Stamp(l.occurredAt), l.entryId, l.kind, l.orderId, l.installment, l.withdrawalId, movement(l, 'pending'), movement(l, 'available'), movement(l, 'reserved'), movement(l, 'paid_out'), movement(l, 'system:tax_payable')]),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
