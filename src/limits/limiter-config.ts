/**
 * The shared rate limiter's constants: one place, so the policy's tests and the Durable
 * Object read the same numbers, and a reader sees the whole policy at a glance.
 */

export interface LimiterConfig {
  /** Permits a limiter that has learnt nothing yet lets out at once (and per `slotMs`). */
  initialWindow: number;
  /**
   * The floor: one call at a time and per `slotMs`. A provider that wants less says so in
   * its retry-after, and the pause honours that, so the window need not go lower.
   */
  minWindow: number;
  maxWindow: number;
  /** A 429 multiplies the window (as it was in use) by this. */
  decreaseFactor: number;
  /**
   * A permit keeps its slot at least this long after its grant, so the window bounds the
   * request rate (window per `slotMs`) as well as the calls in flight: providers limit
   * both, and a fast model would otherwise pass any concurrency window at any rate.
   */
  slotMs: number;
  /**
   * The slot time is cut into this many slices, and each slice grants at most its share of
   * the window: calls spread over the second instead of leaving in one burst, which
   * would meet a provider's concurrency limit (or a per-minute limit enforced per second).
   */
  burstSlices: number;
  /** The pause after a 429 that names no retry-after. */
  defaultPauseMs: number;
  /** A longer retry-after is clamped, so one bad header cannot freeze every run for a day. */
  maxPauseMs: number;
  /** After a 429, growth stops just below the size that was refused for this long. */
  ceilingHoldMs: number;
  /** Upper bound on a lease: a consumer that died mid-call frees its slot by then at the latest. */
  maxLeaseMs: number;
  /** Most permits one acquire may ask for (an evaluate job's calls; evalChunkSize is at most 100). */
  maxWant: number;
  /** Longest a caller may be held waiting inside the limiter per acquire. */
  maxWaitMs: number;
  /** Bounds of the wait hint a denied caller gets (the queue retries in whole seconds). */
  minHintMs: number;
  maxHintMs: number;
}

export const DEFAULT_LIMITER_CONFIG: Readonly<LimiterConfig> = Object.freeze({
  initialWindow: 8,
  minWindow: 1,
  maxWindow: 512,
  decreaseFactor: 0.7,
  slotMs: 1_000,
  burstSlices: 4,
  defaultPauseMs: 1_000,
  maxPauseMs: 5 * 60_000,
  ceilingHoldMs: 30_000,
  maxLeaseMs: 15 * 60_000,
  maxWant: 100,
  maxWaitMs: 30_000,
  minHintMs: 1_000,
  maxHintMs: 60_000,
});

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
