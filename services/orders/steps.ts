/**
 * The settlement steps after the assessment: review passed (R-REV-1), an installment credited
 * (R-PAY-1/2, R-SAME-2 checked first), a refund (R-REV-1/2) and a finding (R-REV-1/2, R-SAME-2).
 * Each runs in one transaction with the order row locked, and every ledger write carries a key
 * derived from the order and the step (`order:<id>:installment:<n>`), so a retry after a crash
 * changes nothing twice. Times come from the workflow (its clock), not the host's.
 */
import type { Invalidation, OrderRefundInput, OrderSnapshot, TimelineEvent } from '../../contracts/orders';
import { recomputeOnRefund, type CommissionInput } from '../../domain/commission';
import { redistribute, rewardAdjustment } from '../../domain/crediting';
import { yunqiToCny } from '../../domain/money';
import type { RuleBook } from '../../domain/rulesets';
import type { Sql } from '../../db/client';
import { identityChangedSince } from '../../db/repositories/identity';
import * as orders from '../../db/repositories/orders';
import { ambassador, postEntry, system, type Posting } from '../../ledger';
import { event } from './timeline';

type StepResult = { events: TimelineEvent[]; reasonCode?: string | null } | null;

/**
 * One step on an order, in one transaction with the order row locked: `step` changes the row (and
 * the ledger) and returns the timeline events it produced, or null when it has nothing to do; the
 * row and the events are saved with it. With `onceKey`, a step whose key is already in the
 * timeline changes nothing (a retried or repeated refund or finding).
 */
async function orderStep(sql: Sql, orderId: string, step: (tx: Sql, row: orders.OrderRow) => Promise<StepResult>, onceKey?: string): Promise<OrderSnapshot> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const row = await orders.lockOrder(tx, orderId);
    if (onceKey && (await orders.hasEvent(tx, orderId, onceKey))) return orders.snapshot(row, []);
    const out = await step(tx, row);
    if (!out) return orders.snapshot(row, []);
    await orders.saveOrder(tx, row, { reasonCode: out.reasonCode ?? null });
    await orders.recordEvents(tx, orderId, out.events);
    return orders.snapshot(row, out.events);
  }) as Promise<OrderSnapshot>;
}

/**
 * Moves an order's reward to `newReward` (domain rewardAdjustment): voids what is pending beyond
 * it and claws back what was credited beyond it, in one correcting entry (never an edit), spreads
 * what is left over the installments not credited, and releases the cap room it frees.
 */
async function adjustReward(
  tx: Sql,
  row: orders.OrderRow,
  newReward: number,
  newCappedBase: number | null,
  entry: { key: string; kind: string; explanation: Record<string, unknown> },
): Promise<{ voidedPending: number; clawedBack: number }> {
  const a = rewardAdjustment({ grantedYunqi: row.granted_yunqi, creditedYunqi: row.credited_yunqi }, newReward);
  if (row.ambassador_id && a.voidedPendingYunqi + a.clawedBackYunqi > 0) {
    const postings: Posting[] = [{ account: system('rewards_expense'), amountYunqi: a.voidedPendingYunqi + a.clawedBackYunqi }];
    if (a.voidedPendingYunqi > 0) postings.push({ account: ambassador(row.ambassador_id, 'pending'), amountYunqi: -a.voidedPendingYunqi });
    if (a.clawedBackYunqi > 0) postings.push({ account: ambassador(row.ambassador_id, 'available'), amountYunqi: -a.clawedBackYunqi });
    await postEntry(tx, {
      idempotencyKey: entry.key,
      kind: entry.kind,
      ambassadorId: row.ambassador_id,
      orderId: row.order_id,
      ruleSetVersion: row.rule_set_version,
      explanation: entry.explanation,
      postings,
    });
  }
  row.granted_yunqi = newReward;
  row.credited_yunqi = a.creditedAfterYunqi;
  row.installments = redistribute(row.installments, a.leftToCreditYunqi);
  // Release cap room (R-ORD-6): the reservation shrinks to what the order keeps.
  const res = await orders.lockCapReservation(tx, row.order_id);
  if (res) {
    const paid = newCappedBase ?? (newReward === 0 ? 0 : res.paid_yunqi);
    await orders.shrinkCapReservation(tx, row.order_id, res, { paidYunqi: paid, rewardYunqi: newReward, adjustmentKey: entry.key });
  }
  return { voidedPending: a.voidedPendingYunqi, clawedBack: a.clawedBackYunqi };
}

/** The review period ended without a refund or finding (R-REV-1). */
export async function passReview(sql: Sql, input: { orderId: string; atMs: number }): Promise<OrderSnapshot> {
  return orderStep(sql, input.orderId, async (_tx, row) => {
    if (row.state !== 'in_review') return null;
    row.state = 'crediting';
    return { events: [event('review_passed', 'review_passed', input.atMs, 'review period (审核期) passed with no refund or same-person finding')] };
  });
}

/**
 * Credits installment n (pending → available), once. Before crediting, R-SAME-2: an identity
 * change of the ambassador or the customer since the association began voids what is left.
 */
export async function creditInstallment(sql: Sql, input: { orderId: string; n: number; atMs: number }): Promise<OrderSnapshot> {
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
      const { voidedPending } = await adjustReward(tx, row, row.credited_yunqi, null, { key, kind: 'reward.voided', explanation: { rule: 'R-SAME-2', changes: change.changes } });
      row.state = 'voided';
      const summary = `voided before installment ${input.n}: identity details changed (R-SAME-2); ${yunqiToCny(voidedPending)} CNY not credited`;
      return { reasonCode: 'IDENTITY_CHANGED', events: [event(`voided:identity`, 'voided', input.atMs, summary, { reasonCode: 'IDENTITY_CHANGED', changes: change.changes })] };
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
}

/**
 * A refund. Inside the review any refund voids the order (R-REV-1). After it, a full refund
 * voids what is pending and claws back what was credited; a partial refund recomputes the
 * reward on the amount kept (R-REV-2) and adjusts the installments left or claws back the
 * difference. Freed cap room returns to the association.
 */
export async function applyRefund(sql: Sql, ruleBook: RuleBook, input: { orderId: string; refund: OrderRefundInput; atMs: number }): Promise<OrderSnapshot> {
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
        const r = await adjustReward(tx, row, 0, 0, { key, kind: inReview ? 'reward.voided' : 'reward.clawback', explanation: { rule: inReview ? 'R-REV-1' : 'R-REV-2', refundId: input.refund.refundId } });
        row.state = inReview ? 'voided' : 'refunded';
        reasonCode = inReview ? 'REFUND_IN_REVIEW' : 'FULL_REFUND';
        summary = inReview
          ? `refund of ${amount} inside the review period (审核期): order voided (R-REV-1), ${yunqiToCny(r.voidedPending)} CNY not credited`
          : `refund of ${amount}: ${yunqiToCny(r.voidedPending)} CNY not credited, ${yunqiToCny(r.clawedBack)} CNY clawed back (R-REV-2)`;
      } else {
        const res = await orders.lockCapReservation(tx, row.order_id);
        const computation = res!.computation as Omit<CommissionInput, 'ruleSet'> & { ruleSetVersion: string };
        const original: CommissionInput = { ...computation, ruleSet: ruleBook.byVersion(computation.ruleSetVersion) };
        const re = recomputeOnRefund(original, kept);
        const r = await adjustReward(tx, row, Math.min(re.rewardYunqi, row.granted_yunqi), re.cappedBaseYunqi, {
          key,
          kind: 'reward.clawback',
          explanation: { rule: 'R-REV-2', refundId: input.refund.refundId, keptYunqi: kept, recomputed: re.explanation },
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
}

/** A same-person or cheating finding (R-REV-1 inside the review, R-REV-2 after it, R-SAME-2 final). */
export async function applyInvalidation(sql: Sql, input: { orderId: string; finding: Invalidation; atMs: number }): Promise<OrderSnapshot> {
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
        const r = await adjustReward(tx, row, 0, 0, {
          key,
          kind: inReview ? 'reward.voided' : 'reward.clawback',
          explanation: { rule: inReview ? 'R-REV-1' : 'R-REV-2', findingId: input.finding.findingId, reason: input.finding.reason },
        });
        row.state = inReview ? 'voided' : 'invalidated';
        reasonCode = input.finding.reason === 'same_person' ? 'SAME_PERSON' : 'CHEATING';
        summary = `${what} finding: order invalid; ${yunqiToCny(r.voidedPending)} CNY not credited, ${yunqiToCny(r.clawedBack)} CNY clawed back`;
      }
      return { reasonCode, events: [event(key, 'finding', input.atMs, summary, { ...input.finding })] };
    },
    key,
  );
}
