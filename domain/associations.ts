/**
 * The association (关联) state machine of one customer, R-ATTR-1..7: pure, no I/O, no clock (the
 * workflow passes its own time in). Clicks arrive already resolved by the API (ambassador,
 * window from the rule set in force at the click, refusal if any).
 *
 * Ordering rule: intervals are computed in click-time order. Clicks that arrive together are
 * applied sorted by their click time; a click older than the latest applied click (late) is placed
 * in time order and the intervals from its instant on are computed again
 * (domain/associations-reorder.ts), recorded as `reordered`; where the kept click history cannot
 * reach that far back, it is recorded as `late_click_ignored`.
 */

/** Why a click associates no one. */
export type RefusalCode =
  | 'UNKNOWN_AMBASSADOR'
  | 'AMBASSADOR_NOT_VERIFIED'
  | 'ENTERPRISE_NOT_ALLOWED'
  | 'NON_ASSOCIABLE'
  | 'SAME_PERSON';

/** The click signal's payload. */
export interface Click {
  clickId: string;
  usercode: string;
  /** null when the usercode is unknown (then `refusal` is set). */
  ambassadorId: string | null;
  /** Click instant, epoch ms. */
  occurredAt: number;
  /** Rule set in force at the click (R-ORD-9) and its association window (R-ATTR-2). */
  ruleSetVersion: string;
  windowMs: number;
  refusal?: { code: RefusalCode; reason: string };
}

export type EndReason = 'switched' | 'expired';

export interface AssociationInterval {
  associationId: string;
  ambassadorId: string;
  usercode: string;
  /** First click (R-ATTR-3: a re-click never moves it). */
  startedAt: number;
  /** Exclusive end: last click + window (R-ATTR-2, R-ATTR-3). */
  endsAt: number;
  lastClickAt: number;
  ruleSetVersion: string;
  /** When it actually ended: the other ambassador's click (R-ATTR-4) or endsAt on expiry. */
  endedAt: number | null;
  endReason: EndReason | null;
  /** Timeline seq of the last change (orders projection writes). */
  lastSeq: number;
}

export type TimelineKind = 'click' | 'created' | 'extended' | 'switched' | 'expired' | 'reopened' | 'refused' | 'late_click_ignored' | 'reordered';

export interface TimelineEvent {
  seq: number;
  kind: TimelineKind;
  /** Business instant of the event (the click, or the end of an expired association). */
  at: number;
  clickId: string | null;
  ambassadorId: string | null;
  associationId: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export interface AssociationState {
  customerId: string;
  /** Every association of the customer, oldest first (bounded by MAX_INTERVALS). */
  intervals: AssociationInterval[];
  /** The most recent TIMELINE_KEEP events; the whole timeline is in Postgres. */
  timeline: TimelineEvent[];
  nextSeq: number;
  nextAssociationNo: number;
  lastAppliedClickAt: number | null;
  /** The clickId of that click: clicks of one instant are ordered by clickId (absent in older states). */
  lastAppliedClickId?: string;
  /** Recent click ids (bounded by SEEN_KEEP): a repeated click changes nothing. */
  seenClickIds: string[];
  /** Clicks received but not applied yet (carried across continue-as-new). */
  pending: Click[];
  /** The associating clicks applied, in click-time order (bounded by MAX_CLICKS), so a late click
   * can be placed among them. Absent in states made before late clicks were placed in time order. */
  clicks?: Click[];
}

export const TIMELINE_KEEP = 200;
export const SEEN_KEEP = 1000;
export const MAX_INTERVALS = 1000;
export const MAX_CLICKS = 2000;

/** What one batch of work changed: events to append and intervals to upsert. */
export interface Change {
  events: TimelineEvent[];
  intervals: Map<string, AssociationInterval>;
  /** Associations a late click made obsolete. */
  superseded: string[];
  /** The earliest instant from which attribution may have changed (orders placed since need a look). */
  changedFromMs: number | null;
}

export const emptyChange = (): Change => ({ events: [], intervals: new Map(), superseded: [], changedFromMs: null });

export function initialState(customerId: string): AssociationState {
  return {
    customerId,
    intervals: [],
    timeline: [],
    nextSeq: 1,
    nextAssociationNo: 1,
    lastAppliedClickAt: null,
    seenClickIds: [],
    pending: [],
    clicks: [],
  };
}

/** The open association (not switched away, not recorded as expired), if any. */
export function currentInterval(state: AssociationState): AssociationInterval | undefined {
  const last = state.intervals[state.intervals.length - 1];
  return last && last.endedAt === null ? last : undefined;
}

/** End of an interval for attribution: switched ones end at the switch, others at endsAt. */
export const effectiveEnd = (i: AssociationInterval): number => Math.min(i.endsAt, i.endedAt ?? Number.MAX_SAFE_INTEGER);

/** R-ATTR-5: the association in force at instant `t` (startedAt ≤ t < effective end). */
export function intervalAt(state: AssociationState, t: number): AssociationInterval | undefined {
  for (let k = state.intervals.length - 1; k >= 0; k--) {
    const i = state.intervals[k] as AssociationInterval;
    if (i.startedAt <= t && t < effectiveEnd(i)) return i;
  }
  return undefined;
}

export function record(state: AssociationState, change: Change, e: Omit<TimelineEvent, 'seq'>): TimelineEvent {
  const event = { seq: state.nextSeq++, ...e };
  state.timeline.push(event);
  if (state.timeline.length > TIMELINE_KEEP) state.timeline.splice(0, state.timeline.length - TIMELINE_KEEP);
  change.events.push(event);
  return event;
}

export function touch(change: Change, i: AssociationInterval, seq: number): void {
  i.lastSeq = seq;
  change.intervals.set(i.associationId, i);
}

/** R-ATTR-2/R-ATTR-6: closes the open association if its end is at or before `nowMs`. */
export function expireDue(state: AssociationState, nowMs: number, change: Change): void {
  const cur = currentInterval(state);
  if (!cur || cur.endsAt > nowMs) return;
  cur.endedAt = cur.endsAt;
  cur.endReason = 'expired';
  const e = record(state, change, {
    kind: 'expired',
    at: cur.endsAt,
    clickId: null,
    ambassadorId: cur.ambassadorId,
    associationId: cur.associationId,
    detail: { startedAt: cur.startedAt, lastClickAt: cur.lastClickAt },
  });
  touch(change, cur, e.seq);
}

function create(state: AssociationState, change: Change, c: Click & { ambassadorId: string }): void {
  const i: AssociationInterval = {
    associationId: `${state.customerId}:${state.nextAssociationNo++}`,
    ambassadorId: c.ambassadorId,
    usercode: c.usercode,
    startedAt: c.occurredAt,
    endsAt: c.occurredAt + c.windowMs,
    lastClickAt: c.occurredAt,
    ruleSetVersion: c.ruleSetVersion,
    endedAt: null,
    endReason: null,
    lastSeq: 0,
  };
  state.intervals.push(i);
  // Bound the history: drop the oldest ended intervals beyond MAX_INTERVALS.
  if (state.intervals.length > MAX_INTERVALS) state.intervals.splice(0, state.intervals.length - MAX_INTERVALS);
  const e = record(state, change, {
    kind: 'created',
    at: c.occurredAt,
    clickId: c.clickId,
    ambassadorId: c.ambassadorId,
    associationId: i.associationId,
    detail: { endsAt: i.endsAt, ruleSetVersion: c.ruleSetVersion, windowDays: c.windowMs / 86_400_000 },
  });
  touch(change, i, e.seq);
}

/**
 * Applies one click (R-ATTR-1..4, R-ATTR-6, R-ATTR-7, R-SAME-1). Returns false for a repeated
 * clickId (nothing recorded). Otherwise records `click` and then one outcome: created, extended,
 * switched + created, refused, or late_click_ignored; an association whose end the click is at
 * or past is first recorded as expired; a click from before a recorded expiry that arrives after
 * it reopens that association (`reopened`) and then extends or switches it.
 */
export function applyClick(state: AssociationState, c: Click, change: Change, placeLate?: (state: AssociationState, c: Click, change: Change) => boolean): boolean {
  if (state.seenClickIds.includes(c.clickId)) return false;
  state.seenClickIds.push(c.clickId);
  if (state.seenClickIds.length > SEEN_KEEP) state.seenClickIds.splice(0, state.seenClickIds.length - SEEN_KEEP);

  const lastAt = state.lastAppliedClickAt;
  const late = lastAt !== null && (c.occurredAt < lastAt || (c.occurredAt === lastAt && state.lastAppliedClickId !== undefined && c.clickId < state.lastAppliedClickId));
  if (!late) expireDue(state, c.occurredAt, change);
  const base = { at: c.occurredAt, clickId: c.clickId, ambassadorId: c.ambassadorId };
  record(state, change, { ...base, kind: 'click', associationId: null, detail: { usercode: c.usercode, ruleSetVersion: c.ruleSetVersion } });

  if (c.refusal || c.ambassadorId === null) {
    const refusal = c.refusal ?? { code: 'UNKNOWN_AMBASSADOR', reason: `no ambassador has usercode ${c.usercode}` };
    record(state, change, { ...base, kind: 'refused', associationId: null, detail: { code: refusal.code, reason: refusal.reason } });
    return true;
  }
  change.changedFromMs = Math.min(change.changedFromMs ?? c.occurredAt, c.occurredAt);
  if (late && placeLate?.(state, c, change)) return true;
  if (late) {
    record(state, change, {
      ...base,
      kind: 'late_click_ignored',
      associationId: null,
      detail: { reason: 'the click is older than the latest applied click; intervals follow click-time order', lastAppliedClickAt: state.lastAppliedClickAt },
    });
    return true;
  }
  const click = { ...c, ambassadorId: c.ambassadorId };
  state.lastAppliedClickAt = c.occurredAt;
  if (state.clicks) state.lastAppliedClickId = c.clickId;
  if (state.clicks) {
    state.clicks.push(c);
    if (state.clicks.length > MAX_CLICKS) state.clicks.splice(0, state.clicks.length - MAX_CLICKS);
  }
  let cur = currentInterval(state);
  const last = state.intervals[state.intervals.length - 1];
  if (!cur && last?.endReason === 'expired' && c.occurredAt < last.endsAt) {
    // The click happened before the recorded expiry but arrived after it: the association was
    // still open at the click, so the expiry is withdrawn and the click applies to it.
    last.endedAt = null;
    last.endReason = null;
    cur = last;
    const e = record(state, change, {
      ...base,
      kind: 'reopened',
      ambassadorId: last.ambassadorId,
      associationId: last.associationId,
      detail: { reason: 'a click from before the recorded end arrived after the expiry' },
    });
    touch(change, last, e.seq);
  }
  if (!cur) {
    create(state, change, click);
  } else if (cur.ambassadorId === c.ambassadorId) {
    // R-ATTR-3: end = last click + window; the start stays.
    const previousEndsAt = cur.endsAt;
    cur.endsAt = c.occurredAt + c.windowMs;
    cur.lastClickAt = c.occurredAt;
    cur.ruleSetVersion = c.ruleSetVersion;
    const e = record(state, change, { ...base, kind: 'extended', associationId: cur.associationId, detail: { previousEndsAt, endsAt: cur.endsAt } });
    touch(change, cur, e.seq);
  } else {
    // R-ATTR-4: another ambassador's click ends the old association and starts a new one.
    cur.endedAt = c.occurredAt;
    cur.endReason = 'switched';
    const e = record(state, change, {
      ...base,
      kind: 'switched',
      ambassadorId: cur.ambassadorId,
      associationId: cur.associationId,
      detail: { toAmbassadorId: c.ambassadorId, toUsercode: c.usercode },
    });
    touch(change, cur, e.seq);
    create(state, change, click);
  }
  return true;
}

/** Applies the pending clicks (sorted by click time, stable) and then expiry at `nowMs`; with
 * `placeLate`, a late click is placed in time order (domain/associations-reorder.ts). */
export function applyPending(state: AssociationState, nowMs: number, placeLate?: (state: AssociationState, c: Click, change: Change) => boolean): Change {
  const change = emptyChange();
  // Click-time order; clicks of one instant by clickId (only with late clicks placed in order, so
  // older runs keep their arrival order within an instant).
  const byId = placeLate ? (a: Click, b: Click) => (a.clickId < b.clickId ? -1 : a.clickId > b.clickId ? 1 : 0) : () => 0;
  const batch = state.pending.splice(0).sort((a, b) => a.occurredAt - b.occurredAt || byId(a, b));
  for (const c of batch) applyClick(state, c, change, placeLate);
  expireDue(state, nowMs, change);
  return change;
}

/** What each click of a batch did, read from the events the batch recorded (a click that
 * recorded nothing was a repeat). The shape of the click Update's answer. */
export function clickOutcomes(batch: readonly Click[], change: Change): { clickId: string; outcome: ClickOutcomeKind; associationId: string | null; ambassadorId: string | null; endsAtMs: number | null }[] {
  return batch.map((c) => {
    const mine = change.events.filter((e) => e.clickId === c.clickId && e.kind !== 'click');
    const last = mine[mine.length - 1];
    const kind = mine.some((e) => e.kind === 'switched') ? 'switched' : ((last?.kind ?? 'duplicate') as ClickOutcomeKind);
    const associationId = last?.associationId ?? null;
    const interval = associationId ? change.intervals.get(associationId) : undefined;
    return { clickId: c.clickId, outcome: kind, associationId, ambassadorId: interval?.ambassadorId ?? c.ambassadorId, endsAtMs: interval ? effectiveEnd(interval) : null };
  });
}

export type ClickOutcomeKind = 'created' | 'extended' | 'switched' | 'reopened' | 'refused' | 'reordered' | 'late_click_ignored' | 'duplicate';
