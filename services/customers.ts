/**
 * Customers: what the identity system reports (identity hashed, purchase facts, the R-ATTR-7
 * non-associable reason, identity changes kept with their instant for R-SAME-2), and the ops view
 * of a customer's associations (关联) and timeline.
 */
import { customerWorkflowId } from '../contracts/ids';
import { SAME_2_ATTRS, type IdentityAttr } from '../domain/identity';
import { wakeOrdersAfterIdentityChange } from './orders/wake';
import { NON_ASSOCIABLE_REASONS, type NonAssociableReason } from '../domain/refusals';
import { customerAssociationHistory, type AssociationRow } from '../db/repositories/associations';
import { customerFacts, ensureCustomer, nonAssociableReason, upsertCustomer, type ReportedFacts } from '../db/repositories/customers';
import { setIdentity, type IdentityInput } from '../db/repositories/identity';
import { nowOf, type Deps } from './deps';

const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
const isoDate = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Purchase facts as the API shows them (instants as ISO strings). */
export async function factsView(deps: Pick<Deps, 'sql'>, customerId: string) {
  const f = await customerFacts(deps.sql, customerId);
  return { ...f, firstPaidPurchaseAt: iso(f.firstPaidPurchaseAt), lastConsumptionAt: iso(f.lastConsumptionAt) };
}

/** Upserts a customer from the identity system and answers what is now stored. */
export async function reportCustomer(
  deps: Deps,
  customerId: string,
  input: { identity?: IdentityInput; nonAssociableReason?: NonAssociableReason | null; facts: ReportedFacts; observedAtMs?: number },
) {
  const atMs = input.observedAtMs ?? nowOf(deps);
  const out = await upsertCustomer(deps.sql, deps.config.IDENTITY_HMAC_SECRET, customerId, input, atMs);
  return { customerId, ...out, nonAssociableReason: await nonAssociableReason(deps.sql, customerId), facts: await factsView(deps, customerId) };
}

/** The customer's identity as of an instant; answers the attributes that changed. */
export async function reportCustomerIdentity(deps: Deps, customerId: string, identity: IdentityInput, changedAtMs?: number): Promise<IdentityAttr[]> {
  const atMs = changedAtMs ?? nowOf(deps);
  await ensureCustomer(deps.sql, deps.config.IDENTITY_HMAC_SECRET, customerId, atMs);
  const changed = await setIdentity(deps.sql, deps.config.IDENTITY_HMAC_SECRET, { kind: 'customer', id: customerId, accountId: customerId }, identity, atMs);
  if (changed.some((a) => SAME_2_ATTRS.includes(a))) await wakeOrdersAfterIdentityChange(deps, { kind: 'customer', id: customerId }, atMs);
  return changed;
}

const associationView = (a: AssociationRow) => ({
  associationId: a.id,
  ambassadorId: a.ambassador_id,
  usercode: a.usercode,
  startedAt: a.started_at.toISOString(),
  endsAt: a.ends_at.toISOString(),
  endedAt: isoDate(a.ended_at),
  endReason: a.end_reason,
  ruleSetVersion: a.rule_set_version,
});

/** A customer's current association, every past one and the whole timeline; undefined when the customer is unknown and never clicked. */
export async function customerAssociations(deps: Deps, customerId: string) {
  const { customer, associations, events } = await customerAssociationHistory(deps.sql, customerId);
  if (!customer && events.length === 0) return undefined;
  const now = nowOf(deps);
  const open = associations.find((a) => a.ended_at === null && a.ends_at.getTime() > now);
  const nar = customer?.non_associable_reason;
  return {
    customerId,
    workflowId: customerWorkflowId(customerId),
    nonAssociableReason: nar ? { code: nar, reason: NON_ASSOCIABLE_REASONS[nar], since: isoDate(customer?.non_associable_at) } : null,
    current: open ? associationView(open) : null,
    associations: associations.map(associationView),
    timeline: events.map((e) => ({
      seq: e.seq,
      kind: e.kind,
      at: e.at.toISOString(),
      clickId: e.click_id,
      ambassadorId: e.ambassador_id,
      associationId: e.association_id,
      detail: e.detail,
    })),
  };
}
