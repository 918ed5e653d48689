/**
 * The order workflow as it ran before the settlement model (selected by the input, see index.ts): runs
 * started then replay and continue on this code; their steps are activities that now settle by
 * facts too (activities/orders.ts). New runs take workflows/orders/settlement.ts.
 *
 *   assess (attribution, eligibility, commission + cap reservation, reward granted to pending)
 *   → review period (审核期): a refund or finding voids (R-REV-1)
 *   → review passed → installment 1 (+30 days) → [installment 2 (+30 days more)] → completed (R-PAY-3)
 *
 * Refunds and findings arrive as signals at any time and are applied between steps, in order.
 * Steps are local activities (each is a short, idempotent Postgres transaction), which keeps a
 * settled two-installment order at a handful of billable actions and about 25 history events.
 * Waiting is `condition(inbox not empty, until next due)`: one timer per step.
 */
import { allHandlersFinished, condition, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import { FailureType } from '../../contracts/errors';
import {
  TERMINAL_STATES,
  invalidateSignal,
  orderStatusQuery,
  refundSignal,
  type Finding,
  type OrderSnapshot,
  type OrderStatus,
  type OrderPlaced,
  type OrderWorkflowInput,
  type RefundRequest,
  type TimelineEvent,
} from '../../contracts/orders';
import { AmbassadorIdKey, OrderStateKey } from '../../contracts/search-attributes';
import { cnyToYunqi } from '../../domain/money';

const acts = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [FailureType.orderConflict, FailureType.orderNotRecorded] },
});

type InboxItem = { kind: 'refund'; refund: RefundRequest } | { kind: 'finding'; finding: Finding };

/** `input` is a placement: runs before the patch were never resumed. */
export async function legacyOrderSettlement(input: OrderWorkflowInput & { order: OrderPlaced }): Promise<OrderStatus> {
  const { order } = input;
  const status: OrderStatus = {
    orderId: order.orderId,
    state: 'received',
    ambassadorId: null,
    rewardYunqi: 0,
    creditedYunqi: 0,
    reviewEndsAtMs: null,
    installments: [],
    timeline: [],
  };
  const inbox: InboxItem[] = [];
  const seen = new Set<string>();
  setHandler(refundSignal, (refund) => {
    if (seen.has(`refund:${refund.refundId}`)) return; // repeated message: harmless
    seen.add(`refund:${refund.refundId}`);
    inbox.push({ kind: 'refund', refund });
  });
  setHandler(invalidateSignal, (finding) => {
    if (seen.has(`finding:${finding.findingId}`)) return;
    seen.add(`finding:${finding.findingId}`);
    inbox.push({ kind: 'finding', finding });
  });
  setHandler(orderStatusQuery, () => status);

  let lastState = '';
  const apply = (s: OrderSnapshot) => {
    const { events, ...rest } = s;
    Object.assign(status, rest);
    const known = new Set(status.timeline.map((e: TimelineEvent) => e.key));
    status.timeline.push(...events.filter((e) => !known.has(e.key)));
    if (input.searchAttributes && status.state !== lastState) {
      upsertSearchAttributes([
        { key: OrderStateKey, value: status.state },
        ...(status.ambassadorId ? [{ key: AmbassadorIdKey, value: status.ambassadorId }] : []),
      ]);
    }
    lastState = status.state;
  };
  const done = () => TERMINAL_STATES.includes(status.state);

  const drainInbox = async () => {
    while (inbox.length && !done()) {
      const item = inbox.shift()!;
      if (item.kind === 'refund') {
        const r = item.refund;
        apply(await acts.applyRefund({ orderId: order.orderId, refund: { refundId: r.refundId, amountYunqi: r.amount ? cnyToYunqi(r.amount) : 0, full: r.full }, atMs: Date.now() }));
      } else {
        apply(await acts.applyInvalidation({ orderId: order.orderId, finding: item.finding, atMs: Date.now() }));
      }
    }
  };

  /** Waits until `atMs`, applying refunds and findings as they come; false when the order ended. */
  const waitUntil = async (atMs: number): Promise<boolean> => {
    for (;;) {
      await drainInbox();
      if (done()) return false;
      const left = atMs - Date.now();
      if (left <= 0) return true;
      await condition(() => inbox.length > 0, left);
    }
  };

  const info = workflowInfo();
  apply(await acts.assessOrder({ order, bodyHash: input.bodyHash, workflowId: info.workflowId, runId: info.runId, nowMs: Date.now() }));

  if (status.state === 'in_review' && (await waitUntil(status.reviewEndsAtMs!))) {
    apply(await acts.passReview({ orderId: order.orderId, atMs: Date.now() }));
  }
  for (const n of status.installments.map((i) => i.n)) {
    if (status.state !== 'crediting') break;
    const due = status.installments.find((i) => i.n === n);
    if (!due || due.credited) continue;
    if (!(await waitUntil(due.dueAtMs))) break;
    apply(await acts.creditInstallment({ orderId: order.orderId, n, atMs: Date.now() }));
  }
  // Messages that arrived while the last step ran are applied before the run ends.
  await condition(allHandlersFinished);
  await drainInbox();
  return status;
}

/** A refund after a legacy run completed, as it was handled before the settlement model (a run of
 * its own, `order:<id>:refund:<refundId>`): kept so those runs replay; nothing starts new ones. */
export async function orderLateRefund(input: { orderId: string; refund: RefundRequest }): Promise<OrderSnapshot> {
  const r = input.refund;
  return acts.applyRefund({ orderId: input.orderId, refund: { refundId: r.refundId, amountYunqi: r.amount ? cnyToYunqi(r.amount) : 0, full: r.full }, atMs: Date.now() });
}
