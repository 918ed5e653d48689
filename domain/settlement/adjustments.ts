/**
 * What happens to an earning order after its placement, judged by the instants of the facts
 * (docs/settlement.md): refunds at refundedAt, findings at foundAt, identity changes at changedAt.
 * An installment falls due at its due instant; a fact at instant t finds the installments due
 * before t credited and acts on those due at or after t (R-SAME-2's "at or after").
 *
 *   refund inside the review (t < review end)      voided, nothing earned (R-REV-1)
 *   finding inside the review                      voided (R-REV-1)
 *   finding after it                               invalidated: what was credited is clawed back (R-REV-2)
 *   full refund after the review                   refunded: clawed back (R-REV-2)
 *   partial refund after the review                reward recomputed on the amount kept (R-REV-2),
 *                                                  spread over the installments left, or clawed back
 *   identity change after the association began    installments due at or after it voided (R-SAME-2)
 */
import { recomputeOnRefund, type CommissionInput } from '../commission';
import { redistribute } from '../crediting';
import type { IdentityChange } from '../identity';
import { yunqiToCny } from '../money';
import type { FindingFact, RefundFact } from './facts';
import type { OrderReasonCode, OrderState, PlannedInstallment, SettlementEvent } from './outcome';

export interface AdjustmentInput {
  orderId: string;
  paidYunqi: number;
  commissionInput: CommissionInput;
  rewardYunqi: number;
  cappedBaseYunqi: number;
  reviewEndsAtMs: number;
  installments: { n: number; yunqi: number; dueAtMs: number }[];
  refunds: RefundFact[];
  findings: FindingFact[];
  /** Identity changes after the association began (R-SAME-2). */
  identityChanges: IdentityChange[];
}

export interface Adjusted {
  terminal: { state: OrderState; reasonCode: OrderReasonCode } | null;
  rewardYunqi: number;
  refundedYunqi: number;
  clawedBackYunqi: number;
  /** Amounts after redistribution; `voided` marks installments that will never be credited. */
  installments: { n: number; yunqi: number; dueAtMs: number; voided: boolean }[];
  /** The cap room held from each instant on (R-ORD-6): what later orders of the association see. */
  capSegments: { fromMs: number; paidYunqi: number; rewardYunqi: number }[];
  events: SettlementEvent[];
}

type Step = { atMs: number; order: number; key: string } & (
  | { kind: 'finding'; f: FindingFact }
  | { kind: 'refund'; r: RefundFact }
  | { kind: 'identity'; c: IdentityChange }
);

const cny = (y: number) => `${yunqiToCny(y)} CNY`;

/** The facts after placement in the order of their instants (findings, then refunds, then identity changes at one instant). */
function steps(input: AdjustmentInput): Step[] {
  const all: Step[] = [
    ...input.findings.map((f) => ({ kind: 'finding' as const, f, atMs: f.atMs, order: 0, key: f.findingId })),
    ...input.refunds.map((r) => ({ kind: 'refund' as const, r, atMs: r.atMs, order: 1, key: r.refundId })),
    ...input.identityChanges.map((c) => ({ kind: 'identity' as const, c, atMs: c.at, order: 2, key: `${c.subject}:${c.attr}:${c.at}` })),
  ];
  return all.sort((a, b) => a.atMs - b.atMs || a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function applyAdjustments(input: AdjustmentInput): Adjusted {
  const out: Adjusted = {
    terminal: null,
    rewardYunqi: input.rewardYunqi,
    refundedYunqi: 0,
    clawedBackYunqi: 0,
    installments: input.installments.map((i) => ({ ...i, voided: false })),
    capSegments: [],
    events: [],
  };
  let base = input.cappedBaseYunqi;
  const event = (key: string, kind: string, atMs: number, summary: string, detail?: Record<string, unknown>) =>
    out.events.push({ key, kind, atMs, summary, ...(detail ? { detail } : {}) });
  /** Installments due before t were credited at their due instants; the rest are still open. */
  const creditedBefore = (t: number) => out.installments.filter((i) => !i.voided && i.dueAtMs < t).reduce((s, i) => s + i.yunqi, 0) - out.clawedBackYunqi;
  /** Ends the order at t with reward `keep`: open installments voided, what was credited beyond it clawed back. */
  const endAt = (t: number, keep: number, state: OrderState, reasonCode: OrderReasonCode) => {
    const credited = creditedBefore(t);
    for (const i of out.installments) if (i.dueAtMs >= t) i.voided = true;
    out.clawedBackYunqi += Math.max(0, credited - keep);
    const voidedPending = out.rewardYunqi - credited;
    out.rewardYunqi = Math.min(keep, credited);
    out.terminal = { state, reasonCode };
    base = out.rewardYunqi > 0 ? base : 0;
    out.capSegments.push({ fromMs: t, paidYunqi: base, rewardYunqi: out.rewardYunqi });
    return { voidedPending, clawedBack: Math.max(0, credited - keep) };
  };

  for (const s of steps(input)) {
    const t = s.atMs;
    const inReview = t < input.reviewEndsAtMs;
    if (s.kind === 'refund') {
      const r = s.r;
      const amount = r.full ? input.paidYunqi - out.refundedYunqi : Math.min(r.amountYunqi, input.paidYunqi - out.refundedYunqi);
      out.refundedYunqi += Math.max(0, amount);
      const key = `order:${input.orderId}:refund:${r.refundId}`;
      const what = `refund of ${cny(r.full ? amount : r.amountYunqi)}${r.full ? ' (full refund)' : ''}`;
      const detail = { refundId: r.refundId, amountYunqi: r.amountYunqi, full: r.full, refundedAt: new Date(t).toISOString() };
      if (out.terminal) {
        event(key, 'refund', t, `${what} recorded; the order already ${out.terminal.state === 'voided' ? 'was voided' : `is ${out.terminal.state}`}, so nothing changes`, detail);
      } else if (inReview) {
        const e = endAt(t, 0, 'voided', 'REFUND_IN_REVIEW');
        event(key, 'refund', t, `${what} inside the review period (审核期): order voided (R-REV-1), ${cny(e.voidedPending)} not credited`, detail);
      } else if (out.refundedYunqi >= input.paidYunqi) {
        const e = endAt(t, 0, 'refunded', 'FULL_REFUND');
        event(key, 'refund', t, `${what}: ${cny(e.voidedPending)} not credited, ${cny(e.clawedBack)} clawed back (R-REV-2)`, detail);
      } else {
        const kept = input.paidYunqi - out.refundedYunqi;
        const re = recomputeOnRefund(input.commissionInput, kept);
        const newReward = Math.min(re.rewardYunqi, out.rewardYunqi);
        const credited = creditedBefore(t);
        const clawedBack = Math.max(0, credited - newReward);
        const voidedPending = out.rewardYunqi - credited - Math.max(0, newReward - credited);
        out.clawedBackYunqi += clawedBack;
        const open = out.installments.filter((i) => !i.voided && i.dueAtMs >= t);
        const spread = redistribute(open.map((i) => ({ ...i, credited: false })), Math.max(0, newReward - credited));
        open.forEach((i, k) => (i.yunqi = spread[k]!.yunqi));
        out.rewardYunqi = newReward;
        base = newReward > 0 ? re.cappedBaseYunqi : 0;
        out.capSegments.push({ fromMs: t, paidYunqi: base, rewardYunqi: newReward });
        event(
          key,
          'refund',
          t,
          `partial ${what}: reward recomputed on ${cny(kept)} kept to ${cny(newReward)} (R-REV-2); ${cny(voidedPending)} not credited, ${cny(clawedBack)} clawed back`,
          { ...detail, keptYunqi: kept, recomputed: re.explanation },
        );
        if (newReward === 0) out.terminal = { state: 'refunded', reasonCode: 'REFUNDED_TO_ZERO' };
      }
    } else if (s.kind === 'finding') {
      const f = s.f;
      const key = `order:${input.orderId}:finding:${f.findingId}`;
      const what = f.reason === 'same_person' ? 'same person (同人)' : 'cheating order (作弊订单)';
      const detail = { findingId: f.findingId, reason: f.reason, foundAt: new Date(t).toISOString() };
      if (out.terminal) {
        event(key, 'finding', t, `${what} finding recorded; the order already is ${out.terminal.state}, so nothing changes`, detail);
      } else {
        const e = endAt(t, 0, inReview ? 'voided' : 'invalidated', f.reason === 'same_person' ? 'SAME_PERSON' : 'CHEATING');
        event(key, 'finding', t, `${what} finding${inReview ? ' inside the review period (审核期)' : ''}: order invalid (${inReview ? 'R-REV-1' : 'R-REV-2'}); ${cny(e.voidedPending)} not credited, ${cny(e.clawedBack)} clawed back`, detail);
      }
    } else if (!out.terminal && out.installments.some((i) => !i.voided && i.dueAtMs >= t)) {
      const credited = creditedBefore(t);
      const e = endAt(t, credited, 'voided', 'IDENTITY_CHANGED');
      const change = s.c;
      event(
        'voided:identity',
        'voided',
        t,
        `identity details changed (R-SAME-2): the ${change.subject}'s ${change.attr} at ${new Date(t).toISOString()}, before the reward was fully credited; installments due from then voided, ${cny(e.voidedPending)} not credited, ${cny(credited)} already credited stays`,
        { reasonCode: 'IDENTITY_CHANGED', change: { ...change, at: new Date(change.at).toISOString() } },
      );
    }
  }
  return out;
}

/** The installments as of `nowMs`: credited when due and not voided. */
export function installmentsAt(adjusted: Adjusted, nowMs: number): PlannedInstallment[] {
  return adjusted.installments.map((i) => ({ n: i.n, yunqi: i.yunqi, dueAtMs: i.dueAtMs, status: i.voided ? 'voided' : i.dueAtMs <= nowMs ? 'credited' : 'due' }));
}
