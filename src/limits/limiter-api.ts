/**
 * The rate limiter's contract, shared by its Durable Object (durable-objects/rate-limiter.ts)
 * and its callers (src/llm/limited-chat.ts). Plain data, so it crosses RPC as is. Expected
 * outcomes are values (a grant or a wait hint), never thrown errors.
 */

/** One limiter per provider endpoint and model: providers set their limits per model. */
export function limiterKey(baseUrl: string, model: string): string {
  return `${baseUrl}|${model}`;
}

export interface AcquireRequest {
  /** Whose call this is: free permits go to the runs that wait in turn. */
  runId: string;
  /** Permits wanted now: one per call about to start (an evaluate job asks for its calls at once). */
  want: number;
  /** How long a permit may be held before the limiter takes it back: longer than the call's own timeout. */
  leaseMs: number;
  /** How long the limiter may hold this request while no permit is free (0: answer at once). */
  maxWaitMs: number;
  /**
   * The job the calls belong to. A job keeps its place across its acquires and its queue
   * retries, so within a run the oldest job is served first and a denied job is not denied
   * again behind newer ones.
   */
  jobId: string;
}

export interface PermitLease {
  id: string;
  /** Epoch ms; past it the limiter reclaims the slot whether or not the call ended. */
  expiresAt: number;
}

/**
 * `granted`: between 1 and `want` permits (fewer when the window or the run's turn allows
 * fewer; ask again for the rest). `wait`: none within `maxWaitMs` (answered at once when
 * the backlog ahead clearly cannot clear in time); try again after `retryAfterMs`, the
 * provider's pause or when the job's turn should come.
 */
export type AcquireResult = { kind: "granted"; leases: PermitLease[] } | { kind: "wait"; retryAfterMs: number };

/** How a permitted call ended: only `ok` grows the window, only `rate_limited` shrinks it. */
export type CallOutcome = "ok" | "rate_limited" | "failed" | "unused";

export interface LeaseRelease {
  leaseId: string;
  outcome: CallOutcome;
  /** The provider's retry-after for a `rate_limited` outcome. */
  retryAfterMs?: number;
}

/** What a caller needs of the limiter: the Durable Object's stub, or a fake in tests. */
export interface PermitSource {
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  release(releases: LeaseRelease[]): Promise<unknown>;
}

/** A limiter's state, for operators and tests. */
export interface LimiterStatus {
  window: number;
  capacity: number;
  slowStart: boolean;
  ceiling: number | null;
  inUse: number;
  waiting: number;
  demand: number;
  pausedForMs: number;
  inFlightByRun: Record<string, number>;
  counters: { granted: number; ok: number; rateLimited: number; failed: number; unused: number; expired: number; denied: number; decreases: number };
}
