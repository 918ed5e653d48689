/**
 * Associations (关联): clicks on promotion links (R-ATTR-1) and attribution of orders (R-ATTR-5).
 * A click is resolved here (ambassador by usercode, rule set and window at the click, refusal:
 * domain/refusals.ts), then sent to the customer's workflow; refused clicks are sent too, so
 * they land in the customer's timeline.
 */
import { associationAt, recordClickInWorkflow } from '../contracts/associations/client';
import { customerWorkflowId, type Attribution, type Click, type ClickOutcome, type ProjectionInput } from '../contracts/associations';
import { hasOrdersPlacedSince, projectAssociationChange } from '../db/repositories/associations';
import { settleCustomerOrders } from './orders/settlement';
import { associationEndMs } from '../domain/rulesets';
import { clickRefusal } from '../domain/refusals';
import { findAmbassadorByUsercode, getAmbassador, levelAt } from '../db/repositories/ambassadors';
import { ensureCustomer, nonAssociableReason } from '../db/repositories/customers';
import { isSamePerson } from '../db/repositories/identity';
import { customerTemporalOptions, nowOf, type Deps } from './deps';

export interface ClickInput {
  customerId: string;
  usercode: string;
  clickId: string;
  occurredAtMs: number;
}

export type RecordedClick =
  | { ok: true; workflowId: string; click: Click; outcome: ClickOutcome }
  | { ok: false; code: 'no_rule_set'; reason: string }
  | { ok: false; code: 'unknown_usercode'; reason: string; workflowId: string }
  | { ok: false; code: 'temporarily_unavailable'; reason: string };

/** Resolves a click and sends it to the customer's workflow (an unknown usercode is recorded in
 * the customer's timeline too, and answered as such). */
export async function recordClick(deps: Deps, input: ClickInput): Promise<RecordedClick> {
  const { sql, config, ruleBook, client } = deps;
  const at = input.occurredAtMs;
  let ruleSet;
  try {
    ruleSet = ruleBook.at(at);
  } catch {
    return { ok: false, code: 'no_rule_set', reason: `no rule set is in force at ${new Date(at).toISOString()}` };
  }
  const [ambassador] = await Promise.all([
    findAmbassadorByUsercode(sql, input.usercode),
    ensureCustomer(sql, config.IDENTITY_HMAC_SECRET, input.customerId, nowOf(deps)),
  ]);
  const facts = {
    usercode: input.usercode,
    ambassador: ambassador ? { kind: ambassador.kind, realNameVerified: ambassador.real_name_verified } : null,
    nonAssociableReason: ambassador ? await nonAssociableReason(sql, input.customerId) : null,
  };
  let refusal = clickRefusal(facts, ruleSet);
  if (!refusal && ambassador) {
    const same = await isSamePerson(sql, ambassador.id, input.customerId);
    refusal = clickRefusal({ ...facts, samePersonMatchedOn: same.matchedOn ?? [] }, ruleSet);
  }
  const click: Click = {
    clickId: input.clickId,
    usercode: input.usercode,
    ambassadorId: ambassador?.id ?? null,
    occurredAt: at,
    ruleSetVersion: ruleSet.version,
    windowMs: associationEndMs(at, ruleSet) - at,
    ...(refusal ? { refusal } : {}),
  };
  let workflowId: string;
  let outcome: ClickOutcome;
  try {
    ({ workflowId, outcome } = await recordClickInWorkflow(client, input.customerId, click, customerTemporalOptions(config)));
  } catch (err) {
    deps.logger.error({ err, customerId: input.customerId }, 'click signal failed');
    return { ok: false, code: 'temporarily_unavailable', reason: 'the click could not be recorded now; retry with the same clickId (repeats change nothing)' };
  }
  if (!ambassador) return { ok: false, code: 'unknown_usercode', reason: `no ambassador has usercode ${input.usercode}; no association (关联) was made`, workflowId };
  return { ok: true, workflowId, click, outcome };
}

/**
 * Mirrors a batch of association changes into Postgres (idempotent); when the batch may have
 * changed who was associated at some instant (a click, above all a late one), the customer's
 * orders placed since are settled again, so their attribution follows the interval history.
 */
export async function projectAssociations(deps: Pick<Deps, 'sql' | 'client' | 'ruleBook' | 'config' | 'logger'>, input: ProjectionInput): Promise<void> {
  await projectAssociationChange(deps.sql, input);
  const from = input.changedFromMs;
  if (from != null && (await hasOrdersPlacedSince(deps.sql, input.customerId, from))) {
    const click = input.events.find((e) => e.kind === 'click');
    await settleCustomerOrders(deps, input.customerId, input.nowMs ?? Date.now(), `a click${click?.clickId ? ` (${click.clickId})` : ''} at ${new Date(from).toISOString()} changed the customer's associations`);
  }
}

/**
 * R-ATTR-5: the association in force when the order was placed (start ≤ placedAt < end; a
 * switched association only before its switch), with the ambassador's level at that instant
 * (R-AMB-3). The workflow's interval history is the source of truth (a query); the level and
 * kind come from Postgres. The associationId is stable: cap reservations key on it.
 */
export async function attributeOrder(deps: Pick<Deps, 'sql' | 'client'>, input: { customerId: string; placedAtMs: number }): Promise<Attribution> {
  const workflowId = customerWorkflowId(input.customerId);
  const found = await associationAt(deps.client, input.customerId, input.placedAtMs);
  if (!found) {
    return { associated: false, reasonCode: 'NO_ASSOCIATION', reason: `customer ${input.customerId} never clicked an ambassador link (no association 关联)` };
  }
  const i = found.interval;
  if (!i) {
    return found.intervalCount === 0
      ? { associated: false, reasonCode: 'NO_ASSOCIATION', reason: `customer ${input.customerId} has no association (关联)` }
      : {
          associated: false,
          reasonCode: 'NOT_ASSOCIATED_AT_PLACEMENT',
          reason: `customer ${input.customerId} was not associated with any ambassador at ${new Date(input.placedAtMs).toISOString()}`,
        };
  }
  const [ambassador, level] = await Promise.all([getAmbassador(deps.sql, i.ambassadorId), levelAt(deps.sql, i.ambassadorId, input.placedAtMs)]);
  if (!ambassador || !level) throw new Error(`ambassador ${i.ambassadorId} of association ${i.associationId} has no row or level`);
  return {
    associated: true,
    ambassadorId: i.ambassadorId,
    associationId: i.associationId,
    associationStartedAt: i.startedAt,
    associationEndsAt: Math.min(i.endsAt, i.endedAt ?? i.endsAt),
    level,
    ambassadorKind: ambassador.kind,
    workflowId,
  };
}
