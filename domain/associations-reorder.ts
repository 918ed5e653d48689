/**
 * A late click (older than the latest applied click) placed in time order (R-ATTR-2..6 judged by
 * click instants, docs/settlement.md): the intervals that ended before it stand; those it could
 * touch are computed again from the kept clicks at and after the earliest of them, the late click
 * among them. Rebuilt intervals keep the ID of the interval they continue (same ambassador, same
 * start); intervals the new history no longer has are superseded. One `reordered` line records it.
 */
import {
  applyClick,
  effectiveEnd,
  emptyChange,
  expireDue,
  initialState,
  record,
  touch,
  type AssociationInterval,
  type AssociationState,
  type Change,
  type Click,
} from './associations';

const same = (a: AssociationInterval, b: AssociationInterval) =>
  a.endsAt === b.endsAt && a.endedAt === b.endedAt && a.endReason === b.endReason && a.lastClickAt === b.lastClickAt && a.ruleSetVersion === b.ruleSetVersion;

/** Places the late click `c` (false when the kept click history does not reach back to it). */
export function placeLateClick(state: AssociationState, c: Click, change: Change, nowMs: number): boolean {
  if (!state.clicks) return false;
  const t = c.occurredAt;
  // The clicks from `from` on are applied again, so every interval one of them touched is computed
  // again from its first click: not ended before `from` (an interval switched away at `from` was
  // ended by a click of that instant) or begun since. Widen `from` until nothing more is touched.
  let from = t;
  let affected: AssociationInterval[] = [];
  for (;;) {
    affected = state.intervals.filter((i) => effectiveEnd(i) >= from || i.startedAt >= from);
    const earliest = Math.min(from, ...affected.map((i) => i.startedAt));
    if (earliest === from) break;
    from = earliest;
  }
  const standing = state.intervals.filter((i) => i.startedAt < from);
  // The clicks that made the intervals it touches must all be kept, or they cannot be rebuilt.
  const oldest = state.clicks[0]?.occurredAt;
  if (affected.some((i) => oldest === undefined || i.startedAt < oldest)) return false;

  // Insert in click-time order (clicks of one instant by clickId).
  let at = state.clicks.length;
  const after = (k: Click) => k.occurredAt > t || (k.occurredAt === t && k.clickId > c.clickId);
  while (at > 0 && after(state.clicks[at - 1]!)) at--;
  state.clicks.splice(at, 0, c);

  const rebuilt: AssociationState = { ...initialState(state.customerId), intervals: standing.map((i) => ({ ...i })), nextAssociationNo: state.nextAssociationNo, clicks: undefined };
  const scratch = emptyChange();
  for (const k of state.clicks.filter((k) => k.occurredAt >= from)) applyClick(rebuilt, k, scratch);
  expireDue(rebuilt, nowMs, scratch);

  const unmatched = new Set(affected);
  const changed: AssociationInterval[] = [];
  for (const ni of rebuilt.intervals.slice(standing.length)) {
    const old = [...unmatched].find((o) => o.ambassadorId === ni.ambassadorId && o.startedAt === ni.startedAt);
    if (old) {
      unmatched.delete(old);
      ni.associationId = old.associationId;
      if (!same(old, ni)) changed.push(ni);
    } else {
      changed.push(ni);
    }
  }
  state.nextAssociationNo = rebuilt.nextAssociationNo;
  state.intervals = rebuilt.intervals;
  const superseded = [...unmatched].map((o) => o.associationId);
  const e = record(state, change, {
    kind: 'reordered',
    at: t,
    clickId: c.clickId,
    ambassadorId: c.ambassadorId,
    associationId: null,
    detail: {
      reason: 'a click older than the latest applied one was placed in click-time order; the associations from its instant on were computed again',
      changed: changed.map((i) => i.associationId).join(','),
      superseded: superseded.join(','),
    },
  });
  for (const i of changed) touch(change, i, e.seq);
  change.superseded.push(...superseded);
  change.changedFromMs = Math.min(change.changedFromMs ?? t, from);
  return true;
}

/** placeLateClick with the workflow's clock, in the shape applyPending takes. */
export const lateClicksInTimeOrder = (nowMs: number) => (state: AssociationState, c: Click, change: Change) => placeLateClick(state, c, change, nowMs);
