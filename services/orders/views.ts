/** What people read about orders: the ops view (state, explanation, timeline, ledger entries,
 * workflow) and an ambassador's attributed orders. */
import { yunqiToCny } from '../../domain/money';
import { ambassadorOrdersPage, orderWithHistory, type OrderRow } from '../../db/repositories/orders';
import { nowOf, type Deps } from '../deps';

const money = (yunqi: number) => ({ yunqi, cny: yunqiToCny(yunqi) });

/** The state as of `nowMs`: the review's end needs no settlement step of its own, so an order
 * still recorded in review whose review has ended shows as crediting. */
export function stateAt(r: Pick<OrderRow, 'state' | 'review_ends_at'>, nowMs: number): OrderRow['state'] {
  return r.state === 'in_review' && r.review_ends_at && r.review_ends_at.getTime() <= nowMs ? 'crediting' : r.state;
}

export function orderView(r: OrderRow, nowMs = Date.now()) {
  return {
    orderId: r.order_id,
    customerId: r.customer_id,
    state: stateAt(r, nowMs),
    reasonCode: r.reason_code,
    placedAt: r.placed_at.toISOString(),
    ambassadorId: r.ambassador_id,
    associationId: r.association_id,
    ruleSetVersion: r.rule_set_version,
    paid: money(r.paid_yunqi),
    refunded: money(r.refunded_yunqi),
    reward: money(r.granted_yunqi),
    credited: money(r.credited_yunqi),
    reviewEndsAt: r.review_ends_at?.toISOString() ?? null,
    clawedBack: money(r.clawed_back_yunqi ?? 0),
    installments: r.installments.map((i) => ({
      n: i.n,
      amount: money(i.yunqi),
      dueAt: new Date(i.dueAtMs).toISOString(),
      credited: i.credited,
      status: i.status ?? (i.credited ? ('credited' as const) : ('due' as const)),
    })),
    nextDueAt: r.next_wake_at?.toISOString() ?? null,
    explanation: r.explanation ?? null,
    assessment: r.assessment ?? null,
    failure: r.failure ?? null,
  };
}

/** One order for operations; undefined when it was never recorded. */
export async function opsOrderView(deps: Pick<Deps, 'sql' | 'config' | 'now'>, orderId: string) {
  const { row, events, entries } = await orderWithHistory(deps.sql, orderId);
  if (!row) return undefined;
  const ledger: { entryId: number; kind: string; installment: number | null; at: string; postings: { account: string; amount: ReturnType<typeof money> }[] }[] = [];
  for (const e of entries) {
    let last = ledger[ledger.length - 1];
    if (!last || last.entryId !== e.id) {
      last = { entryId: e.id, kind: e.kind, installment: e.installment, at: e.occurred_at.toISOString(), postings: [] };
      ledger.push(last);
    }
    last.postings.push({ account: e.account, amount: money(e.amount_yunqi) });
  }
  return {
    ...orderView(row, nowOf(deps)),
    workflow: { workflowId: row.workflow_id, runId: row.run_id, namespace: deps.config.TEMPORAL_NAMESPACE },
    timeline: events.map((e) => ({ at: e.at.toISOString(), recordedAt: e.recorded_at?.toISOString() ?? null, kind: e.kind, summary: e.summary, detail: e.detail })),
    ledger,
  };
}

/** A page of the ambassador's orders, newest first; `after` is the (placedAt, orderId) of the previous page's last. */
export async function ambassadorOrders(deps: Pick<Deps, 'sql' | 'now'>, ambassadorId: string, page: { limit: number; after: { at: string; id: string } | null }) {
  const rows = await ambassadorOrdersPage(deps.sql, ambassadorId, { limit: page.limit + 1, after: page.after });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  const now = nowOf(deps);
  return { items: items.map((r) => orderView(r, now)), next: rows.length > page.limit && last ? { at: last.placed_at.toISOString(), id: last.order_id } : null };
}
