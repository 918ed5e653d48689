/**
 * Order settlement activities. Each is idempotent: it locks the order row, and every ledger write
 * carries a key derived from the order and the step (`order:<id>:installment:<n>`), so a retry
 * after a crash changes nothing twice. Times come from the workflow (its clock), not the host's.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './index';
import type { Sql } from '../db/client';
import { createAssociationActivities } from './association';
import { customerFacts, identityChangedSince, isSamePerson, recordPurchaseFacts } from '../customers/identity';
import {
  classifyCustomer,
  computeCommission,
  cnyToYunqi,
  creditingPlan,
  daysToMs,
  orderEligibility,
  recomputeOnRefund,
  yunqiToCny,
  type CommissionInput,
  type RuleSet,
} from '../domain';
import { ambassador, postEntry, system, type Posting } from '../ledger';
import type { OrderPlaced, Invalidation } from '../orders/contract';
import type { OrderSnapshot, OrderState, OrderRefundInput, PlannedInstallment, TimelineEvent } from '../orders/types';

type Tx = Sql;

interface OrderRow {
  order_id: string;
  customer_id: string;
  body_hash: string;
  state: OrderState;
  ambassador_id: string | null;
  association_id: string | null;
  association_started_at: Date | null;
  placed_at: Date;
  rule_set_version: string | null;
  review_ends_at: Date | null;
  paid_yunqi: number;
  refunded_yunqi: number;
  granted_yunqi: number;
  credited_yunqi: number;
  installments: PlannedInstallment[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function event(key: string, kind: string, atMs: number, summary: string, detail?: Record<string, unknown>): TimelineEvent {
  return { key, kind, at: iso(atMs), summary, ...(detail ? { detail } : {}) };
}

async function recordEvents(tx: Tx, orderId: string, events: TimelineEvent[]): Promise<void> {
  for (const e of events) {
    await tx`INSERT INTO order_events (order_id, key, kind, at, summary, detail)
             VALUES (${orderId}, ${e.key}, ${e.kind}, ${e.at}, ${e.summary}, ${tx.json((e.detail ?? {}) as never)})
             ON CONFLICT (order_id, key) DO NOTHING`;
  }
}

function snapshot(row: OrderRow, events: TimelineEvent[]): OrderSnapshot {
  return {
    state: row.state,
    ambassadorId: row.ambassador_id,
    rewardYunqi: row.granted_yunqi,
    creditedYunqi: row.credited_yunqi,
    reviewEndsAtMs: row.review_ends_at ? row.review_ends_at.getTime() : null,
    installments: row.installments,
    events,
  };
}

async function lockOrder(tx: Tx, orderId: string): Promise<OrderRow> {
  const [row] = await tx<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${orderId} FOR UPDATE`;
  if (!row) throw ApplicationFailure.nonRetryable(`order ${orderId} is not recorded`, 'ORDER_NOT_RECORDED');
  return row;
}

async function saveOrder(tx: Tx, row: OrderRow, extra: { reasonCode?: string | null } = {}): Promise<void> {
  await tx`UPDATE orders SET state = ${row.state}, granted_yunqi = ${row.granted_yunqi}, credited_yunqi = ${row.credited_yunqi},
             refunded_yunqi = ${row.refunded_yunqi}, installments = ${tx.json(row.installments as never)},
             reward_yunqi = ${row.granted_yunqi},
             reason_code = coalesce(${extra.reasonCode ?? null}, reason_code), updated_at = now()
           WHERE order_id = ${row.order_id}`;
}

/**
 * One step on an order, in one transaction with the order row locked: `step` changes the row (and
 * the ledger) and returns the timeline events it produced, or null when it has nothing to do; the
 * row and the events are saved with it. With `onceKey`, a step whose key is already in the
 * timeline changes nothing (a retried or repeated refund or finding).
 */
async function orderStep(
  sql: Sql,
  orderId: string,
  step: (tx: Tx, row: OrderRow) => Promise<{ events: TimelineEvent[]; reasonCode?: string | null } | null>,
  onceKey?: string,
): Promise<OrderSnapshot> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Tx;
    const row = await lockOrder(tx, orderId);
    if (onceKey) {
      const [seen] = await tx`SELECT 1 FROM order_events WHERE order_id = ${orderId} AND key = ${onceKey}`;
      if (seen) return snapshot(row, []);
    }
    const out = await step(tx, row);
    if (!out) return snapshot(row, []);
    await saveOrder(tx, row, { reasonCode: out.reasonCode ?? null });
    await recordEvents(tx, orderId, out.events);
    return snapshot(row, out.events);
  }) as Promise<OrderSnapshot>;
}

/** Splits what is left to credit over the installments not yet credited (odd yunqi to the first). */
function redistribute(installments: PlannedInstallment[], leftYunqi: number): PlannedInstallment[] {
  const open = installments.filter((i) => !i.credited);
  let left = leftYunqi;
  return installments.map((i) => {
    if (i.credited) return i;
    const idx = open.indexOf(i);
    const share = idx === open.length - 1 ? left : Math.ceil(left / (open.length - idx));
    left -= share;
    return { ...i, yunqi: share };
  });
}

/**
 * Moves an order's reward to `newReward`: voids what is pending beyond it and claws back what was
 * credited beyond it, in one correcting entry (never an edit). Releases the cap room it frees.
 */
async function adjustReward(
  tx: Tx,
  row: OrderRow,
  newReward: number,
  newCappedBase: number | null,
  key: string,
  kind: string,
  explanation: Record<string, unknown>,
): Promise<{ voidedPending: number; clawedBack: number }> {
  const pendingNow = row.granted_yunqi - row.credited_yunqi;
  const pendingAfter = Math.max(0, newReward - row.credited_yunqi);
  const voidedPending = pendingNow - pendingAfter;
  const clawedBack = Math.max(0, row.credited_yunqi - newReward);
  if (row.ambassador_id && voidedPending + clawedBack > 0) {
    const postings: Posting[] = [{ account: system('rewards_expense'), amountYunqi: voidedPending + clawedBack }];
    if (voidedPending > 0) postings.push({ account: ambassador(row.ambassador_id, 'pending'), amountYunqi: -voidedPending });
    if (clawedBack > 0) postings.push({ account: ambassador(row.ambassador_id, 'available'), amountYunqi: -clawedBack });
    await postEntry(tx, {
      idempotencyKey: key,
      kind,
      ambassadorId: row.ambassador_id,
      orderId: row.order_id,
      ruleSetVersion: row.rule_set_version,
      explanation,
      postings,
    });
  }
  row.granted_yunqi = newReward;
  row.credited_yunqi -= clawedBack;
  row.installments = redistribute(row.installments, newReward - row.credited_yunqi);
  // Release cap room (R-ORD-6): the reservation shrinks to what the order keeps.
  const [res] = await tx<{ paid_yunqi: number; reward_yunqi: number; association_id: string }[]>`
    SELECT paid_yunqi, reward_yunqi, association_id FROM cap_reservations WHERE order_id = ${row.order_id} FOR UPDATE`;
  if (res) {
    const paid = newCappedBase ?? (newReward === 0 ? 0 : res.paid_yunqi);
    await tx`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi - ${res.paid_yunqi - paid},
               reward_used_yunqi = reward_used_yunqi - ${res.reward_yunqi - newReward}
             WHERE association_id = ${res.association_id}`;
    await tx`UPDATE cap_reservations SET paid_yunqi = ${paid}, reward_yunqi = ${newReward}, last_adjustment = ${key}
             WHERE order_id = ${row.order_id}`;
  }
  return { voidedPending, clawedBack };
}

export function createOrderActivities(deps: ActivityDeps) {
  const { sql, ruleBook } = deps;
  const associations = createAssociationActivities(deps);

  /** Orders first purchases: none paid before this one, or paid together with the first (R-ORD-8). */
  async function isFirstPurchase(tx: Tx, order: OrderPlaced, placedAtMs: number): Promise<boolean> {
    const [prior] = await tx<{ n: number }[]>`
      SELECT count(*)::int AS n FROM orders
       WHERE customer_id = ${order.customerId} AND order_id <> ${order.orderId}
         AND placed_at < ${iso(placedAtMs)} AND body->>'billing' = 'prepaid'
         AND (${order.cartId ?? null}::text IS NULL OR cart_id IS DISTINCT FROM ${order.cartId ?? null})`;
    const facts = await customerFacts(tx, order.customerId);
    const earlierOutside = facts.firstPaidPurchaseAt != null && facts.firstPaidPurchaseAt < placedAtMs;
    if ((prior?.n ?? 0) > 0) return false;
    if (!earlierOutside) return true;
    // Paid history before this order: still a first purchase when it is a sibling in the first cart.
    if (!order.cartId) return false;
    const [sibling] = await tx<{ n: number }[]>`
      SELECT count(*)::int AS n FROM orders WHERE customer_id = ${order.customerId} AND cart_id = ${order.cartId}
         AND placed_at <= ${iso(facts.firstPaidPurchaseAt!)}`;
    return (sibling?.n ?? 0) > 0;
  }

  return {
    /**
     * Records the order, attributes it (R-ATTR-5), checks same person (R-SAME-1), classifies the
     * customer and the order (R-CUST-*, R-ORD-1/2), and computes the commission while reserving cap
     * room atomically under a row lock on the association's usage (R-ORD-6/7), then grants the
     * reward to the ambassador's pending account. Idempotent: a retry returns the stored decision.
     */
    async assessOrder(input: { order: OrderPlaced; bodyHash: string; workflowId: string; runId: string; nowMs: number }): Promise<OrderSnapshot> {
      const { order } = input;
      const placedAtMs = Date.parse(order.placedAt);
      const paidYunqi = cnyToYunqi(order.paidAmount);
      const [existing] = await sql<{ body_hash: string; state: OrderState }[]>`
        INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, state, workflow_id, run_id, cart_id, paid_yunqi)
        VALUES (${order.orderId}, ${order.customerId}, ${input.bodyHash}, ${sql.json(order as never)}, ${order.placedAt},
                'received', ${input.workflowId}, ${input.runId}, ${order.cartId ?? null}, ${paidYunqi})
        ON CONFLICT (order_id) DO UPDATE SET updated_at = orders.updated_at
        RETURNING body_hash, state`;
      if (existing!.body_hash !== input.bodyHash) {
        throw ApplicationFailure.nonRetryable(`order ${order.orderId} was recorded with a different body`, 'ORDER_CONFLICT');
      }
      if (existing!.state !== 'received') {
        const row = await sql<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${order.orderId}`;
        const events = await sql<TimelineEvent[]>`SELECT key, kind, at, summary, detail FROM order_events WHERE order_id = ${order.orderId} ORDER BY at, id`;
        return snapshot(row[0]!, events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })));
      }

      // Purchase facts this system sees (first paid purchase, pay-as-you-go use: R-CUST-1, R-CUST-4).
      await recordPurchaseFacts(sql, order.customerId, order.billing === 'prepaid' ? { paidPurchaseAtMs: placedAtMs } : { paygUseAtMs: placedAtMs });

      const events: TimelineEvent[] = [
        event('placed', 'placed', placedAtMs, `order placed: ${order.productCode} (${order.productCategory}), paid ${order.paidAmount} CNY, ${order.billing}, ${order.orderType}`, {
          cartId: order.cartId ?? null,
        }),
      ];
      const finish = async (state: OrderState, reasonCode: string | null, extra: Partial<OrderRow> = {}) => {
        return sql.begin(async (tx) => {
          const row = await lockOrder(tx as unknown as Tx, order.orderId);
          Object.assign(row, extra, { state });
          await tx`UPDATE orders SET state = ${state}, reason_code = ${reasonCode}, ambassador_id = ${row.ambassador_id},
                     association_id = ${row.association_id}, association_started_at = ${row.association_started_at},
                     rule_set_version = ${row.rule_set_version}, updated_at = now()
                   WHERE order_id = ${order.orderId}`;
          await recordEvents(tx as unknown as Tx, order.orderId, events);
          return snapshot(row, events);
        });
      };

      const ruleSet: RuleSet = ruleBook.at(placedAtMs); // R-ORD-9: the rules in force when placed
      const attribution = await associations.attributeOrder({ customerId: order.customerId, placedAtMs });
      if (!attribution.associated) {
        events.push(event('not_attributed', 'not_attributed', input.nowMs, `no reward: ${attribution.reason}`, { reasonCode: attribution.reasonCode }));
        return finish('not_attributed', attribution.reasonCode, { rule_set_version: ruleSet.version });
      }
      const assoc = {
        ambassador_id: attribution.ambassadorId,
        association_id: attribution.associationId,
        association_started_at: new Date(attribution.associationStartedAt),
        rule_set_version: ruleSet.version,
      };
      events.push(
        event('attributed', 'attributed', input.nowMs, `attributed to ambassador ${attribution.ambassadorId} (level ${attribution.level}) through association ${attribution.associationId}`, {
          ambassadorId: attribution.ambassadorId,
          associationId: attribution.associationId,
          associationStartedAt: iso(attribution.associationStartedAt),
          associationEndsAt: iso(attribution.associationEndsAt),
          level: attribution.level,
          associationWorkflowId: attribution.workflowId,
        }),
      );

      const same = await isSamePerson(sql, attribution.ambassadorId, order.customerId, placedAtMs);
      if (same.same) {
        events.push(event('ineligible', 'ineligible', input.nowMs, 'no reward: the ambassador and the customer are the same person (同人)', { reasonCode: 'SAME_PERSON', matchedOn: same.matchedOn ?? [] }));
        return finish('ineligible', 'SAME_PERSON', assoc);
      }

      const facts = await customerFacts(sql, order.customerId);
      const customer = classifyCustomer(facts, attribution.associationStartedAt, ruleSet);
      const first = await isFirstPurchase(sql, order, placedAtMs);
      const eligibility = orderEligibility(
        { billing: order.billing, productCategory: order.productCategory, orderType: order.orderType, excludedChannel: order.excludedChannel ?? false },
        { customerType: customer.type, isFirstPurchase: first },
        ruleSet,
      );
      if (!eligibility.eligible) {
        events.push(event('ineligible', 'ineligible', input.nowMs, `no reward: ${eligibility.reason}`, { reasonCode: eligibility.reasonCode, customerType: customer.type, customerReason: customer.reason }));
        return finish('ineligible', eligibility.reasonCode, assoc);
      }

      return sql.begin(async (t) => {
        const tx = t as unknown as Tx;
        const row = await lockOrder(tx, order.orderId);
        if (row.state !== 'received') return snapshot(row, []); // a concurrent retry got here first
        Object.assign(row, assoc);
        // The association's cap room: create its usage row, then lock it (R-ORD-6 exactly once).
        await tx`INSERT INTO cap_usage (association_id, customer_id) VALUES (${attribution.associationId}, ${order.customerId}) ON CONFLICT DO NOTHING`;
        const [usage] = await tx<{ paid_used_yunqi: number; reward_used_yunqi: number }[]>`
          SELECT paid_used_yunqi, reward_used_yunqi FROM cap_usage WHERE association_id = ${attribution.associationId} FOR UPDATE`;
        const commissionInput: CommissionInput = {
          ruleSet,
          level: attribution.level,
          kind: eligibility.kind,
          productCategory: order.productCategory,
          paidYunqi,
          usage: { paidUsedYunqi: usage!.paid_used_yunqi, rewardUsedYunqi: usage!.reward_used_yunqi },
        };
        const c = computeCommission(commissionInput);
        await tx`INSERT INTO cap_reservations (order_id, association_id, paid_yunqi, reward_yunqi, computation)
                 VALUES (${order.orderId}, ${attribution.associationId}, ${c.cappedBaseYunqi}, ${c.rewardYunqi},
                         ${tx.json({ ...commissionInput, ruleSet: undefined, ruleSetVersion: ruleSet.version } as never)})`;
        const rewardTotal = usage!.reward_used_yunqi + c.rewardYunqi;
        await tx`UPDATE cap_usage SET paid_used_yunqi = paid_used_yunqi + ${c.cappedBaseYunqi},
                   reward_used_yunqi = ${rewardTotal} WHERE association_id = ${attribution.associationId}`;
        events.push(event('commission', 'commission', input.nowMs, c.explanation.summary, c.explanation as unknown as Record<string, unknown>));
        if (c.rewardYunqi === 0) {
          events.push(event('zero_reward', 'zero_reward', input.nowMs, 'no reward: the per-customer caps (R-ORD-6) leave no room'));
          row.state = 'zero_reward';
          await tx`UPDATE orders SET state = 'zero_reward', reason_code = 'CAP_EXHAUSTED', ambassador_id = ${row.ambassador_id},
                     association_id = ${row.association_id}, association_started_at = ${row.association_started_at},
                     rule_set_version = ${ruleSet.version}, explanation = ${tx.json(c.explanation as never)}, updated_at = now()
                   WHERE order_id = ${order.orderId}`;
          await recordEvents(tx, order.orderId, events);
          return snapshot(row, events);
        }
        const reviewEndsAtMs = placedAtMs + Math.round(daysToMs(ruleSet.reviewPeriodDays) * deps.config.BENCH_TIME_SCALE);
        const plan = creditingPlan(ruleSet, c.rewardYunqi, rewardTotal).map((i) => ({
          n: i.n,
          yunqi: i.yunqi,
          dueAtMs: reviewEndsAtMs + Math.round(daysToMs(i.dueAfterReviewDays) * deps.config.BENCH_TIME_SCALE),
          credited: false,
        }));
        events.push(
          event('review_started', 'review_started', input.nowMs, `review period (审核期) of ${ruleSet.reviewPeriodDays} days until ${iso(reviewEndsAtMs)}; then ${plan.length === 1 ? 'credited whole' : 'credited in two installments'}: ${plan.map((i) => `${yunqiToCny(i.yunqi)} CNY at ${iso(i.dueAtMs)}`).join(', ')}`, {
            reviewEndsAt: iso(reviewEndsAtMs),
            customerRewardTotalYunqi: rewardTotal,
            installmentThresholdYunqi: ruleSet.installmentThresholdYunqi,
          }),
        );
        await postEntry(tx, {
          idempotencyKey: `order:${order.orderId}:granted`,
          kind: 'reward.granted',
          ambassadorId: attribution.ambassadorId,
          orderId: order.orderId,
          ruleSetVersion: ruleSet.version,
          explanation: c.explanation as unknown as Record<string, unknown>,
          postings: [
            { account: system('rewards_expense'), amountYunqi: -c.rewardYunqi },
            { account: ambassador(attribution.ambassadorId, 'pending'), amountYunqi: c.rewardYunqi },
          ],
        });
        Object.assign(row, { state: 'in_review', granted_yunqi: c.rewardYunqi, installments: plan, review_ends_at: new Date(reviewEndsAtMs) });
        await tx`UPDATE orders SET state = 'in_review', ambassador_id = ${row.ambassador_id}, association_id = ${row.association_id},
                   association_started_at = ${row.association_started_at}, rule_set_version = ${ruleSet.version},
                   review_ends_at = ${iso(reviewEndsAtMs)}, granted_yunqi = ${c.rewardYunqi}, reward_yunqi = ${c.rewardYunqi},
                   installments = ${tx.json(plan as never)}, explanation = ${tx.json(c.explanation as never)}, updated_at = now()
                 WHERE order_id = ${order.orderId}`;
        await recordEvents(tx, order.orderId, events);
        return snapshot(row, events);
      });
    },

    /** The review period ended without a refund or finding (R-REV-1). */
    async passReview(input: { orderId: string; atMs: number }): Promise<OrderSnapshot> {
      return orderStep(sql, input.orderId, async (_tx, row) => {
        if (row.state !== 'in_review') return null;
        row.state = 'crediting';
        return { events: [event('review_passed', 'review_passed', input.atMs, 'review period (审核期) passed with no refund or same-person finding')] };
      });
    },

    /**
     * Credits installment n (pending → available), once. Before crediting, R-SAME-2: an identity
     * change of the ambassador or the customer since the association began voids what is left.
     */
    async creditInstallment(input: { orderId: string; n: number; atMs: number }): Promise<OrderSnapshot> {
      return orderStep(sql, input.orderId, async (tx, row) => {
        const inst = row.installments.find((i) => i.n === input.n);
        if (row.state !== 'crediting' || !inst || inst.credited) return null;
        const change = await identityChangedSince(tx, {
          ambassadorId: row.ambassador_id!,
          customerId: row.customer_id,
          sinceMs: (row.association_started_at ?? row.placed_at).getTime(),
        });
        if (change.changed) {
          const key = `order:${row.order_id}:identity-changed`;
          const { voidedPending } = await adjustReward(tx, row, row.credited_yunqi, null, key, 'reward.voided', {
            rule: 'R-SAME-2',
            changes: change.changes,
          });
          row.state = 'voided';
          const summary = `voided before installment ${input.n}: identity details changed (R-SAME-2); ${yunqiToCny(voidedPending)} CNY not credited`;
          return {
            reasonCode: 'IDENTITY_CHANGED',
            events: [event(`voided:identity`, 'voided', input.atMs, summary, { reasonCode: 'IDENTITY_CHANGED', changes: change.changes })],
          };
        }
        if (inst.yunqi > 0) {
          await postEntry(tx, {
            idempotencyKey: `order:${row.order_id}:installment:${input.n}`,
            kind: 'reward.credited',
            ambassadorId: row.ambassador_id,
            orderId: row.order_id,
            installment: input.n,
            ruleSetVersion: row.rule_set_version,
            explanation: { installment: input.n, of: row.installments.length, yunqi: inst.yunqi },
            postings: [
              { account: ambassador(row.ambassador_id!, 'pending'), amountYunqi: -inst.yunqi },
              { account: ambassador(row.ambassador_id!, 'available'), amountYunqi: inst.yunqi },
            ],
          });
        }
        inst.credited = true;
        row.credited_yunqi += inst.yunqi;
        const summary = `installment ${input.n} of ${row.installments.length} credited: ${inst.yunqi} yunqi (${yunqiToCny(inst.yunqi)} CNY)`;
        const events = [event(`installment:${input.n}`, 'credited', input.atMs, summary, { installment: input.n, yunqi: inst.yunqi })];
        if (row.installments.every((i) => i.credited)) {
          row.state = 'completed';
          events.push(event('completed', 'completed', input.atMs, 'every installment credited: a completed valid order (R-PAY-3)'));
        }
        return { events };
      });
    },

    /**
     * A refund. Inside the review any refund voids the order (R-REV-1). After it, a full refund
     * voids what is pending and claws back what was credited; a partial refund recomputes the
     * reward on the amount kept (R-REV-2) and adjusts the installments left or claws back the
     * difference. Freed cap room returns to the association.
     */
    async applyRefund(input: { orderId: string; refund: OrderRefundInput; atMs: number }): Promise<OrderSnapshot> {
      const key = `order:${input.orderId}:refund:${input.refund.refundId}`;
      return orderStep(
        sql,
        input.orderId,
        async (tx, row) => {
          const refundedTotal = Math.min(row.paid_yunqi, row.refunded_yunqi + input.refund.amountYunqi);
          const kept = input.refund.full ? 0 : row.paid_yunqi - refundedTotal;
          row.refunded_yunqi = input.refund.full ? row.paid_yunqi : refundedTotal;
          const amount = `${yunqiToCny(input.refund.amountYunqi)} CNY${input.refund.full ? ' (full refund)' : ''}`;
          let summary: string;
          let reasonCode: string | null = null;
          if (!['in_review', 'crediting', 'completed'].includes(row.state)) {
            summary = `refund of ${amount} recorded; the order earned nothing, so nothing changes`;
          } else if (row.state === 'in_review' || kept === 0) {
            const inReview = row.state === 'in_review';
            const r = await adjustReward(tx, row, 0, 0, key, inReview ? 'reward.voided' : 'reward.clawback', {
              rule: inReview ? 'R-REV-1' : 'R-REV-2',
              refundId: input.refund.refundId,
            });
            row.state = inReview ? 'voided' : 'refunded';
            reasonCode = inReview ? 'REFUND_IN_REVIEW' : 'FULL_REFUND';
            summary = inReview
              ? `refund of ${amount} inside the review period (审核期): order voided (R-REV-1), ${yunqiToCny(r.voidedPending)} CNY not credited`
              : `refund of ${amount}: ${yunqiToCny(r.voidedPending)} CNY not credited, ${yunqiToCny(r.clawedBack)} CNY clawed back (R-REV-2)`;
          } else {
            const [res] = await tx<{ computation: Omit<CommissionInput, 'ruleSet'> & { ruleSetVersion: string } }[]>`
              SELECT computation FROM cap_reservations WHERE order_id = ${row.order_id}`;
            const original: CommissionInput = { ...res!.computation, ruleSet: ruleBook.byVersion(res!.computation.ruleSetVersion) };
            const re = recomputeOnRefund(original, kept);
            const r = await adjustReward(tx, row, Math.min(re.rewardYunqi, row.granted_yunqi), re.cappedBaseYunqi, key, 'reward.clawback', {
              rule: 'R-REV-2',
              refundId: input.refund.refundId,
              keptYunqi: kept,
              recomputed: re.explanation,
            });
            if (row.installments.every((i) => i.credited || i.yunqi === 0)) {
              row.installments = row.installments.map((i) => ({ ...i, credited: true }));
              row.state = row.granted_yunqi > 0 ? 'completed' : 'refunded';
            }
            summary = `partial refund of ${amount}: reward recomputed on ${yunqiToCny(kept)} CNY kept to ${yunqiToCny(row.granted_yunqi)} CNY (R-REV-2); ${yunqiToCny(r.voidedPending)} CNY not credited, ${yunqiToCny(r.clawedBack)} CNY clawed back`;
          }
          const detail = { refundId: input.refund.refundId, amountYunqi: input.refund.amountYunqi, full: input.refund.full };
          return { reasonCode, events: [event(key, 'refund', input.atMs, summary, detail)] };
        },
        key,
      );
    },

    /** A same-person or cheating finding (R-REV-1 inside the review, R-REV-2 after it, R-SAME-2 final). */
    async applyInvalidation(input: { orderId: string; finding: Invalidation; atMs: number }): Promise<OrderSnapshot> {
      const key = `order:${input.orderId}:finding:${input.finding.findingId}`;
      return orderStep(
        sql,
        input.orderId,
        async (tx, row) => {
          const what = input.finding.reason === 'same_person' ? 'same person (同人)' : 'cheating order (作弊订单)';
          let summary = `${what} finding recorded; the order earned nothing, so nothing changes`;
          let reasonCode: string | null = null;
          if (['in_review', 'crediting'].includes(row.state)) {
            const inReview = row.state === 'in_review';
            const r = await adjustReward(tx, row, 0, 0, key, inReview ? 'reward.voided' : 'reward.clawback', {
              rule: inReview ? 'R-REV-1' : 'R-REV-2',
              findingId: input.finding.findingId,
              reason: input.finding.reason,
            });
            row.state = inReview ? 'voided' : 'invalidated';
            reasonCode = input.finding.reason === 'same_person' ? 'SAME_PERSON' : 'CHEATING';
            summary = `${what} finding: order invalid; ${yunqiToCny(r.voidedPending)} CNY not credited, ${yunqiToCny(r.clawedBack)} CNY clawed back`;
          }
          return { reasonCode, events: [event(key, 'finding', input.atMs, summary, { ...input.finding })] };
        },
        key,
      );
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
