/**
 * One settlement step of an order, and with it of every order of its customer (docs/settlement.md):
 * in one transaction holding the customer's lock, the new facts are recorded, all the customer's
 * facts are judged by the pure model at `now` (domain/settlement), the differences are posted to
 * the ledger as correcting entries, and the rows and timelines are written. Orders of the customer
 * whose outcome changed are woken afterwards (their workflows signalled, or started again).
 * Idempotent: a step repeated finds its facts recorded and nothing left to post.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../contracts/errors';
import type { OrderFactInput, OrderPlaced, OrderSnapshot, TimelineEvent } from '../../contracts/orders';
import { TERMINAL_STATES, settleCustomer, type OrderOutcome } from '../../domain/settlement';
import { canonicalHash } from '../../lib/canonical-hash';
import { cnyToYunqi } from '../../domain/money';
import type { Sql } from '../../db/client';
import * as orders from '../../db/repositories/orders';
import * as repo from '../../db/repositories/settlement';
import type { Deps } from '../deps';
import { postOrderMoves } from './postings';
import { assessmentKey, foldPurchaseFacts, reassessmentEvent, recordEvents, saveCapUse, saveOutcome } from './projection';
import { wakeOrders } from './wake';

export type { OrderFactInput } from '../../contracts/orders';

export interface SettleInput {
  orderId: string;
  nowMs: number;
  placement?: { order: OrderPlaced; bodyHash: string; workflowId: string; runId: string };
  facts?: OrderFactInput[];
  /** What made this step run, for the lines it writes about other orders ("order o-1 arrived"). */
  because?: string;
}

export interface FactResult {
  kind: 'refund' | 'finding';
  id: string;
  result: 'recorded' | 'duplicate' | 'conflict';
}

export interface SettleResult {
  snapshot: OrderSnapshot;
  facts: FactResult[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function snapshotOf(row: orders.OrderRow, events: TimelineEvent[]): OrderSnapshot {
  return { ...orders.snapshot(row, events), nextWakeAtMs: row.next_wake_at?.getTime() ?? null, paidYunqi: row.paid_yunqi, refundedYunqi: row.refunded_yunqi };
}

const factId = (f: OrderFactInput) => (f.kind === 'refund' ? f.refundId : f.findingId);
const factBody = (f: OrderFactInput) => (f.kind === 'refund' ? { amountYunqi: f.amountYunqi, full: f.full } : { reason: f.reason, ...(f.note ? { note: f.note } : {}) });

/** Postgres data errors (class 22: a NUL in a string, an instant it cannot hold) and domain
 * refusals never go away on a retry: the order can never be assessed. */
function unassessable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string };
  return (typeof e?.code === 'string' && e.code.startsWith('22')) || e?.name === 'DomainError';
}

async function recordPlacement(sql: Sql, p: NonNullable<SettleInput['placement']>): Promise<void> {
  let existing;
  try {
    existing = await orders.insertOrder(sql, { ...p, paidYunqi: cnyToYunqi(p.order.paidAmount) });
  } catch (err) {
    if (unassessable(err)) throw ApplicationFailure.nonRetryable(`order ${p.order.orderId} cannot be recorded: ${(err as Error).message}`, FailureType.orderUnassessable);
    throw err;
  }
  if (existing.body_hash !== p.bodyHash) {
    throw ApplicationFailure.nonRetryable(`order ${p.order.orderId} was recorded with a different body`, FailureType.orderConflict);
  }
}

/** Settles the order's customer at `nowMs` and answers the order's snapshot. */
export async function settleOrder(deps: Pick<Deps, 'sql' | 'client' | 'ruleBook' | 'config' | 'logger'>, input: SettleInput): Promise<SettleResult> {
  const { sql } = deps;
  if (input.placement) await recordPlacement(sql, input.placement);
  const row = await orders.getOrder(sql, input.orderId);
  if (!row) throw ApplicationFailure.nonRetryable(`order ${input.orderId} is not recorded`, FailureType.orderNotRecorded);
  const out = await settleCustomerNow(deps, row.customer_id, input);
  await wakeOrders(deps, out.wake);
  // An order that failed is out of its customer's settlement: it answers as it stands.
  return { snapshot: out.snapshots.get(input.orderId) ?? snapshotOf(row, []), facts: out.facts };
}

/** Settles every order of the customer at `nowMs` (a click, an identity change or a due date changed them). */
export async function settleCustomerOrders(deps: Pick<Deps, 'sql' | 'client' | 'ruleBook' | 'config' | 'logger'>, customerId: string, nowMs: number, because: string): Promise<number> {
  const out = await settleCustomerNow(deps, customerId, { orderId: '', nowMs, because });
  await wakeOrders(deps, out.wake);
  return out.wake.length;
}

async function settleCustomerNow(deps: Pick<Deps, 'sql' | 'ruleBook'>, customerId: string, input: SettleInput) {
  return deps.sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const reported = await repo.lockCustomer(tx, customerId);
    const facts: FactResult[] = [];
    for (const f of input.facts ?? []) {
      const body = factBody(f);
      const result = await repo.recordFact(tx, { orderId: input.orderId, kind: f.kind, factId: factId(f), atMs: f.atMs, body, bodyHash: canonicalHash({ ...body, ...(f.dated ? { atMs: f.atMs } : {}) }) });
      facts.push({ kind: f.kind, id: factId(f), result });
    }
    const rows = (await repo.customerOrders(tx, customerId)).filter((r) => r.failure === null);
    const settlementFacts = await repo.customerSettlementFacts(tx, customerId, reported, rows);
    const outcomes = settleCustomer(settlementFacts, deps.ruleBook, input.nowMs);
    const ids = rows.map((r) => r.order_id);
    const [holdings, prior] = await Promise.all([repo.orderHoldings(tx, ids), repo.orderEntries(tx, ids)]);
    const snapshots = new Map<string, OrderSnapshot>();
    const wake: orders.OrderRow[] = [];
    for (const row of rows) {
      const o = outcomes.get(row.order_id)!;
      const key = assessmentKey(o);
      const events = [...o.events];
      if (row.assessment_key && row.assessment_key !== key) {
        const n = (await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM order_events WHERE order_id = ${row.order_id} AND kind = 'reassessed'`)[0]!.n + 1;
        events.push(reassessmentEvent(row, o, input.because ?? null, n, input.nowMs));
      }
      const credited = new Set(row.installments.filter((i) => i.credited).map((i) => i.n));
      await postOrderMoves(tx, {
        orderId: row.order_id,
        outcome: o,
        holdings: holdings.get(row.order_id) ?? [],
        prior: prior.filter((e) => e.order_id === row.order_id),
        newlyCredited: o.installments.filter((i) => i.status === 'credited' && i.yunqi > 0 && !credited.has(i.n)).map((i) => i.n),
        because: row.order_id === input.orderId ? null : (input.because ?? null),
      });
      await saveOutcome(tx, o, key);
      await recordEvents(tx, row.order_id, events);
      if (row.order_id !== input.orderId && row.state !== 'received' && (changed(row, o) || row.wake_requested_at)) wake.push(row);
      const after = { ...row, ...rowOf(o) };
      snapshots.set(row.order_id, snapshotOf(after, events.map((e) => ({ key: e.key, kind: e.kind, at: iso(e.atMs), summary: e.summary, ...(e.detail ? { detail: e.detail } : {}) }))));
    }
    await saveCapUse(tx, customerId, [...outcomes.values()]);
    await foldPurchaseFacts(tx, customerId, rows);
    if (wake.length) await tx`UPDATE orders SET wake_requested_at = now() WHERE order_id IN ${tx(wake.map((w) => w.order_id))}`;
    return { snapshots, facts, wake };
  }) as Promise<{ snapshots: Map<string, OrderSnapshot>; facts: FactResult[]; wake: orders.OrderRow[] }>;
}

/** The row fields a snapshot reads, as the outcome leaves them. */
function rowOf(o: OrderOutcome): Partial<orders.OrderRow> {
  return {
    state: o.state,
    ambassador_id: o.assessment.ambassadorId,
    granted_yunqi: o.rewardYunqi,
    credited_yunqi: o.creditedYunqi,
    refunded_yunqi: o.refundedYunqi,
    review_ends_at: o.reviewEndsAtMs === null ? null : new Date(o.reviewEndsAtMs),
    installments: o.installments.map((i) => ({ n: i.n, yunqi: i.yunqi, dueAtMs: i.dueAtMs, credited: i.status === 'credited', status: i.status })),
    next_wake_at: o.nextWakeAtMs === null ? null : new Date(o.nextWakeAtMs),
  };
}

/**
 * Whether another order's workflow must hear of its new outcome now: its ambassador or reward
 * moved, it ended or came back, or it falls due earlier than its workflow waits for. Time passing
 * alone (the review ended, an installment fell due and was credited by this settlement) needs no
 * wake: the workflow's own timer comes, and its step finds nothing left to do.
 */
function changed(row: orders.OrderRow, o: OrderOutcome): boolean {
  const ended = (state: string) => TERMINAL_STATES.includes(state as OrderOutcome['state']);
  const wasDue = row.next_wake_at?.getTime() ?? null;
  const dueEarlier = o.nextWakeAtMs !== null && (wasDue === null || o.nextWakeAtMs < wasDue);
  // An order that ended and stays ended has no workflow waiting: its correction is posted already.
  if (ended(row.state) && ended(o.state) && o.nextWakeAtMs === null) return false;
  return row.ambassador_id !== o.assessment.ambassadorId || row.granted_yunqi !== o.rewardYunqi || ended(row.state) !== ended(o.state) || dueEarlier;
}
