/**
 * Customers and identities in Postgres. Identity attributes (ID document, phone, email, linked
 * accounts) are stored only as keyed hashes (HMAC-SHA256 with IDENTITY_HMAC_SECRET) with validity
 * intervals, so every change is kept with its instant (R-SAME-1, R-SAME-2). Every account also
 * carries a self link (its own account id as a linked_account hash), so "A links B" matches B's
 * self link by plain hash equality, without the secret.
 */
import crypto from 'node:crypto';
import type { Sql } from '../db/client';
import type { CustomerFacts } from '../domain/classify';

export const IDENTITY_ATTRS = ['id_document', 'phone', 'email', 'linked_account'] as const;
export type IdentityAttr = (typeof IDENTITY_ATTRS)[number];
export type SubjectKind = 'customer' | 'ambassador';
/** The attributes whose change voids a pending reward (R-SAME-2). */
export const SAME_2_ATTRS: readonly IdentityAttr[] = ['id_document', 'phone', 'email'];

/** R-ATTR-7: customers the vendor's own sales already reach. */
export const NON_ASSOCIABLE_REASONS = {
  cloud_business_manager: 'served by a cloud business manager (云业务经理)',
  telesales: 'reached by telesales (电销)',
  distribution_partner: 'served by a distribution partner (分销伙伴)',
  ppl_reported: 'reported by a PPL partner (PPL报备)',
} as const;
export type NonAssociableReason = keyof typeof NON_ASSOCIABLE_REASONS;

/** Plaintext identity as the identity system sends it: single values (null removes) and the
 * full set of linked accounts. Omitted fields are left as they are. */
export interface IdentityInput {
  idDocument?: string | null;
  phone?: string | null;
  email?: string | null;
  linkedAccounts?: string[];
}

export function normalizeIdentity(attr: IdentityAttr, value: string): string {
  const v = value.trim();
  if (attr === 'email') return v.toLowerCase();
  if (attr === 'phone') return v.replace(/[\s-]/g, '');
  if (attr === 'id_document') return v.replace(/\s/g, '').toUpperCase();
  return v;
}

/** Keyed hash of one normalized attribute value; the attribute name is part of the input. */
export function hmacIdentity(secret: string, attr: IdentityAttr, value: string): string {
  return crypto.createHmac('sha256', secret).update(`${attr}:${normalizeIdentity(attr, value)}`).digest('hex');
}

/** Desired hashes per attribute for the attributes present in `input`. */
function desiredHashes(secret: string, input: IdentityInput, selfAccountId: string): Map<IdentityAttr, Set<string>> {
  const out = new Map<IdentityAttr, Set<string>>();
  const single = (attr: IdentityAttr, v: string | null | undefined) => {
    if (v === undefined) return;
    out.set(attr, new Set(v === null || v.trim() === '' ? [] : [hmacIdentity(secret, attr, v)]));
  };
  single('id_document', input.idDocument);
  single('phone', input.phone);
  single('email', input.email);
  if (input.linkedAccounts !== undefined) {
    out.set('linked_account', new Set([selfAccountId, ...input.linkedAccounts].map((a) => hmacIdentity(secret, 'linked_account', a))));
  }
  return out;
}

export interface IdentityChange {
  subject: SubjectKind;
  attr: IdentityAttr;
  at: number;
}

/**
 * Makes the subject's current identity equal to `input` as of `atMs`: rows whose hash is no longer
 * wanted are closed at atMs, new hashes open at atMs; unchanged values are untouched (repeating a
 * report changes nothing). The self link is always kept. Returns the attributes that changed.
 */
export async function setIdentity(
  sql: Sql,
  secret: string,
  subject: { kind: SubjectKind; id: string; accountId: string },
  input: IdentityInput,
  atMs: number,
): Promise<IdentityAttr[]> {
  const wanted = desiredHashes(secret, input, subject.accountId);
  if (!wanted.has('linked_account')) wanted.set('linked_account', new Set([hmacIdentity(secret, 'linked_account', subject.accountId)]));
  const at = new Date(atMs);
  const changed: IdentityAttr[] = [];
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`identity:${subject.kind}:${subject.id}`}))`;
    const current = await tx<{ id: number; attr: IdentityAttr; value_hash: string }[]>`
      SELECT id, attr, value_hash FROM identity_attributes
       WHERE subject_kind = ${subject.kind} AND subject_id = ${subject.id} AND valid_to IS NULL`;
    for (const [attr, hashes] of wanted) {
      const have = current.filter((r) => r.attr === attr);
      const close = have.filter((r) => !hashes.has(r.value_hash)).map((r) => r.id);
      const open = [...hashes].filter((h) => !have.some((r) => r.value_hash === h));
      if (close.length) {
        await tx`UPDATE identity_attributes SET valid_to = greatest(${at}, valid_from) WHERE id IN ${tx(close)}`;
      }
      for (const h of open) {
        await tx`INSERT INTO identity_attributes (subject_kind, subject_id, attr, value_hash, valid_from)
                 VALUES (${subject.kind}, ${subject.id}, ${attr}, ${h}, ${at})`;
      }
      if (close.length || open.length) changed.push(attr);
    }
  });
  return changed;
}

/** Creates the customer row (and its self link) if it does not exist yet; returns true if created. */
export async function ensureCustomer(sql: Sql, secret: string, customerId: string, atMs: number): Promise<boolean> {
  const rows = await sql`INSERT INTO customers (id) VALUES (${customerId}) ON CONFLICT (id) DO NOTHING RETURNING id`;
  if (rows.length) await setIdentity(sql, secret, { kind: 'customer', id: customerId, accountId: customerId }, {}, atMs);
  return rows.length > 0;
}

/** Valid at an instant (valid_from ≤ t < valid_to), or currently valid when no instant is given. */
const validAt = (sql: Sql, alias: string, atMs?: number) =>
  atMs === undefined
    ? sql`${sql(alias)}.valid_to IS NULL`
    : sql`${sql(alias)}.valid_from <= ${new Date(atMs)} AND (${sql(alias)}.valid_to IS NULL OR ${sql(alias)}.valid_to > ${new Date(atMs)})`;

/**
 * R-SAME-1: the ambassador and the customer are the same person when the customer is the
 * ambassador's own account, or any identity hash (ID document, phone, email, linked account) of
 * the two matches — currently, or at `atMs` when given.
 */
export async function isSamePerson(
  sql: Sql,
  ambassadorId: string,
  customerId: string,
  atMs?: number,
): Promise<{ same: boolean; matchedOn?: string[] }> {
  const [amb] = await sql<{ account_id: string }[]>`SELECT account_id FROM ambassadors WHERE id = ${ambassadorId}`;
  const matched = new Set<string>();
  if (amb?.account_id === customerId) matched.add('account');
  const rows = await sql<{ attr: string }[]>`
    SELECT DISTINCT a.attr FROM identity_attributes a
      JOIN identity_attributes c ON c.attr = a.attr AND c.value_hash = a.value_hash
     WHERE a.subject_kind = 'ambassador' AND a.subject_id = ${ambassadorId} AND ${validAt(sql, 'a', atMs)}
       AND c.subject_kind = 'customer' AND c.subject_id = ${customerId} AND ${validAt(sql, 'c', atMs)}
     ORDER BY a.attr`;
  for (const r of rows) matched.add(r.attr);
  return matched.size ? { same: true, matchedOn: [...matched] } : { same: false };
}

/**
 * R-SAME-2: changes of the ambassador's or the customer's ID document, phone or email strictly
 * after `sinceMs`. A first value for an attribute (registration) is not a change; a replacement,
 * a removal, or a new value after an earlier one is.
 */
export async function identityChangedSince(
  sql: Sql,
  input: { ambassadorId: string; customerId: string; sinceMs: number },
): Promise<{ changed: boolean; changes: IdentityChange[] }> {
  const since = new Date(input.sinceMs);
  const rows = await sql<{ subject_kind: SubjectKind; attr: IdentityAttr; at: Date }[]>`
    WITH subj AS (
      SELECT * FROM identity_attributes
       WHERE attr IN ${sql(SAME_2_ATTRS as IdentityAttr[])}
         AND ((subject_kind = 'ambassador' AND subject_id = ${input.ambassadorId})
           OR (subject_kind = 'customer' AND subject_id = ${input.customerId})))
    SELECT subject_kind, attr, valid_to AS at FROM subj WHERE valid_to > ${since}
    UNION
    SELECT i.subject_kind, i.attr, i.valid_from FROM subj i
     WHERE i.valid_from > ${since}
       AND EXISTS (SELECT 1 FROM subj p WHERE p.subject_kind = i.subject_kind AND p.attr = i.attr AND p.valid_from < i.valid_from)
    ORDER BY at, subject_kind, attr`;
  const changes = rows.map((r) => ({ subject: r.subject_kind, attr: r.attr, at: r.at.getTime() }));
  return { changed: changes.length > 0, changes };
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

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
           EXISTS (
             SELECT 1 FROM identity_attributes me
               JOIN identity_attributes o ON o.attr = me.attr AND o.value_hash = me.value_hash
                AND o.subject_kind = 'customer' AND o.subject_id <> me.subject_id AND o.valid_to IS NULL
               JOIN customers oc ON oc.id = o.subject_id AND oc.first_paid_purchase_at IS NOT NULL
              WHERE me.subject_kind = 'customer' AND me.subject_id = c.id AND me.valid_to IS NULL) AS shared_paid
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
