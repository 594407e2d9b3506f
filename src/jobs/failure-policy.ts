/**
 * Decides what a failed job attempt means. One place, so the consumer stays a thin
 * translation: retry later (transient), wait out a rate limit, fail the job (it cannot
 * succeed), or stop the run (every job of it would fail the same way).
 */
import { isLlmError, type LlmError } from "../llm/llm-error";
import { JobInputError } from "./run-evaluate";

export type FailureDecision =
  | { action: "retry"; delaySeconds: number; reason: string }
  /**
   * A rate limit: the job is fine, the provider (or the shared limiter) says "later". The
   * wait must not use up one of the message's delivery attempts, or a busy provider would
   * send healthy jobs to the dead-letter queue: the consumer sends a fresh copy instead.
   */
  | { action: "wait"; delaySeconds: number; reason: string }
  | { action: "fail"; reason: string; systemic: boolean };

/**
 * Rate-limit waits a job may take without using up delivery attempts. A bound, so that a
 * provider that never stops answering 429 ends in the dead-letter queue after all (past
 * it, waits are ordinary retries); generous, since each wait lasts the provider's
 * retry-after or the limiter's hint (1-60 s): from a minute to most of an hour.
 */
export const MAX_RATE_LIMIT_WAITS = 50;

/** Cloudflare Queues caps a retry delay at 12 hours; a provider asking for longer is pausing us anyway. */
const MAX_DELAY_SECONDS = 15 * 60;

/**
 * @param attempts how many times the message has been delivered, this one included (>= 1).
 * @param jitter a number in [0, 1) so that retries of a burst do not land together.
 * @param rateLimitWaits the rate-limit waits the job has already taken (the message carries them).
 */
export function decideFailure(error: unknown, attempts: number, jitter: number, rateLimitWaits = 0): FailureDecision {
  if (error instanceof JobInputError) return { action: "fail", reason: error.message, systemic: false };
  if (isLlmError(error)) {
    if (!error.retryable) return { action: "fail", reason: `${error.kind}: ${error.message}`, systemic: isSystemic(error) };
    if (error.kind === "rate_limited" && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
      // Without a retry-after, back off by the waits taken so far (at most about a minute).
      const delaySeconds = error.retryAfterMs !== undefined ? clamp(Math.ceil(error.retryAfterMs / 1000)) : backoffSeconds(Math.min(rateLimitWaits + 1, 6), jitter);
      return { action: "wait", delaySeconds, reason: `${error.kind}: ${error.message}` };
    }
    if (error.retryAfterMs !== undefined) {
      return { action: "retry", delaySeconds: clamp(Math.ceil(error.retryAfterMs / 1000)), reason: `${error.kind}: ${error.message}` };
    }
    return { action: "retry", delaySeconds: backoffSeconds(attempts, jitter), reason: `${error.kind}: ${error.message}` };
  }
  // Anything else is our own transient trouble (D1 busy, a DO reset); the DLQ ends it if it persists.
  return { action: "retry", delaySeconds: backoffSeconds(attempts, jitter), reason: error instanceof Error ? error.message : String(error) };
}

/**
 * Failures every job of the run would hit the same way: a rejected key, a missing endpoint
 * (no HTTP status: our configuration), an unknown model (404). Scoring them as zeros
 * would only burn the budget, so they stop the run.
 */
function isSystemic(error: LlmError): boolean {
  return error.kind === "auth" || (error.kind === "bad_request" && (error.status === undefined || error.status === 404));
}

/** Exponential backoff with full jitter: 1-2 s, 2-4 s, 4-8 s, ... */
export function backoffSeconds(attempts: number, jitter: number): number {
  const base = 2 ** Math.max(0, attempts - 1);
  return clamp(Math.ceil(base * (1 + jitter)));
}

function clamp(seconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, seconds));
}
