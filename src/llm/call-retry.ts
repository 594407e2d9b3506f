/**
 * When one model call of a job is tried again on the spot, and after how long. The job
 * is the queue's unit, but the call is the unit of failure: retrying a job whole repeats
 * the calls that had succeeded (paid again) and, at a fault rate f, loses a job of k
 * calls to the dead-letter queue with probability (1 - (1 - f)^k)^6. A few quick retries
 * of just the failed call keep the job's other answers and make that loss negligible;
 * what they cannot fix (a long outage, a long retry-after) still goes back to the queue.
 */
import { isLlmError } from "./llm-error";

export interface CallRetryOptions {
  /** Tries per call, the first included; 1 turns in-place retries off. */
  maxTries: number;
  /** The first backoff; each further one doubles, with up to as much again of jitter. */
  baseDelayMs: number;
  /** The longest retry-after waited out in place (without a limiter); a longer one goes back to the queue. */
  maxInlineWaitMs: number;
}

export const DEFAULT_CALL_RETRY: Readonly<CallRetryOptions> = Object.freeze({ maxTries: 4, baseDelayMs: 250, maxInlineWaitMs: 5_000 });

/**
 * Milliseconds to wait before trying the call again, or null to give up (the job's
 * attempt fails, and the queue's failure policy takes over).
 *
 * @param tries the tries made so far (>= 1).
 * @param jitter a number in [0, 1).
 * @param paced whether a shared limiter grants the next try: it already pauses for a 429's
 *   retry-after (for every caller of the endpoint), so the call asks again at once.
 */
export function callRetryDelay(error: unknown, tries: number, jitter: number, paced: boolean, options: CallRetryOptions = DEFAULT_CALL_RETRY): number | null {
  if (!isLlmError(error) || !error.retryable || tries >= options.maxTries) return null;
  // A call that used up its whole deadline: another one in place would hold the consumer
  // for as long again; the queue retries the job later instead.
  if (error.kind === "timeout") return null;
  const backoff = options.baseDelayMs * 2 ** (tries - 1) * (1 + jitter);
  if (error.kind !== "rate_limited") return backoff;
  if (paced) return 0;
  const wait = error.retryAfterMs ?? backoff;
  return wait <= options.maxInlineWaitMs ? wait : null;
}
