/**
 * The systems-testing side of SimLM: rate limiting, injected faults, latency and the
 * counters a benchmark reads. Draws are deterministic by (seed, call number), so a run
 * against the same SimLM sees the same faults at the same calls, and a retried request
 * (a new call number) gets a fresh draw instead of failing forever.
 */
import { unitOf } from "./hash";
import type { SimMode } from "./simulate";

/** Faults SimLM can inject into an accepted chat completion. */
export type FaultKind = "server_error" | "timeout" | "truncated" | "malformed" | "empty_content";

/** Rates in [0, 1] per accepted call; they are drawn in this order and should sum to at most 1. */
export interface FaultRates {
  /** HTTP 500 with an OpenAI-style error body. */
  serverError?: number;
  /** No answer in time: see SimLmOptions.timeout. */
  timeout?: number;
  /** HTTP 200 whose JSON body is cut in half. */
  truncated?: number;
  /** HTTP 200 with `choices: []`. */
  malformed?: number;
  /** HTTP 200 whose message content is null. */
  emptyContent?: number;
}

const FAULT_ORDER: Array<[FaultKind, keyof FaultRates]> = [
  ["server_error", "serverError"],
  ["timeout", "timeout"],
  ["truncated", "truncated"],
  ["malformed", "malformed"],
  ["empty_content", "emptyContent"],
];

/** The fault (if any) of accepted call number `call`. */
export function drawFault(seed: number, call: number, rates: FaultRates): FaultKind | null {
  const u = unitOf(seed, "fault", call);
  let acc = 0;
  for (const [kind, key] of FAULT_ORDER) {
    acc += rates[key] ?? 0;
    if (u < acc) return kind;
  }
  return null;
}

/** Fixed milliseconds, or a uniform range drawn per call. */
export type Latency = number | { min: number; max: number };

export function latencyFor(seed: number, call: number, latency: Latency | undefined): number {
  if (latency === undefined) return 0;
  if (typeof latency === "number") return Math.max(0, latency);
  const u = unitOf(seed, "latency", call);
  return Math.max(0, latency.min + u * (latency.max - latency.min));
}

/** Limits on accepted chat completions; excess requests get 429. */
export interface RateLimit {
  /** Requests per second, over a sliding one-second window. */
  rps?: number;
  /** Requests being answered at once. */
  maxConcurrent?: number;
}

/** A 429 decision: how long the client should wait. */
export interface Throttle {
  retryAfterMs: number;
  reason: string;
}

/** Sliding-window and concurrency limiter. Time comes from the caller's clock. */
export class RateLimiter {
  private accepted: number[] = [];

  constructor(private readonly limit: RateLimit) {}

  /** Records an accepted request at `now`, or answers how long to wait. */
  admit(now: number, inFlight: number): Throttle | null {
    const { rps, maxConcurrent } = this.limit;
    if (maxConcurrent !== undefined && inFlight >= maxConcurrent) {
      return { retryAfterMs: 1000, reason: `more than ${maxConcurrent} concurrent requests` };
    }
    if (rps !== undefined) {
      this.accepted = this.accepted.filter((t) => t > now - 1000);
      const oldest = this.accepted[0];
      if (this.accepted.length >= rps && oldest !== undefined) {
        return { retryAfterMs: Math.max(1, oldest + 1000 - now), reason: `more than ${rps} requests per second` };
      }
      this.accepted.push(now);
    }
    return null;
  }

  reset(): void {
    this.accepted = [];
  }
}

/** Counters readable at GET /simlm/stats. */
export interface SimLmStats {
  /** Always true: these numbers come from a simulated model. */
  simulated: true;
  /** Every HTTP request, any route. */
  requests: number;
  /** Chat completions accepted past the rate limit (each draws latency and faults). */
  calls: number;
  /** Chat completions answered with a usable completion. */
  completed: number;
  byMode: Record<SimMode, number>;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Requests answered 429. */
  rateLimited: number;
  badRequests: number;
  faults: Record<FaultKind, number>;
  inFlight: number;
  maxInFlight: number;
}

export function emptyStats(): SimLmStats {
  return {
    simulated: true,
    requests: 0,
    calls: 0,
    completed: 0,
    byMode: { task: 0, "propose-task": 0, "propose-agent": 0, critique: 0, "propose-system": 0, chat: 0 },
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    rateLimited: 0,
    badRequests: 0,
    faults: { server_error: 0, timeout: 0, truncated: 0, malformed: 0, empty_content: 0 },
    inFlight: 0,
    maxInFlight: 0,
  };
}
