/** Properties of the pure association state machine (workflows/association-logic.ts). */
import fc from 'fast-check';
import {
  applyPending,
  effectiveEnd,
  initialState,
  intervalAt,
  type AssociationState,
  type Click,
} from '../domain/associations';
import { lateClicksInTimeOrder } from '../domain/associations-reorder';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

const clickArb = fc.record({
  clickId: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11', 'c12'),
  ambassador: fc.constantFrom('a', 'b', 'c'),
  offsetDays: fc.integer({ min: 0, max: 200 }),
  refused: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});

function toClick(x: { clickId: string; ambassador: string; offsetDays: number; refused: boolean }): Click {
  return {
    clickId: x.clickId,
    usercode: `code${x.ambassador}`,
    ambassadorId: x.ambassador,
    occurredAt: T0 + x.offsetDays * DAY,
    ruleSetVersion: '2024-06-01',
    windowMs: 60 * DAY,
    ...(x.refused ? { refusal: { code: 'SAME_PERSON' as const, reason: 'same person' } } : {}),
  };
}

/** Feeds clicks one batch at a time, the workflow clock following the latest click. */
function run(batches: Click[][]): AssociationState {
  const s = initialState('cust');
  let now = T0;
  for (const batch of batches) {
    s.pending.push(...batch);
    now = Math.max(now, ...batch.map((c) => c.occurredAt));
    applyPending(s, now);
  }
  return s;
}

test('R-ATTR-3 R-ATTR-4 R-ATTR-6 intervals never overlap, at most the last is open, and attribution finds the interval containing an instant', () => {
  fc.assert(
    fc.property(fc.array(fc.array(clickArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), (raw) => {
      const s = run(raw.map((b) => b.map(toClick)));
      s.intervals.forEach((i, k) => {
        expect(i.startedAt).toBeLessThanOrEqual(effectiveEnd(i));
        const next = s.intervals[k + 1];
        if (next) {
          expect(i.endedAt).not.toBeNull();
          expect(effectiveEnd(i)).toBeLessThanOrEqual(next.startedAt);
        }
        // (A switch at the very instant of the click leaves an empty interval.)
        if (effectiveEnd(i) > i.startedAt) expect(intervalAt(s, i.startedAt)).toBe(i);
      });
      expect(s.timeline.map((e) => e.seq)).toEqual(s.timeline.map((_, k) => k + 1));
      expect(new Set(s.timeline.filter((e) => e.kind === 'click').map((e) => e.clickId)).size).toBe(s.timeline.filter((e) => e.kind === 'click').length);
    }),
  );
});

test('R-ATTR-3 repeating any clicks changes nothing', () => {
  fc.assert(
    fc.property(fc.array(clickArb, { minLength: 1, maxLength: 10 }), (raw) => {
      const clicks = raw.map(toClick);
      const once = run(clicks.map((c) => [c]));
      const twice = run([...clicks, ...clicks].map((c) => [c]));
      expect(twice.intervals).toEqual(once.intervals);
      expect(twice.timeline).toEqual(once.timeline);
    }),
  );
});

/** Feeds clicks one at a time with late clicks placed in time order, the clock at `nowMs`. */
function runInTimeOrder(clicks: Click[], nowMs: number): AssociationState {
  const s = initialState('cust');
  for (const c of clicks) {
    s.pending.push(c);
    applyPending(s, nowMs, lateClicksInTimeOrder(nowMs));
  }
  return s;
}

const shape = (s: AssociationState) => s.intervals.map((i) => [i.ambassadorId, i.startedAt, i.endsAt, i.endedAt, i.endReason]);

test('R-ATTR-2 R-ATTR-3 R-ATTR-4 R-ATTR-6 late clicks placed in time order: any arrival order gives the intervals of click-time order', () => {
  fc.assert(
    fc.property(fc.uniqueArray(clickArb, { selector: (c) => c.clickId, minLength: 1, maxLength: 8 }), fc.integer(), (raw, seed) => {
      const clicks = raw.map(toClick);
      const now = T0 + 400 * DAY;
      const inOrder = runInTimeOrder([...clicks].sort((a, b) => a.occurredAt - b.occurredAt || (a.clickId < b.clickId ? -1 : 1)), now);
      let k = seed >>> 0;
      const shuffled = [...clicks].sort(() => ((k = (Math.imul(k, 1103515245) + 12345) >>> 0) & 1) - 0.5);
      const arrived = runInTimeOrder(shuffled, now);
      expect(shape(arrived)).toEqual(shape(inOrder));
      for (const t of [...clicks.map((c) => c.occurredAt + 1), T0 + 100 * DAY]) {
        expect(intervalAt(arrived, t)?.ambassadorId ?? null).toBe(intervalAt(inOrder, t)?.ambassadorId ?? null);
      }
    }),
    { numRuns: 300 },
  );
});
