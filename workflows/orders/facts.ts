/**
 * Refunds and findings as the order workflow takes them: checked (an Update's validator refuses
 * what can never apply), dated (refundedAt, foundAt; else the moment the workflow receives them)
 * and handed to the settlement step. Deterministic: `nowMs` is the workflow's clock.
 */
import type { Finding, OrderFactInput, RefundRequest } from '../../contracts/orders';
import { instantProblem } from '../../domain/instants';
import { cnyToYunqi, yunqiToCny } from '../../domain/money';

type OrderSchemas = typeof import('../../contracts/orders/schemas');
let schemas: OrderSchemas | undefined;
/** The refund and finding schemas, loaded on the first refund or finding this workflow checks: a
 * static import would evaluate zod and build every schema in each workflow the worker creates,
 * half its CPU per workflow (docs/performance.md). Loading a module is deterministic. */
function orderSchemas(): OrderSchemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, lazy load (Update validators cannot await)
  return (schemas ??= require('../../contracts/orders/schemas') as OrderSchemas);
}

export interface OrderBounds {
  placedAtMs: number | null;
  paidYunqi: number | null;
  refundedYunqi: number;
}

export const factKey = (f: OrderFactInput) => (f.kind === 'refund' ? `refund:${f.refundId}` : `finding:${f.findingId}`);

export function refundFact(r: RefundRequest, nowMs: number): OrderFactInput {
  return { kind: 'refund', refundId: r.refundId, amountYunqi: r.amount ? cnyToYunqi(r.amount) : 0, full: r.full, atMs: r.refundedAt ? Date.parse(r.refundedAt) : nowMs, dated: r.refundedAt !== undefined };
}

export function findingFact(f: Finding, nowMs: number): OrderFactInput {
  return { kind: 'finding', findingId: f.findingId, reason: f.reason, atMs: f.foundAt ? Date.parse(f.foundAt) : nowMs, dated: f.foundAt !== undefined, ...(f.note ? { note: f.note } : {}) };
}

/** Why the fact can never apply to this order (the Update is refused), or null. */
function dateProblem(atMs: number, bounds: OrderBounds, nowMs: number, what: string): string | null {
  return instantProblem(atMs, { nowMs, notBeforeMs: bounds.placedAtMs ?? 0, notBeforeWhat: bounds.placedAtMs === null ? undefined : 'the order was placed' }, what);
}

export function validateRefund(r: RefundRequest, bounds: OrderBounds, nowMs: number): void {
  const parsed = orderSchemas().RefundSchema.safeParse(r);
  if (!parsed.success) throw new Error(`not a refund: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const f = refundFact(parsed.data, nowMs);
  const problem = dateProblem(f.atMs, bounds, nowMs, 'refundedAt');
  if (problem) throw new Error(problem);
  if (f.kind === 'refund' && !f.full && bounds.paidYunqi !== null && f.amountYunqi > bounds.paidYunqi - bounds.refundedYunqi) {
    throw new Error(`the refund of ${yunqiToCny(f.amountYunqi)} CNY is more than is left of what was paid (${yunqiToCny(bounds.paidYunqi - bounds.refundedYunqi)} CNY)`);
  }
}

export function validateFinding(f: Finding, bounds: OrderBounds, nowMs: number): void {
  const parsed = orderSchemas().FindingSchema.safeParse(f);
  if (!parsed.success) throw new Error(`not a finding: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const problem = dateProblem(findingFact(parsed.data, nowMs).atMs, bounds, nowMs, 'foundAt');
  if (problem) throw new Error(problem);
}
