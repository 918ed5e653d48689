/** Bounds on what other systems report. */

/** How far in the future a reported instant may be (clock skew between systems). */
export const CLOCK_SKEW_MS = 5 * 60_000;
