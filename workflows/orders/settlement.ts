/**
 * One order's settlement by facts (docs/settlement.md), workflow ID `order:<orderId>`:
 *
 *   settle at placement (the customer's orders judged together, the reward granted to pending)
 *   → sleep until the next installment falls due → settle (credited) → … → nothing more due: end
 *
 * Refunds and findings arrive at any moment, as signals (fire and forget) or Updates (validated;
 * the answer says what they did), and are settled at once, whatever the order's state, with the
 * instants they carry. A `reconcile` signal (another order, a click or an identity change moved
 * this order's outcome) settles at once too. A run that ended is started again (resume) by the
 * next fact. Every step is one local activity; the review's end needs no step of its own (the
 * first credit comes 30 days after it), so a settled two-installment order costs 8 billable actions.
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import { FailureType } from '../../contracts/errors';
import {
  findingUpdate,
  invalidateSignal,
  orderStatusQuery,
  reconcileSignal,
  refundSignal,
  refundUpdate,
  type FactOutcome,
  type OrderFactInput,
  type OrderSnapshot,
  type OrderStatus,
  type OrderWorkflowInput,
} from '../../contracts/orders';
import { AmbassadorIdKey, OrderStateKey } from '../../contracts/search-attributes';
import { cnyToYunqi } from '../../domain/money';
import { factKey, findingFact, refundFact, validateFinding, validateRefund, type OrderBounds } from './facts';

const acts = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  // Bounded: an order that cannot be settled for about two hours ends `failed`, visibly.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 30, nonRetryableErrorTypes: [FailureType.orderConflict, FailureType.orderNotRecorded, FailureType.orderUnassessable] },
});

export async function settleByFacts(input: OrderWorkflowInput): Promise<OrderStatus> {
  const orderId = input.order?.orderId ?? input.resume!.orderId;
  const info = workflowInfo();
  const status: OrderStatus = { orderId, state: 'received', ambassadorId: null, rewardYunqi: 0, creditedYunqi: 0, reviewEndsAtMs: null, installments: [], timeline: [] };
  let snapshot: OrderSnapshot | null = null;
  const bounds: OrderBounds = {
    placedAtMs: input.order ? Date.parse(input.order.placedAt) : null,
    paidYunqi: input.order ? cnyToYunqi(input.order.paidAmount) : (((info.memo as { paidYunqi?: number } | undefined)?.paidYunqi) ?? null),
    refundedYunqi: 0,
  };
  const inbox: OrderFactInput[] = [];
  const queued = new Set<string>();
  const answers = new Map<string, FactOutcome>();
  let reconcile: string | null = null;

  const enqueue = (f: OrderFactInput): string => {
    const key = factKey(f);
    if (!queued.has(key)) {
      queued.add(key);
      inbox.push(f);
    }
    return key;
  };
  const answered = async (key: string) => {
    await condition(() => answers.has(key));
    return answers.get(key)!;
  };
  setHandler(refundSignal, (r) => void enqueue(refundFact(r, Date.now())));
  setHandler(invalidateSignal, (f) => void enqueue(findingFact(f, Date.now())));
  setHandler(reconcileSignal, ({ because }) => void (reconcile = because));
  setHandler(refundUpdate, (r) => answered(enqueue(refundFact(r, Date.now()))), { validator: (r) => validateRefund(r, bounds, Date.now()) });
  setHandler(findingUpdate, (f) => answered(enqueue(findingFact(f, Date.now()))), { validator: (f) => validateFinding(f, bounds, Date.now()) });
  setHandler(orderStatusQuery, () => status);

  let shownState: string | null = null;
  const show = (final: boolean) => {
    if (!input.searchAttributes || status.state === shownState || (!final && shownState !== null)) return;
    upsertSearchAttributes([{ key: OrderStateKey, value: status.state }, ...(status.ambassadorId ? [{ key: AmbassadorIdKey, value: status.ambassadorId }] : [])]);
    shownState = status.state;
  };
  const apply = (s: OrderSnapshot) => {
    snapshot = s;
    const { events, nextWakeAtMs: _next, paidYunqi, refundedYunqi, ...rest } = s;
    Object.assign(status, rest);
    if (paidYunqi !== undefined) bounds.paidYunqi = paidYunqi;
    bounds.refundedYunqi = refundedYunqi ?? bounds.refundedYunqi;
    const known = new Set(status.timeline.map((e) => e.key));
    status.timeline.push(...events.filter((e) => !known.has(e.key)));
  };
  const step = async (facts: OrderFactInput[], because?: string) => {
    try {
      const r = await acts.settleOrder({
        orderId,
        nowMs: Date.now(),
        ...(snapshot === null && input.order ? { placement: { order: input.order, bodyHash: input.bodyHash!, workflowId: info.workflowId, runId: info.runId } } : {}),
        facts,
        ...(because ? { because } : {}),
      });
      apply(r.snapshot);
      for (const f of r.facts) {
        const s = r.snapshot;
        const summary = [...s.events].reverse().find((e) => e.key.endsWith(`:${f.kind}:${f.id}`))?.summary ?? `${f.kind} ${f.id} ${f.result}`;
        answers.set(`${f.kind}:${f.id}`, { orderId, applied: f.result === 'recorded', duplicate: f.result === 'duplicate', conflict: f.result === 'conflict', state: s.state, rewardYunqi: s.rewardYunqi, creditedYunqi: s.creditedYunqi, summary });
      }
      return true;
    } catch (err) {
      // A local activity's failure may come as the ActivityFailure or as its cause.
      const cause = (err instanceof ActivityFailure ? err.cause : err) as Error | undefined;
      if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure) || (cause instanceof ApplicationFailure && cause.type === FailureType.orderConflict)) throw err;
      // Retries ran out, or the order can never be assessed: it ends `failed`, visibly.
      await acts.markOrderFailed({ orderId, order: input.order, workflowId: info.workflowId, runId: info.runId, error: cause?.message ?? (err as Error).message, nowMs: Date.now() });
      status.state = 'failed';
      for (const f of facts) answers.set(factKey(f), { orderId, applied: false, duplicate: false, conflict: false, state: 'failed', rewardYunqi: 0, creditedYunqi: 0, summary: 'the order could not be settled' });
      return false;
    }
  };

  if (!(await step([]))) return status;
  show(false);
  for (;;) {
    if (inbox.length > 0 || reconcile !== null) {
      const because = reconcile ?? undefined;
      reconcile = null;
      if (!(await step(inbox.splice(0), because))) break;
      continue;
    }
    const next = (snapshot as OrderSnapshot | null)?.nextWakeAtMs ?? null;
    if (next === null) {
      // Nothing more falls due: finish, unless a message arrived meanwhile.
      await condition(allHandlersFinished);
      if (inbox.length > 0 || reconcile !== null) continue;
      break;
    }
    const left = next - Date.now();
    if (left > 0 && (await condition(() => inbox.length > 0 || reconcile !== null, left))) continue;
    if (!(await step([]))) break;
  }
  show(true);
  return status;
}
