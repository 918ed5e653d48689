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

/** Locks the customer (the row is created when missing): a customer's facts are judged one settlement at a time. */
export async function lockCustomer(tx: Sql, customerId: string): Promise<CustomerSettlementFacts['reported']> {
  await tx`INSERT INTO customers (id) VALUES (${customerId}) ON CONFLICT (id) DO NOTHING`;
  const [row] = await tx<
    {
      reported_first_paid_purchase_at: Date | null;
      reported_last_consumption_at: Date | null;
      reported_first_payg_use_at: Date | null;
      payg_before_first_purchase: boolean;
      same_entity_has_paid_history: boolean;
      shared_paid: boolean;
    }[]
  >`
    SELECT c.reported_first_paid_purchase_at, c.reported_last_consumption_at, c.reported_first_payg_use_at,
           c.payg_before_first_purchase, c.same_entity_has_paid_history,
           ${sharedPaidHistory(tx)} AS shared_paid
      FROM customers c WHERE c.id = ${customerId} FOR UPDATE OF c`;
  return {
    firstPaidPurchaseAt: ms(row!.reported_first_paid_purchase_at),
    lastConsumptionAt: ms(row!.reported_last_consumption_at),
    firstPaygUseAt: ms(row!.reported_first_payg_use_at),
    payAsYouGoBeforeFirstPurchase: row!.payg_before_first_purchase,
    sameEntityHasPaidHistory: row!.same_entity_has_paid_history || row!.shared_paid,
  };
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
  const rows = await tx<{ id: string; ambassador_id: string; started_at: Date; ends_at: Date; ended_at: Date | null }[]>`
    SELECT id, ambassador_id, started_at, ends_at, ended_at FROM associations
     WHERE customer_id = ${customerId} AND superseded_at IS NULL ORDER BY started_at, id`;
  return rows.map((r) => ({
    associationId: r.id,
    ambassadorId: r.ambassador_id,
    startedAtMs: r.started_at.getTime(),
    endsAtMs: Math.min(r.ends_at.getTime(), r.ended_at?.getTime() ?? Number.MAX_SAFE_INTEGER),
  }));
}

export async function ambassadorFacts(tx: Sql, ids: string[]): Promise<Map<string, AmbassadorFacts>> {
  const out = new Map<string, AmbassadorFacts>();
  if (ids.length === 0) return out;
  const rows = await tx<{ id: string; account_id: string; kind: 'individual' | 'enterprise' }[]>`SELECT id, account_id, kind FROM ambassadors WHERE id IN ${tx(ids)}`;
  const levels = await tx<{ ambassador_id: string; level: Level; effective_at: Date }[]>`
    SELECT ambassador_id, level, effective_at FROM ambassador_levels WHERE ambassador_id IN ${tx(ids)} ORDER BY effective_at`;
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      accountId: r.account_id,
      kind: r.kind,
      levels: levels.filter((l) => l.ambassador_id === r.id).map((l) => ({ level: l.level, effectiveAtMs: l.effective_at.getTime() })),
    });
  }
  return out;
}

/** Everything the settlement of one customer is judged on (the caller holds the customer's lock). */
export async function customerSettlementFacts(tx: Sql, customerId: string, reported: CustomerSettlementFacts['reported'], rows: OrderRow[]): Promise<CustomerSettlementFacts> {
  const [associations, facts] = await Promise.all([associationSpans(tx, customerId), orderFacts(tx, rows.map((r) => r.order_id))]);
  const ambassadorIds = [...new Set(associations.map((a) => a.ambassadorId))];
  const [ambassadors, identity] = await Promise.all([
    ambassadorFacts(tx, ambassadorIds),
    identityRows(tx, [{ kind: 'customer', id: customerId }, ...ambassadorIds.map((id) => ({ kind: 'ambassador' as const, id }))]),
  ]);
  return { customerId, reported, orders: rows.map((r) => placedOrder(r.body)), ...facts, associations, ambassadors, identity };
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
