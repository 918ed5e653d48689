/**
 * Identities in Postgres. Identity attributes (ID document, phone, email, linked accounts) are
 * stored only as keyed hashes (HMAC-SHA256 with IDENTITY_HMAC_SECRET) with validity intervals, so
 * every change is kept with its instant (R-SAME-1, R-SAME-2). Every account also carries a self
 * link (its own account id as a linked_account hash), so "A links B" matches B's self link by
 * plain hash equality, without the secret. The same-person and change rules are domain/identity.ts.
 */
import crypto from 'node:crypto';
import type { Sql } from '../client';
import {
  identityChangesAfter,
  samePersonMatches,
  type IdentityAttr,
  type IdentityChange,
  type IdentityRow,
  type SubjectKind,
} from '../../domain/identity';

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

/** Every identity row (current and past) of the given subjects. */
export async function identityRows(sql: Sql, subjects: { kind: SubjectKind; id: string }[]): Promise<IdentityRow[]> {
  if (subjects.length === 0) return [];
  const rows = await sql<{ subject_kind: SubjectKind; subject_id: string; attr: IdentityAttr; value_hash: string; valid_from: Date; valid_to: Date | null }[]>`
    SELECT subject_kind, subject_id, attr, value_hash, valid_from, valid_to FROM identity_attributes
     WHERE (subject_kind, subject_id) IN (SELECT * FROM unnest(${sql.array(subjects.map((s) => s.kind)) as never}::text[],
                                                               ${sql.array(subjects.map((s) => s.id)) as never}::text[]))`;
  return rows.map((r) => ({ subject: r.subject_kind, subjectId: r.subject_id, attr: r.attr, valueHash: r.value_hash, validFrom: r.valid_from.getTime(), validTo: r.valid_to?.getTime() ?? null }));
}

/** R-SAME-1 for one ambassador and one customer, currently or at `atMs` (domain/identity.ts). */
export async function isSamePerson(sql: Sql, ambassadorId: string, customerId: string, atMs?: number): Promise<{ same: boolean; matchedOn?: string[] }> {
  const [[amb], rows] = await Promise.all([
    sql<{ account_id: string }[]>`SELECT account_id FROM ambassadors WHERE id = ${ambassadorId}`,
    identityRows(sql, [{ kind: 'ambassador', id: ambassadorId }, { kind: 'customer', id: customerId }]),
  ]);
  const matched = samePersonMatches(
    { accountId: amb?.account_id ?? '', rows: rows.filter((r) => r.subject === 'ambassador') },
    { id: customerId, rows: rows.filter((r) => r.subject === 'customer') },
    atMs,
  );
  return matched.length ? { same: true, matchedOn: matched } : { same: false };
}

/** R-SAME-2: changes of the ambassador's or the customer's ID document, phone or email after `sinceMs`. */
export async function identityChangedSince(
  sql: Sql,
  input: { ambassadorId: string; customerId: string; sinceMs: number },
): Promise<{ changed: boolean; changes: IdentityChange[] }> {
  const rows = await identityRows(sql, [{ kind: 'ambassador', id: input.ambassadorId }, { kind: 'customer', id: input.customerId }]);
  const changes = identityChangesAfter(rows, input.sinceMs);
  return { changed: changes.length > 0, changes };
}
