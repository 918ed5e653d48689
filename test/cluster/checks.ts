/**
 * After the traffic and the faults: every order settled exactly once, every withdrawal paid once,
 * the ledger's own invariants, and nothing left running. Counted, not thrown, so the run prints
 * what it found; each finding is also listed.
 */
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { TERMINAL_STATES } from '../../contracts/orders';

export interface SentOrder {
  orderId: string;
  ambassadorId: string;
  /** What the ambassador must end up credited with, from what was sent (yunqi). */
  expectedCreditedYunqi: number;
}

export interface SentWithdrawal {
  key: string;
  ambassadorId: string;
  withdrawalId: string;
}

export interface Findings {
  doubles: string[];
  losses: string[];
  stuck: string[];
  ledger: string[];
}

interface OrderRow {
  order_id: string;
  state: string;
  granted_yunqi: number;
  credited_yunqi: number;
  available: number;
  pending: number;
  credits: number;
  installments: number;
}

/** The workflows that must all have closed once the traffic has settled (customers' run for good). */
const RUNNING_SETTLEMENT = 'ExecutionStatus = "Running" AND WorkflowType IN ("orderSettlement", "orderLateRefund", "withdrawalWorkflow")';

/** Waits until every sent order is terminal, every withdrawal paid or failed, and no settlement workflow runs. */
export async function waitSettled(sql: Sql, client: Client, orders: SentOrder[], withdrawals: SentWithdrawal[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ids = orders.map((o) => o.orderId);
  const wids = withdrawals.map((w) => w.withdrawalId);
  while (Date.now() < deadline) {
    const open = await sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM unnest(${ids}::text[]) AS s(id) LEFT JOIN orders o ON o.order_id = s.id
               WHERE o.state IS NULL OR NOT (o.state = ANY(${TERMINAL_STATES as string[]})))::int
           + (SELECT count(*) FROM withdrawals WHERE id = ANY(${wids}) AND status NOT IN ('paid', 'failed'))::int AS n`.catch(() => [{ n: -1 }]);
    const running = await client.workflow.count(RUNNING_SETTLEMENT).then((c) => c.count, () => -1);
    if (open[0]!.n === 0 && running === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function check(sql: Sql, client: Client, orders: SentOrder[], withdrawals: SentWithdrawal[]): Promise<Findings> {
  const f: Findings = { doubles: [], losses: [], stuck: [], ledger: [] };
  const rows = await sql<OrderRow[]>`
    SELECT o.order_id, o.state, o.granted_yunqi, o.credited_yunqi, jsonb_array_length(o.installments)::int AS installments,
           coalesce(sum(p.amount_yunqi) FILTER (WHERE a.kind = 'available'), 0)::bigint AS available,
           coalesce(sum(p.amount_yunqi) FILTER (WHERE a.kind = 'pending'), 0)::bigint AS pending,
           (SELECT count(*) FROM journal_entries c WHERE c.order_id = o.order_id AND c.kind = 'reward.credited')::int AS credits
      FROM orders o
      LEFT JOIN journal_entries j ON j.order_id = o.order_id
      LEFT JOIN postings p ON p.entry_id = j.id
      LEFT JOIN ledger_accounts a ON a.id = p.account_id AND a.ambassador_id = o.ambassador_id
     WHERE o.order_id = ANY(${orders.map((o) => o.orderId)})
     GROUP BY o.order_id`;
  const byId = new Map(rows.map((r) => [r.order_id, r]));
  for (const o of orders) {
    const r = byId.get(o.orderId);
    if (!r) {
      f.losses.push(`${o.orderId}: accepted (202) but unknown to the settlement`);
      continue;
    }
    if (!TERMINAL_STATES.includes(r.state as never)) f.stuck.push(`${o.orderId}: still ${r.state}`);
    if (r.available !== r.credited_yunqi) f.doubles.push(`${o.orderId}: the ledger credited ${r.available} yunqi, the order says ${r.credited_yunqi}`);
    if (r.credits > Math.max(1, r.installments)) f.doubles.push(`${o.orderId}: ${r.credits} credit entries for ${r.installments} installments`);
    if (TERMINAL_STATES.includes(r.state as never)) {
      if (r.available > o.expectedCreditedYunqi) f.doubles.push(`${o.orderId} (${r.state}): credited ${r.available} yunqi, expected ${o.expectedCreditedYunqi}`);
      if (r.available < o.expectedCreditedYunqi) f.losses.push(`${o.orderId} (${r.state}): credited ${r.available} yunqi, expected ${o.expectedCreditedYunqi}`);
      if (r.pending !== 0) f.losses.push(`${o.orderId} (${r.state}): ${r.pending} yunqi left pending`);
    }
  }

  const perKey = await sql<{ id: string; status: string }[]>`SELECT id, status FROM withdrawals WHERE id = ANY(${withdrawals.map((w) => w.withdrawalId)})`;
  const status = new Map(perKey.map((w) => [w.id, w.status]));
  for (const w of withdrawals) {
    const s = status.get(w.withdrawalId);
    if (!s) f.losses.push(`withdrawal ${w.key}: accepted but not recorded`);
    else if (s !== 'paid') f.stuck.push(`withdrawal ${w.key}: ${s}`);
  }
  const ambassadorIds = [...new Set(withdrawals.map((w) => w.ambassadorId))];
  const counts = await sql<{ ambassador_id: string; withdrawals: number; payouts: number }[]>`
    SELECT w.ambassador_id, count(DISTINCT w.id)::int AS withdrawals, count(j.id)::int AS payouts
      FROM withdrawals w LEFT JOIN journal_entries j ON j.withdrawal_id = w.id AND j.kind = 'withdrawal.paid'
     WHERE w.ambassador_id = ANY(${ambassadorIds}) GROUP BY w.ambassador_id`;
  for (const c of counts) {
    const sent = withdrawals.filter((w) => w.ambassadorId === c.ambassador_id).length;
    if (c.withdrawals > sent) f.doubles.push(`ambassador ${c.ambassador_id}: ${c.withdrawals} withdrawals for ${sent} idempotency keys`);
    if (c.payouts > sent) f.doubles.push(`ambassador ${c.ambassador_id}: ${c.payouts} payout entries for ${sent} withdrawals`);
  }

  for (const r of await sql`SELECT * FROM ledger_inconsistencies()`) f.ledger.push(`ledger_inconsistencies: ${JSON.stringify(r)}`);
  for (const r of await sql`SELECT * FROM ledger_entry_problems()`) f.ledger.push(`ledger_entry_problems: ${JSON.stringify(r)}`);

  const { count } = await client.workflow.count(RUNNING_SETTLEMENT);
  if (count > 0) f.stuck.push(`${count} order, refund or withdrawal workflow(s) still running`);
  return f;
}
