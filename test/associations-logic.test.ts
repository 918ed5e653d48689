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
