/**
 * Writing a settlement's outcomes back: each order row (state, money, plan, the assessment and
 * its fingerprint), the new timeline lines, a reassessment line when the placement-time judgment
 * changed, and the cap room each order holds (cap_reservations, summed into cap_usage).
 */
import { createHash } from 'node:crypto';
import type { OrderOutcome, SettlementEvent } from '../../domain/settlement';
import { yunqiToCny } from '../../domain/money';
import type { Sql } from '../../db/client';
import type { OrderRow } from '../../db/repositories/orders';

const iso = (ms: number) => new Date(ms).toISOString();

/** A fingerprint of what was judged at placement: attribution, rule set, kind, reward and plan. */
export function assessmentKey(o: OrderOutcome): string {
  const a = o.assessment;
  const key = [o.state === 'failed' ? 'failed' : a.ambassadorId === null ? o.reasonCode : null, a.ambassadorId, a.associationId, a.ruleSetVersion, a.level, a.purchaseKind, a.rewardYunqi, a.customerRewardTotalYunqi, o.installments.length];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);
}

function describe(row: { ambassador_id: string | null; state: string; reason_code: string | null; assessment: unknown; explanation: unknown }): string {
  const a = row.assessment as { rewardYunqi?: number; purchaseKind?: string } | null;
  const reward = a?.rewardYunqi ?? (row.explanation as { rewardYunqi?: number } | null)?.rewardYunqi;
  if (!row.ambassador_id) return `not attributed (${row.reason_code})`;
  if (reward === undefined || row.state === 'ineligible') return `attributed to ${row.ambassador_id}, ${row.state}${row.reason_code ? ` (${row.reason_code})` : ''}`;
  return `attributed to ${row.ambassador_id}, ${a?.purchaseKind?.replace('_', ' ') ?? 'reward'} ${yunqiToCny(reward)} CNY`;
}

/** The line that records a changed placement-time judgment (an earlier fact arrived later). */
export function reassessmentEvent(row: OrderRow & { assessment: unknown }, o: OrderOutcome, because: string | null, n: number, nowMs: number): SettlementEvent {
  const after = { ambassador_id: o.assessment.ambassadorId, state: o.state, reason_code: o.reasonCode, assessment: o.assessment, explanation: null };
  return {
    key: `reassessed:${n}`,
    kind: 'reassessed',
    atMs: nowMs,
    summary: `reassessed${because ? ` after ${because}` : ''}: was ${describe(row)}; now ${describe(after)}`,
    detail: { before: { ambassadorId: row.ambassador_id, state: row.state, reasonCode: row.reason_code, rewardYunqi: row.granted_yunqi }, after: { ambassadorId: o.assessment.ambassadorId, state: o.state, reasonCode: o.reasonCode, rewardYunqi: o.rewardYunqi } },
  };
}

export async function saveOutcome(tx: Sql, o: OrderOutcome, assessKey: string): Promise<void> {
  const a = o.assessment;
  const installments = o.installments.map((i) => ({ n: i.n, yunqi: i.yunqi, dueAtMs: i.dueAtMs, credited: i.status === 'credited', status: i.status }));
  const { commission, ...assessment } = a;
  await tx`
    UPDATE orders SET state = ${o.state}, reason_code = ${o.reasonCode}, ambassador_id = ${a.ambassadorId}, association_id = ${a.associationId},
           association_started_at = ${a.associationStartedAtMs === null ? null : new Date(a.associationStartedAtMs)},
           rule_set_version = ${a.ruleSetVersion || null}, review_ends_at = ${o.reviewEndsAtMs === null ? null : new Date(o.reviewEndsAtMs)},
           refunded_yunqi = ${o.refundedYunqi}, granted_yunqi = ${o.rewardYunqi}, reward_yunqi = ${o.rewardYunqi}, credited_yunqi = ${o.creditedYunqi},
           clawed_back_yunqi = ${o.clawedBackYunqi}, installments = ${tx.json(installments as never)},
           explanation = ${commission ? tx.json(commission as never) : null}, assessment = ${tx.json(assessment as never)},
           assessment_key = ${assessKey}, next_wake_at = ${o.nextWakeAtMs === null ? null : new Date(o.nextWakeAtMs)}, updated_at = now()
     WHERE order_id = ${o.orderId}`;
}

export async function recordEvents(tx: Sql, orderId: string, events: readonly SettlementEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({ order_id: orderId, key: e.key, kind: e.kind, at: iso(e.atMs), summary: e.summary, detail: e.detail ?? {} }));
  await tx`
    INSERT INTO order_events (order_id, key, kind, at, summary, detail)
    SELECT x.order_id, x.key, x.kind, x.at::timestamptz, x.summary, x.detail
      FROM jsonb_to_recordset(${tx.json(rows as never)}) AS x(order_id text, key text, kind text, at text, summary text, detail jsonb)
    ON CONFLICT (order_id, key) DO NOTHING`;
}

/** The cap room each order of the customer holds, and each association's total (R-ORD-6). */
export async function saveCapUse(tx: Sql, customerId: string, outcomes: readonly OrderOutcome[]): Promise<void> {
  for (const o of outcomes) {
    if (!o.capUse) {
      await tx`DELETE FROM cap_reservations WHERE order_id = ${o.orderId}`;
      continue;
    }
    const c = o.capUse;
    await tx`INSERT INTO cap_usage (association_id, customer_id) VALUES (${c.associationId}, ${customerId}) ON CONFLICT DO NOTHING`;
    await tx`
      INSERT INTO cap_reservations (order_id, association_id, paid_yunqi, reward_yunqi, computation)
      VALUES (${o.orderId}, ${c.associationId}, ${c.paidYunqi}, ${c.rewardYunqi}, ${tx.json((o.assessment.commission ?? {}) as never)})
      ON CONFLICT (order_id) DO UPDATE SET association_id = EXCLUDED.association_id, paid_yunqi = EXCLUDED.paid_yunqi,
        reward_yunqi = EXCLUDED.reward_yunqi, computation = EXCLUDED.computation`;
  }
  await tx`
    UPDATE cap_usage u SET paid_used_yunqi = coalesce(s.paid, 0), reward_used_yunqi = coalesce(s.reward, 0)
      FROM (SELECT cu.association_id, sum(r.paid_yunqi) AS paid, sum(r.reward_yunqi) AS reward
              FROM cap_usage cu LEFT JOIN cap_reservations r ON r.association_id = cu.association_id
             WHERE cu.customer_id = ${customerId} GROUP BY cu.association_id) s
     WHERE u.association_id = s.association_id`;
}

/** Folds the customer's order placements into its purchase facts, where other customers' same-person checks read them. */
export async function foldPurchaseFacts(tx: Sql, customerId: string, rows: readonly OrderRow[]): Promise<void> {
  const prepaid = rows.filter((r) => r.body.billing === 'prepaid').map((r) => r.placed_at.getTime());
  const payg = rows.filter((r) => r.body.billing === 'payg').map((r) => r.placed_at.getTime());
  const d = (xs: number[], f: (...n: number[]) => number) => (xs.length ? new Date(f(...xs)) : null);
  await tx`
    UPDATE customers SET
      first_paid_purchase_at = least(first_paid_purchase_at, ${d(prepaid, Math.min)}),
      first_payg_use_at = least(first_payg_use_at, ${d(payg, Math.min)}),
      last_consumption_at = greatest(last_consumption_at, ${d(prepaid, Math.max)}),
      updated_at = now()
     WHERE id = ${customerId}`;
}
