/**
 * Customers in Postgres: the row (created on first sight, with its self link), the purchase facts
 * (R-CUST-1..4) folded from what the identity system reports and what orders show, and the
 * R-ATTR-7 non-associable reason.
 */
import type { Sql } from '../client';
import type { CustomerFacts } from '../../domain/classify';
import type { NonAssociableReason } from '../../domain/refusals';
import { setIdentity, type IdentityInput } from './identity';
import type { IdentityAttr } from '../../domain/identity';

/** Creates the customer row (and its self link) if it does not exist yet; returns true if created. */
export async function ensureCustomer(sql: Sql, secret: string, customerId: string, atMs: number): Promise<boolean> {
  const rows = await sql`INSERT INTO customers (id) VALUES (${customerId}) ON CONFLICT (id) DO NOTHING RETURNING id`;
  if (rows.length) await setIdentity(sql, secret, { kind: 'customer', id: customerId, accountId: customerId }, {}, atMs);
  return rows.length > 0;
}

export async function nonAssociableReason(sql: Sql, customerId: string): Promise<NonAssociableReason | null> {
  const [row] = await sql<{ non_associable_reason: NonAssociableReason | null }[]>`
    SELECT non_associable_reason FROM customers WHERE id = ${customerId}`;
  return row?.non_associable_reason ?? null;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

/**
 * R-CUST-1: whether another customer sharing a current identity hash with customer `c` (the
 * query's alias) has paid: a same-person account with paid history makes the customer old.
 */
export const sharedPaidHistory = (sql: Sql) => sql`EXISTS (
  SELECT 1 FROM identity_attributes me
    JOIN identity_attributes o ON o.attr = me.attr AND o.value_hash = me.value_hash
     AND o.subject_kind = 'customer' AND o.subject_id <> me.subject_id AND o.valid_to IS NULL
    JOIN customers oc ON oc.id = o.subject_id AND oc.first_paid_purchase_at IS NOT NULL
   WHERE me.subject_kind = 'customer' AND me.subject_id = c.id AND me.valid_to IS NULL)`;

/**
 * Purchase facts in the shape of domain/classify.ts `CustomerFacts` (instants as epoch ms). An
 * unknown customer has no history. A same-person account with paid history (R-CUST-1) is the
 * identity system's flag, or any other customer sharing a current identity hash who has paid.
 * Pay-as-you-go before the first purchase (R-CUST-4) is the reported flag, or a recorded
 * pay-as-you-go use earlier than the first paid purchase (or with none).
 */
export async function customerFacts(sql: Sql, customerId: string): Promise<Required<CustomerFacts>> {
  const [row] = await sql<
    {
      first_paid_purchase_at: Date | null;
      last_consumption_at: Date | null;
      payg_before_first_purchase: boolean;
      first_payg_use_at: Date | null;
      same_entity_has_paid_history: boolean;
      shared_paid: boolean;
    }[]
  >`
    SELECT c.first_paid_purchase_at, c.last_consumption_at, c.payg_before_first_purchase, c.first_payg_use_at,
           c.same_entity_has_paid_history,
           ${sharedPaidHistory(sql)} AS shared_paid
      FROM customers c WHERE c.id = ${customerId}`;
  if (!row) return { firstPaidPurchaseAt: null, lastConsumptionAt: null, sameEntityHasPaidHistory: false, payAsYouGoBeforeFirstPurchase: false };
  const firstPaid = ms(row.first_paid_purchase_at);
  const firstPayg = ms(row.first_payg_use_at);
  return {
    firstPaidPurchaseAt: firstPaid,
    lastConsumptionAt: ms(row.last_consumption_at),
    sameEntityHasPaidHistory: row.same_entity_has_paid_history || row.shared_paid,
    payAsYouGoBeforeFirstPurchase: row.payg_before_first_purchase || (firstPayg !== null && (firstPaid === null || firstPayg < firstPaid)),
  };
}

/**
 * Folds purchase facts seen by this system into the customer row (created if missing), safe to
 * repeat: the first paid purchase and first pay-as-you-go use keep the earliest instant, the last
 * consumption the latest (a paid purchase also counts as consumption).
 */
export async function recordPurchaseFacts(
  sql: Sql,
  customerId: string,
  facts: { paidPurchaseAtMs?: number; paygUseAtMs?: number; consumptionAtMs?: number },
): Promise<void> {
  const d = (n: number | undefined) => (n === undefined ? null : new Date(n));
  const consumption = [facts.consumptionAtMs, facts.paidPurchaseAtMs].filter((n): n is number => n !== undefined);
  const lastConsumption = consumption.length ? new Date(Math.max(...consumption)) : null;
  await sql`
    INSERT INTO customers (id, first_paid_purchase_at, first_payg_use_at, last_consumption_at)
    VALUES (${customerId}, ${d(facts.paidPurchaseAtMs)}, ${d(facts.paygUseAtMs)}, ${lastConsumption})
    ON CONFLICT (id) DO UPDATE SET
      first_paid_purchase_at = least(customers.first_paid_purchase_at, EXCLUDED.first_paid_purchase_at),
      first_payg_use_at      = least(customers.first_payg_use_at, EXCLUDED.first_payg_use_at),
      last_consumption_at    = greatest(customers.last_consumption_at, EXCLUDED.last_consumption_at),
      updated_at = now()`;
}

/** Customer facts as the identity system reports them (PUT /v1/customers/{id}); instants in ms.
 * Omitted fields are unchanged; instants are folded like recordPurchaseFacts. */
export interface ReportedFacts {
  firstPaidPurchaseAtMs?: number;
  lastConsumptionAtMs?: number;
  firstPaygUseAtMs?: number;
  paygBeforeFirstPurchase?: boolean;
  sameEntityHasPaidHistory?: boolean;
}

/** Upserts a customer: facts, R-ATTR-7 non-associable reason (null clears it; undefined keeps)
 * and identity as of `atMs`. Returns whether it was created and which identity attributes changed. */
export async function upsertCustomer(
  sql: Sql,
  secret: string,
  customerId: string,
  input: { facts?: ReportedFacts; nonAssociableReason?: NonAssociableReason | null; identity?: IdentityInput },
  atMs: number,
): Promise<{ created: boolean; identityChanged: IdentityAttr[] }> {
  const created = await ensureCustomer(sql, secret, customerId, atMs);
  const f = input.facts ?? {};
  await recordPurchaseFacts(sql, customerId, { paidPurchaseAtMs: f.firstPaidPurchaseAtMs, paygUseAtMs: f.firstPaygUseAtMs, consumptionAtMs: f.lastConsumptionAtMs });
  // What was reported, kept apart from what orders show (the settlement derives those itself).
  const d = (n: number | undefined) => (n === undefined ? null : new Date(n));
  await sql`
    UPDATE customers SET
      reported_first_paid_purchase_at = least(reported_first_paid_purchase_at, ${d(f.firstPaidPurchaseAtMs)}),
      reported_first_payg_use_at      = least(reported_first_payg_use_at, ${d(f.firstPaygUseAtMs)}),
      reported_last_consumption_at    = greatest(reported_last_consumption_at, ${d(f.lastConsumptionAtMs)})
    WHERE id = ${customerId}`;
  const nar = input.nonAssociableReason;
  await sql`
    UPDATE customers SET
      payg_before_first_purchase   = coalesce(${f.paygBeforeFirstPurchase ?? null}::boolean, payg_before_first_purchase),
      same_entity_has_paid_history = coalesce(${f.sameEntityHasPaidHistory ?? null}::boolean, same_entity_has_paid_history),
      non_associable_at     = CASE WHEN ${nar === undefined}::boolean THEN non_associable_at
                                   WHEN ${nar ?? null}::text IS NULL THEN NULL
                                   WHEN non_associable_reason IS NOT DISTINCT FROM ${nar ?? null}::text THEN non_associable_at
                                   ELSE ${new Date(atMs)} END,
      non_associable_reason = CASE WHEN ${nar === undefined}::boolean THEN non_associable_reason ELSE ${nar ?? null}::text END,
      updated_at = now()
    WHERE id = ${customerId}`;
  const identityChanged = input.identity
    ? await setIdentity(sql, secret, { kind: 'customer', id: customerId, accountId: customerId }, input.identity, atMs)
    : [];
  return { created, identityChanged };
}
