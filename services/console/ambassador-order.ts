/**
 * One order as its ambassador may see it: the order view (state, money, installments, the
 * commission explanation) and the parts of its timeline that concern the ambassador. Timeline
 * lines keep their kind, instant and a few fields known to be safe (amounts, reason codes, the
 * installment), never free text, other ambassadors' ids, finding notes or which identity
 * attribute of the customer changed; the console words each kind in the reader's language.
 */
import type { CommissionExplanation } from '../../domain/commission';
import type { Assessment } from '../../domain/settlement/outcome';
import { orderWithHistory } from '../../db/repositories/orders';
import { nowOf, type Deps } from '../deps';
import { orderView } from '../orders/views';

/** The detail fields an ambassador may read, by name. */
const SAFE_DETAIL = ['level', 'associationStartedAt', 'associationEndsAt', 'reasonCode', 'reviewEndsAt', 'installment', 'yunqi', 'amountYunqi', 'keptYunqi', 'full', 'refundedAt', 'reason', 'foundAt'] as const;

export interface AmbassadorTimelineLine {
  at: string;
  kind: string;
  detail: Partial<Record<(typeof SAFE_DETAIL)[number] | 'subject' | 'state' | 'rewardYunqi', string | number | boolean | null>>;
}

function safeDetail(kind: string, detail: unknown): AmbassadorTimelineLine['detail'] {
  const d = (detail && typeof detail === 'object' ? detail : {}) as Record<string, unknown>;
  const out: AmbassadorTimelineLine['detail'] = {};
  for (const k of SAFE_DETAIL) {
    const v = d[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  const change = d.change as { subject?: unknown } | undefined;
  if (change && (change.subject === 'ambassador' || change.subject === 'customer')) out.subject = change.subject;
  if (kind === 'reassessed') {
    const after = d.after as { state?: unknown; rewardYunqi?: unknown } | undefined;
    if (typeof after?.state === 'string') out.state = after.state;
    if (typeof after?.rewardYunqi === 'number') out.rewardYunqi = after.rewardYunqi;
  }
  return out;
}

/** The order if it is attributed to `ambassadorId`; undefined otherwise (another's, or unknown). */
export async function ambassadorOrderView(deps: Pick<Deps, 'sql' | 'now'>, ambassadorId: string, orderId: string) {
  const { row, events } = await orderWithHistory(deps.sql, orderId);
  if (!row || row.ambassador_id !== ambassadorId) return undefined;
  const { ambassadorId: _a, associationId: _b, failure: _f, explanation, assessment, ...view } = orderView(row, nowOf(deps));
  // Both columns hold what the settlement wrote: a CommissionExplanation and an Assessment.
  const a = assessment as Partial<Assessment> | null;
  return {
    ...view,
    explanation: (explanation as CommissionExplanation | null) ?? null,
    assessment: a ? { purchaseKind: a.purchaseKind ?? null, customerType: a.customerClass?.type ?? null, customerReason: a.customerClass?.reason ?? null, level: a.level ?? null } : null,
    productCode: row.body.productCode,
    productCategory: row.body.productCategory,
    orderType: row.body.orderType,
    timeline: events.map((e): AmbassadorTimelineLine => ({ at: e.at.toISOString(), kind: e.kind, detail: safeDetail(e.kind, e.detail) })),
  };
}
