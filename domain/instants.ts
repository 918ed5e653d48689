/**
 * Bounds on the business instants other systems report (docs/settlement.md): a fact is not from
 * before 1970 (nor, where a rule judges it, from before the earliest rule set), nor from later
 * than now plus the clock skew allowed between systems.
 */

/** How far in the future a reported instant may be (clock skew between systems). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Why an instant is out of bounds, or null. `notBeforeMs` defaults to 1970-01-01. */
export function instantProblem(atMs: number, bounds: { nowMs: number; notBeforeMs?: number; notBeforeWhat?: string }, what: string): string | null {
  if (!Number.isFinite(atMs)) return `${what} is not an instant`;
  const floor = bounds.notBeforeMs ?? 0;
  if (atMs < floor) return `${what} ${new Date(atMs).toISOString()} is before ${bounds.notBeforeWhat ?? '1970-01-01T00:00:00Z'}`;
  if (atMs > bounds.nowMs + CLOCK_SKEW_MS) {
    return `${what} ${new Date(atMs).toISOString()} is in the future (now is ${new Date(bounds.nowMs).toISOString()}; allowed clock skew ${CLOCK_SKEW_MS / 60_000} minutes)`;
  }
  return null;
}
