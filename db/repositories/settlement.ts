/**
 * What one customer's settlement reads and writes (services/orders/settlement.ts), all inside the
 * transaction that holds the customer's lock: the customer's facts (reported purchase history,
 * orders, refunds and findings, associations, ambassadors, identity rows) and what the ledger
 * already holds for each order.
 */
import type { Sql } from '../client';
import type { AmbassadorFacts, AssociationSpan, CustomerSettlementFacts, FindingFact, Holding, PlacedOrder, RefundFact } from '../../domain/settlement';
import type { OrderPlaced } from '../../contracts/orders';
import { cnyToYunqi } from '../../domain/money';
import type { Level } from '../../domain/rulesets';
import { sharedPaidHistory } from './customers';
import { identityRows } from './identity';
import type { OrderRow } from './orders';

const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

interface ReportedRow {
  id: string;
  reported_first_paid_purchase_at: Date | null;
  reported_last_consumption_at: Date | null;
  reported_first_payg_use_at: Date | null;
  payg_before_first_purchase: boolean;
  same_entity_has_paid_history: boolean;
  shared_paid: boolean;
}

/** What the identity system reported about each customer (locked FOR UPDATE when `lock`). */
async function reportedOf(tx: Sql, customerIds: string[], lock: boolean): Promise<Map<string, CustomerSettlementFacts['reported']>> {
  const rows = await tx<ReportedRow[]>`
    SELECT c.id, c.reported_first_paid_purchase_at, c.reported_last_consumption_at, c.reported_first_payg_use_at,
           c.payg_before_first_purchase, c.same_entity_has_paid_history,
           ${sharedPaidHistory(tx)} AS shared_paid
      FROM customers c WHERE c.id IN ${tx(customerIds)} ${lock ? tx`FOR UPDATE OF c` : tx``}`;
  return new Map(
    rows.map((row) => [
      row.id,
      {
        firstPaidPurchaseAt: ms(row.reported_first_paid_purchase_at),
        lastConsumptionAt: ms(row.reported_last_consumption_at),
        firstPaygUseAt: ms(row.reported_first_payg_use_at),
        payAsYouGoBeforeFirstPurchase: row.payg_before_first_purchase,
        sameEntityHasPaidHistory: row.same_entity_has_paid_history || row.shared_paid,
      },
    ]),
  );
}

/** Locks the customer (the row is created when missing): a customer's facts are judged one settlement at a time. */
export async function lockCustomer(tx: Sql, customerId: string): Promise<CustomerSettlementFacts['reported']> {
  await tx`INSERT INTO customers (id) VALUES (${customerId}) ON CONFLICT (id) DO NOTHING`;
  return (await reportedOf(tx, [customerId], true)).get(customerId)!;
}

/** The instant to judge the locked customer at: the later of `nowMs` and the latest it was judged at (kept). */
export async function judgingInstant(tx: Sql, customerId: string, nowMs: number): Promise<number> {
  const [row] = await tx<{ at: Date }[]>`
    UPDATE customers SET judged_through = greatest(judged_through, ${new Date(nowMs)}) WHERE id = ${customerId} RETURNING judged_through AS at`;
  return row ? Math.max(nowMs, row.at.getTime()) : nowMs;
}

/** What was reported about each customer, without a lock (a what-if run reads, never settles); a customer without a row reported nothing. */
export async function reportedFacts(tx: Sql, customerIds: string[]): Promise<Map<string, CustomerSettlementFacts['reported']>> {
  const found = customerIds.length ? await reportedOf(tx, customerIds, false) : new Map();
  const none: CustomerSettlementFacts['reported'] = { firstPaidPurchaseAt: null, lastConsumptionAt: null, firstPaygUseAt: null, payAsYouGoBeforeFirstPurchase: false, sameEntityHasPaidHistory: false };
  return new Map(customerIds.map((id) => [id, found.get(id) ?? none]));
}

export function placedOrder(body: OrderPlaced): PlacedOrder {
  return {
    orderId: body.orderId,
    placedAtMs: Date.parse(body.placedAt),
    paidYunqi: cnyToYunqi(body.paidAmount),
    billing: body.billing,
    productCode: body.productCode,
    productCategory: body.productCategory,
    orderType: body.orderType,
    cartId: body.cartId ?? null,
    excludedChannel: body.excludedChannel ?? false,
  };
}

export async function customerOrders(tx: Sql, customerId: string): Promise<OrderRow[]> {
  return tx<OrderRow[]>`SELECT * FROM orders WHERE customer_id = ${customerId} ORDER BY placed_at, order_id`;
}

export interface FactRow {
  order_id: string;
  kind: 'refund' | 'finding';
  fact_id: string;
  at: Date;
  body: Record<string, unknown>;
  body_hash: string;
}

/** Records a refund or finding once; answers whether it is new, a repeat, or a different body under a known id. */
export async function recordFact(tx: Sql, f: { orderId: string; kind: 'refund' | 'finding'; factId: string; atMs: number; body: unknown; bodyHash: string }): Promise<'recorded' | 'duplicate' | 'conflict'> {
  const inserted = await tx`
    INSERT INTO order_facts (order_id, kind, fact_id, at, body, body_hash)
    VALUES (${f.orderId}, ${f.kind}, ${f.factId}, ${new Date(f.atMs)}, ${tx.json(f.body as never)}, ${f.bodyHash})
    ON CONFLICT (order_id, kind, fact_id) DO NOTHING RETURNING 1`;
  if (inserted.length) return 'recorded';
  const [prior] = await tx<{ body_hash: string }[]>`SELECT body_hash FROM order_facts WHERE order_id = ${f.orderId} AND kind = ${f.kind} AND fact_id = ${f.factId}`;
  return prior?.body_hash === f.bodyHash ? 'duplicate' : 'conflict';
}

export async function orderFacts(tx: Sql, orderIds: string[]): Promise<{ refunds: RefundFact[]; findings: FindingFact[] }> {
  if (orderIds.length === 0) return { refunds: [], findings: [] };
  const rows = await tx<FactRow[]>`SELECT * FROM order_facts WHERE order_id IN ${tx(orderIds)} ORDER BY at, fact_id`;
  const refunds: RefundFact[] = [];
  const findings: FindingFact[] = [];
  for (const r of rows) {
    if (r.kind === 'refund') {
      const b = r.body as { amountYunqi: number; full: boolean };
      refunds.push({ refundId: r.fact_id, orderId: r.order_id, amountYunqi: b.amountYunqi, full: b.full, atMs: r.at.getTime() });
    } else {
      findings.push({ findingId: r.fact_id, orderId: r.order_id, reason: (r.body as { reason: 'same_person' | 'cheating' }).reason, atMs: r.at.getTime() });
    }
  }
  return { refunds, findings };
}

/** The customer's associations that attribute (not superseded by a recomputed history). */
export async function associationSpans(tx: Sql, customerId: string): Promise<AssociationSpan[]> {
  return (await associationSpansOf(tx, [customerId])).get(customerId) ?? [];
}

/** associationSpans of several customers at once, by customer. */
export async function associationSpansOf(tx: Sql, customerIds: string[]): Promise<Map<string, AssociationSpan[]>> {
  const out = new Map<string, AssociationSpan[]>();
  if (customerIds.length === 0) return out;
  const rows = await tx<{ id: string; customer_id: string; ambassador_id: string; started_at: Date; ends_at: Date; ended_at: Date | null }[]>`
    SELECT id, customer_id, ambassador_id, started_at, ends_at, ended_at FROM associations
     WHERE customer_id IN ${tx(customerIds)} AND superseded_at IS NULL ORDER BY customer_id, started_at, id`;
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({
      associationId: r.id,
      ambassadorId: r.ambassador_id,
      startedAtMs: r.started_at.getTime(),
      endsAtMs: Math.min(r.ends_at.getTime(), r.ended_at?.getTime() ?? Number.MAX_SAFE_INTEGER),
    });
    out.set(r.customer_id, list);
  }
  return out;
}

export async function ambassadorFacts(tx: Sql, ids: string[]): Promise<Map<string, AmbassadorFacts>> {
  const out = new Map<string, AmbassadorFacts>();
  if (ids.length === 0) return out;
  const rows = await tx<{ id: string; account_id: string; kind: 'individual' | 'enterprise' }[]>`SELECT id, account_id, kind FROM ambassadors WHERE id IN ${tx(ids)}`;
  const levels = await tx<{ ambassador_id: string; level: Level; effective_at: Date }[]>`
    SELECT ambassador_id, level, effective_at FROM ambassador_levels WHERE ambassador_id IN ${tx(ids)} ORDER BY effective_at`;
  const byAmbassador = new Map<string, AmbassadorFacts['levels']>();
  for (const l of levels) {
    const list = byAmbassador.get(l.ambassador_id) ?? [];
    list.push({ level: l.level, effectiveAtMs: l.effective_at.getTime() });
    byAmbassador.set(l.ambassador_id, list);
  }
  for (const r of rows) out.set(r.id, { id: r.id, accountId: r.account_id, kind: r.kind, levels: byAmbassador.get(r.id) ?? [] });
  return out;
}

/** Everything the settlement of one customer is judged on (the caller holds the customer's lock). */
export async function customerSettlementFacts(tx: Sql, customerId: string, reported: CustomerSettlementFacts['reported'], rows: OrderRow[]): Promise<CustomerSettlementFacts> {
  return (await customersSettlementFacts(tx, [{ customerId, reported, rows }]))[0]!;
}

/** The same for several customers in a few queries (what-if runs over many customers: services/simulations). */
export async function customersSettlementFacts(tx: Sql, customers: { customerId: string; reported: CustomerSettlementFacts['reported']; rows: OrderRow[] }[]): Promise<CustomerSettlementFacts[]> {
  const customerOf = new Map(customers.flatMap((c) => c.rows.map((r) => [r.order_id, c.customerId] as const)));
  const [spans, facts] = await Promise.all([associationSpansOf(tx, customers.map((c) => c.customerId)), orderFacts(tx, [...customerOf.keys()])]);
  const ambassadorIds = [...new Set([...spans.values()].flat().map((a) => a.ambassadorId))];
  const [ambassadors, identity] = await Promise.all([
    ambassadorFacts(tx, ambassadorIds),
    identityRows(tx, [...customers.map((c) => ({ kind: 'customer' as const, id: c.customerId })), ...ambassadorIds.map((id) => ({ kind: 'ambassador' as const, id }))]),
  ]);
  const group = <T>(items: T[], key: (t: T) => string | undefined) => {
    const m = new Map<string, T[]>();
    for (const t of items) {
      const k = key(t);
      if (k === undefined) continue;
      const list = m.get(k);
      if (list) list.push(t);
      else m.set(k, [t]);
    }
    return m;
  };
  const refunds = group(facts.refunds, (r) => customerOf.get(r.orderId));
  const findings = group(facts.findings, (f) => customerOf.get(f.orderId));
  const identityOf = group(identity, (r) => `${r.subject}:${r.subjectId}`);
  return customers.map((c) => {
    const associations = spans.get(c.customerId) ?? [];
    const mine = [...new Set(associations.map((a) => a.ambassadorId))];
    return {
      customerId: c.customerId,
      reported: c.reported,
      orders: c.rows.map((r) => placedOrder(r.body)),
      refunds: refunds.get(c.customerId) ?? [],
      findings: findings.get(c.customerId) ?? [],
      associations,
      ambassadors: new Map(mine.flatMap((id) => (ambassadors.has(id) ? [[id, ambassadors.get(id)!] as const] : []))),
      identity: [...(identityOf.get(`customer:${c.customerId}`) ?? []), ...mine.flatMap((id) => identityOf.get(`ambassador:${id}`) ?? [])],
    };
  });
}

/** What the ledger holds for each order, per ambassador: pending and available (sums of its entries). */
export async function orderHoldings(tx: Sql, orderIds: string[]): Promise<Map<string, Holding[]>> {
  const out = new Map<string, Holding[]>();
  if (orderIds.length === 0) return out;
  const rows = await tx<{ order_id: string; ambassador_id: string; kind: 'pending' | 'available'; amount: number }[]>`
    SELECT e.order_id, a.ambassador_id, a.kind, sum(p.amount_yunqi)::bigint AS amount
      FROM journal_entries e
      CROSS JOIN LATERAL unnest(e.account_ids, e.amounts) AS p(account_id, amount_yunqi)
      JOIN ledger_accounts a ON a.id = p.account_id
     WHERE e.order_id IN ${tx(orderIds)} AND a.kind IN ('pending', 'available')
     GROUP BY e.order_id, a.ambassador_id, a.kind`;
  for (const r of rows) {
    const list = out.get(r.order_id) ?? [];
    let h = list.find((x) => x.ambassadorId === r.ambassador_id);
    if (!h) list.push((h = { ambassadorId: r.ambassador_id, pendingYunqi: 0, availableYunqi: 0 }));
    if (r.kind === 'pending') h.pendingYunqi += r.amount;
    else h.availableYunqi += r.amount;
    out.set(r.order_id, list);
  }
  return out;
}

/** Each order's entries so far (for keys and for what a correction references). */
export async function orderEntries(tx: Sql, orderIds: string[]): Promise<{ id: number; order_id: string; kind: string; ambassador_id: string | null; idempotency_key: string }[]> {
  if (orderIds.length === 0) return [];
  return tx`SELECT id, order_id, kind, ambassador_id, idempotency_key FROM journal_entries WHERE order_id IN ${tx(orderIds)} ORDER BY id`;
}
