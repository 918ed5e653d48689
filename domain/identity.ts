/**
 * Same person (同人, R-SAME-1) and identity changes (R-SAME-2), judged on identity attributes kept
 * as keyed hashes with validity intervals (the identity repository loads them). Pure: the
 * caller passes the rows and the instants.
 */

export const IDENTITY_ATTRS = ['id_document', 'phone', 'email', 'linked_account'] as const;
export type IdentityAttr = (typeof IDENTITY_ATTRS)[number];
export type SubjectKind = 'customer' | 'ambassador';
/** The attributes whose change voids a pending reward (R-SAME-2). */
export const SAME_2_ATTRS: readonly IdentityAttr[] = ['id_document', 'phone', 'email'];

/** One identity attribute value of a subject, valid from `validFrom` until `validTo` (exclusive, null = still valid). */
export interface IdentityRow {
  subject: SubjectKind;
  subjectId: string;
  attr: IdentityAttr;
  valueHash: string;
  validFrom: number;
  validTo: number | null;
}

export interface IdentityChange {
  subject: SubjectKind;
  attr: IdentityAttr;
  at: number;
}

const validAt = (r: IdentityRow, atMs: number | undefined) =>
  atMs === undefined ? r.validTo === null : r.validFrom <= atMs && (r.validTo === null || r.validTo > atMs);

/**
 * R-SAME-1: the ambassador and the customer are the same person when the customer is the
 * ambassador's own account, or any identity hash (ID document, phone, email, linked account) of
 * the two matches — currently, or at `atMs` when given. Returns what matched ([] = not the same).
 */
export function samePersonMatches(
  ambassador: { accountId: string; rows: readonly IdentityRow[] },
  customer: { id: string; rows: readonly IdentityRow[] },
  atMs?: number,
): string[] {
  const matched = new Set<string>();
  if (ambassador.accountId === customer.id) matched.add('account');
  const customerHashes = new Set(customer.rows.filter((r) => validAt(r, atMs)).map((r) => `${r.attr}:${r.valueHash}`));
  for (const r of ambassador.rows) if (validAt(r, atMs) && customerHashes.has(`${r.attr}:${r.valueHash}`)) matched.add(r.attr);
  return [...matched].sort((a, b) => (a === 'account' ? -1 : b === 'account' ? 1 : a.localeCompare(b)));
}

/**
 * R-SAME-2: changes of ID document, phone or email strictly after `sinceMs`, oldest first. A first
 * value for an attribute (registration) is not a change; a replacement, a removal, or a new value
 * after an earlier one is.
 */
export function identityChangesAfter(rows: readonly IdentityRow[], sinceMs: number): IdentityChange[] {
  const out = new Map<string, IdentityChange>();
  const add = (r: IdentityRow, at: number) => out.set(`${r.subject}:${r.attr}:${at}`, { subject: r.subject, attr: r.attr, at });
  const same2 = rows.filter((r) => SAME_2_ATTRS.includes(r.attr));
  for (const r of same2) {
    if (r.validTo !== null && r.validTo > sinceMs) add(r, r.validTo);
    if (r.validFrom > sinceMs && same2.some((p) => p.subject === r.subject && p.subjectId === r.subjectId && p.attr === r.attr && p.validFrom < r.validFrom)) add(r, r.validFrom);
  }
  return [...out.values()].sort((a, b) => a.at - b.at || a.subject.localeCompare(b.subject) || a.attr.localeCompare(b.attr));
}
