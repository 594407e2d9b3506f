/**
 * What one delivery attempt means for the delivery: delivered (a 2xx), tried again later,
 * or given up after the round's last attempt. Pure, so every branch is a unit test; the
 * consumer only carries the decision out (D1 row, queue ack or retry).
 */
import { MAX_ATTEMPTS, backoffSeconds, clampDelay, parseRetryAfter } from "./delivery-backoff";

/** What came back from the receiver: a response (any status), or no response at all. */
export type AttemptResult =
  | { kind: "response"; status: number; retryAfter: string | null; location: string | null; excerpt: string }
  | { kind: "error"; message: string };

export type AttemptDecision =
  | { status: "delivered" }
  | { status: "pending"; delaySeconds: number; error: string }
  | { status: "failed"; error: string };

export interface AttemptContext {
  /** Attempts made so far over every round, this one included (>= 1). */
  attempt: number;
  /** The attempt count at which the delivery fails (MAX_ATTEMPTS, raised by each manual retry). */
  attemptLimit: number;
  now: number;
  /** In [0, 1). */
  jitter: number;
}

/** The longest error text kept in the log. */
const MAX_ERROR_LENGTH = 300;

export function decideAttempt(result: AttemptResult, ctx: AttemptContext): AttemptDecision {
  if (result.kind === "response" && result.status >= 200 && result.status < 300) return { status: "delivered" };
  const error = describeFailure(result);
  if (ctx.attempt >= ctx.attemptLimit) return { status: "failed", error };
  // The schedule restarts with each round, so a manual retry does not begin at the longest wait.
  const roundAttempt = MAX_ATTEMPTS - (ctx.attemptLimit - ctx.attempt);
  let delaySeconds = backoffSeconds(roundAttempt, ctx.jitter);
  if (result.kind === "response" && (result.status === 429 || result.status === 503)) {
    // Retry-After is the least the receiver wants us to wait; never sooner than the schedule either.
    const asked = parseRetryAfter(result.retryAfter, ctx.now);
    if (asked !== undefined) delaySeconds = clampDelay(Math.max(delaySeconds, asked));
  }
  return { status: "pending", delaySeconds, error };
}

/** A short, single-line account of a failed attempt, for the delivery log. */
export function describeFailure(result: AttemptResult): string {
  if (result.kind === "error") return shorten(result.message);
  if (result.status >= 300 && result.status < 400) {
    const target = result.location ? ` to ${result.location}` : "";
    return shorten(`HTTP ${result.status}: redirect${target} not followed; subscribe the final URL`);
  }
  const excerpt = singleLine(result.excerpt);
  return shorten(excerpt ? `HTTP ${result.status}: ${excerpt}` : `HTTP ${result.status}`);
}

function singleLine(text: string): string {
  return text.replace(/[\p{Cc}\s]+/gu, " ").trim();
}

function shorten(text: string): string {
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
