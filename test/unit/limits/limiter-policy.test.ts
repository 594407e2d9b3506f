import { describe, expect, it } from "vitest";
import type { AcquireRequest, AcquireResult } from "../../../src/limits/limiter-api";
import { DEFAULT_LIMITER_CONFIG, type LimiterConfig } from "../../../src/limits/limiter-config";
import { LimiterPolicy } from "../../../src/limits/limiter-policy";

/**
 * A limiter driven by hand: `ask` queues a request and dispatches; `at` moves the clock
 * and dispatches; answers are collected per waiter.
 */
function makeLimiter(overrides: Partial<LimiterConfig> = {}) {
  const policy = new LimiterPolicy({ ...DEFAULT_LIMITER_CONFIG, ...overrides }, { idPrefix: "t" });
  let now = 0;
  const answers = new Map<string, AcquireResult>();
  const dispatch = () => {
    for (const d of policy.dispatch(now)) answers.set(d.waiterId, d.result);
  };
  return {
    policy,
    ask(request: Partial<AcquireRequest> & { runId: string }): string {
      const id = policy.request({ jobId: `${request.runId}:j${Math.random()}`, want: 1, leaseMs: 60_000, maxWaitMs: 5_000, ...request }, now);
      dispatch();
      return id;
    },
    at(t: number) {
      now = t;
      dispatch();
    },
    answer: (id: string) => answers.get(id),
    leases: (id: string) => {
      const a = answers.get(id);
      return a?.kind === "granted" ? a.leases : [];
    },
    release(ids: string[], outcome: "ok" | "rate_limited" | "failed" = "ok", retryAfterMs?: number) {
      policy.release(ids.map((leaseId) => ({ leaseId, outcome, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) })), now);
      dispatch();
    },
    get now() {
      return now;
    },
  };
}

describe("LimiterPolicy: the window", () => {
  it("grants a batch at once up to the window, spread over the second in slices", () => {
    const limiter = makeLimiter({ initialWindow: 8, burstSlices: 4 });
    const job = limiter.ask({ runId: "a", want: 8 });
    // A quarter of the window per quarter second: two now, the rest as the slices pass.
    expect(limiter.leases(job)).toHaveLength(2);
    const rest = limiter.ask({ runId: "a", jobId: "same", want: 6 });
    expect(limiter.answer(rest)).toBeUndefined();
    expect(limiter.policy.nextWakeAt(limiter.now)).toBe(250);
    limiter.at(250);
    expect(limiter.leases(rest)).toHaveLength(2);
  });

  it("bounds the rate as well as the concurrency: a released permit keeps its slot for a second", () => {
    const limiter = makeLimiter({ initialWindow: 2, burstSlices: 1 });
    const first = limiter.ask({ runId: "a", want: 2 });
    // Failed, so that the window does not grow meanwhile.
    limiter.release(limiter.leases(first).map((l) => l.id), "failed");
    const second = limiter.ask({ runId: "a", want: 2 });
    expect(limiter.answer(second)).toBeUndefined();
    limiter.at(999);
    expect(limiter.answer(second)).toBeUndefined();
    limiter.at(1_000);
    expect(limiter.leases(second)).toHaveLength(2);
  });

  it("grows on successes that filled the window, and a 429 shrinks it for every run and pauses them until retry-after", () => {
    const limiter = makeLimiter({ initialWindow: 4, burstSlices: 1 });
    const a = limiter.ask({ runId: "a", want: 4 });
    limiter.release(limiter.leases(a).map((l) => l.id));
    expect(limiter.policy.status(limiter.now).window).toBe(8);

    limiter.at(1_000);
    const b = limiter.ask({ runId: "b", want: 8 });
    const [limited, ...others] = limiter.leases(b);
    limiter.release([limited!.id], "rate_limited", 2_000);
    expect(limiter.policy.status(limiter.now)).toMatchObject({ pausedForMs: 2_000, slowStart: false, counters: { rateLimited: 1, decreases: 1 } });
    // The other run waits out the pause, even though slots are free.
    const c = limiter.ask({ runId: "c", want: 1, maxWaitMs: 5_000 });
    limiter.release(others.map((l) => l.id));
    limiter.at(2_999);
    expect(limiter.answer(c)).toBeUndefined();
    limiter.at(3_000);
    expect(limiter.leases(c)).toHaveLength(1);
    expect(limiter.policy.status(limiter.now).window).toBeLessThan(8);
  });

  it("grows on every grant of a slice that filled the window, not only on the last caller's", () => {
    const limiter = makeLimiter({ initialWindow: 8, burstSlices: 1 });
    // Eight one-call jobs, each asking on its own (as a batch of them does): together they fill the window.
    const jobs = Array.from({ length: 8 }, (_, i) => limiter.ask({ runId: "a", jobId: `a:${i}` }));
    const late = limiter.ask({ runId: "a", jobId: "a:late" });
    expect(limiter.answer(late)).toBeUndefined();
    limiter.release(jobs.flatMap((id) => limiter.leases(id).map((l) => l.id)));
    // Slow start: a window's worth of full-window successes doubles it.
    expect(limiter.policy.status(limiter.now).window).toBe(16);
  });

  it("does not grow on grants that never filled the window, however many", () => {
    const limiter = makeLimiter({ initialWindow: 8, burstSlices: 1 });
    for (let t = 0; t < 20; t++) {
      limiter.at(t * 1_000);
      const job = limiter.ask({ runId: "a", jobId: `a:${t}`, want: 7 });
      limiter.release(limiter.leases(job).map((l) => l.id));
    }
    expect(limiter.policy.status(limiter.now).window).toBe(8);
  });

  it("answers at once, with the pause as the hint, a caller that cannot wait out the pause", () => {
    const limiter = makeLimiter();
    const a = limiter.ask({ runId: "a" });
    limiter.release(limiter.leases(a).map((l) => l.id), "rate_limited", 20_000);
    const b = limiter.ask({ runId: "b", maxWaitMs: 5_000 });
    expect(limiter.answer(b)).toEqual({ kind: "wait", retryAfterMs: 20_000 });
  });

  it("takes back the slot of a permit never released once its lease expires, and ignores its late release", () => {
    const limiter = makeLimiter({ initialWindow: 1, burstSlices: 1 });
    const crashed = limiter.ask({ runId: "a", leaseMs: 10_000 });
    const waiting = limiter.ask({ runId: "b", maxWaitMs: 30_000 });
    expect(limiter.answer(waiting)).toBeUndefined();
    expect(limiter.policy.nextWakeAt(limiter.now)).toBe(10_000);
    limiter.at(9_999);
    expect(limiter.answer(waiting)).toBeUndefined();
    limiter.at(10_000);
    expect(limiter.leases(waiting)).toHaveLength(1);
    expect(limiter.policy.status(limiter.now).counters.expired).toBe(1);
    // The holder comes back late: ignored, it does not free the slot the waiter now holds.
    limiter.release(limiter.leases(crashed).map((l) => l.id));
    limiter.release(["t-404"]);
    expect(limiter.policy.status(limiter.now)).toMatchObject({ inUse: 1, counters: { ok: 0 } });
  });

  it("lets nobody wait past its deadline: the answer says when to try again", () => {
    const limiter = makeLimiter({ initialWindow: 1, burstSlices: 1 });
    limiter.ask({ runId: "a" });
    const late = limiter.ask({ runId: "b", maxWaitMs: 2_000 });
    limiter.at(2_000);
    const answer = limiter.answer(late);
    expect(answer?.kind).toBe("wait");
    expect(answer?.kind === "wait" && answer.retryAfterMs).toBeGreaterThanOrEqual(DEFAULT_LIMITER_CONFIG.minHintMs);
    expect(limiter.policy.status(limiter.now)).toMatchObject({ waiting: 0, counters: { denied: 1 } });
  });
});

describe("LimiterPolicy: fairness", () => {
  it("serves runs in turn: a run with many jobs cannot take every permit from a run with one", () => {
    const limiter = makeLimiter({ initialWindow: 4, burstSlices: 1, maxWaitMs: 60_000 });
    const blocker = limiter.ask({ runId: "big", want: 4 });
    const big = [1, 2, 3, 4].map((i) => limiter.ask({ runId: "big", jobId: `big:${i}`, want: 4, maxWaitMs: 60_000 }));
    const small = limiter.ask({ runId: "small", jobId: "small:1", want: 2, maxWaitMs: 60_000 });
    expect(limiter.answer(small)).toBeUndefined();
    limiter.release(limiter.leases(blocker).map((l) => l.id), "failed");
    limiter.at(1_000);
    // Four free slots alternate between the two runs: the small run gets its two at once.
    expect(limiter.leases(small)).toHaveLength(2);
    expect(big.map((id) => limiter.leases(id).length)).toEqual([2, 0, 0, 0]);
  });

  it("serves the oldest job of a run first, so a job half done finishes before a new one starts", () => {
    const limiter = makeLimiter({ initialWindow: 2, burstSlices: 1, maxWaitMs: 60_000 });
    const first = limiter.ask({ runId: "a", jobId: "a:1", want: 3 });
    expect(limiter.leases(first)).toHaveLength(2);
    const newer = limiter.ask({ runId: "a", jobId: "a:2", want: 2, maxWaitMs: 60_000 });
    const rest = limiter.ask({ runId: "a", jobId: "a:1", want: 1, maxWaitMs: 60_000 });
    limiter.release(limiter.leases(first).map((l) => l.id), "failed");
    limiter.at(1_000);
    expect(limiter.leases(rest)).toHaveLength(1);
    expect(limiter.leases(newer)).toHaveLength(1);
  });

  it("turns a job away at once when the backlog ahead of it cannot clear within its wait, with the time its turn should come", () => {
    const limiter = makeLimiter({ initialWindow: 4, burstSlices: 1, maxWaitMs: 60_000 });
    limiter.ask({ runId: "a", jobId: "a:0", want: 4 });
    // 20 permits queued ahead at 4 a second: about 5 s before a newer job of run a gets any.
    limiter.ask({ runId: "a", jobId: "a:1", want: 20, maxWaitMs: 60_000 });
    const newer = limiter.ask({ runId: "a", jobId: "a:2", want: 4, maxWaitMs: 3_000 });
    const answer = limiter.answer(newer);
    expect(answer).toEqual({ kind: "wait", retryAfterMs: expect.any(Number) });
    expect(answer?.kind === "wait" && answer.retryAfterMs).toBeGreaterThanOrEqual(5_000);
    expect(answer?.kind === "wait" && answer.retryAfterMs).toBeLessThanOrEqual(6_000);
    // Another run is not behind run a's backlog: it takes turns with it, so it waits.
    const other = limiter.ask({ runId: "b", jobId: "b:1", want: 2, maxWaitMs: 3_000 });
    expect(limiter.answer(other)).toBeUndefined();
  });
});
