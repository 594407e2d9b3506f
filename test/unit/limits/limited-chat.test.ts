import { describe, expect, it } from "vitest";
import { decideFailure } from "../../../src/jobs/failure-policy";
import type { CallRetryOptions } from "../../../src/llm/call-retry";
import type { AcquireRequest, AcquireResult, LeaseRelease, PermitSource } from "../../../src/limits/limiter-api";
import type { ChatPort, ChatRequest, ChatResponse } from "../../../src/llm/chat-port";
import { createLimitedChat } from "../../../src/llm/limited-chat";
import { LlmError } from "../../../src/llm/llm-error";

const REQUEST: ChatRequest = { model: { role: "task", model: "m" }, system: "s", user: "u", maxTokens: 8 };
const ANSWER: ChatResponse = { text: "ok", promptTokens: 1, completionTokens: 1 };

type Script = AcquireResult | Error | Promise<AcquireResult>;

function granted(...ids: string[]): AcquireResult {
  return { kind: "granted", leases: ids.map((id) => ({ id, expiresAt: 0 })) };
}

/** A limiter answering acquires from a script (then: grant everything), recording what it was told. */
class FakeLimiter implements PermitSource {
  readonly acquires: AcquireRequest[] = [];
  readonly releases: LeaseRelease[][] = [];
  private leases = 0;

  constructor(private readonly script: Script[] = []) {}

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    this.acquires.push(request);
    const next = this.script.shift() ?? granted(...Array.from({ length: request.want }, () => `L${++this.leases}`));
    if (next instanceof Error) throw next;
    return next;
  }

  async release(releases: LeaseRelease[]): Promise<void> {
    this.releases.push(releases);
  }

  released(): LeaseRelease[] {
    return this.releases.flat();
  }
}

/** In-place retries off: each failed call fails its job's attempt at once. */
const NO_RETRY: CallRetryOptions = { maxTries: 1, baseDelayMs: 0, maxInlineWaitMs: 0 };

function makeChat(limiter: PermitSource | null, complete: ChatPort["complete"] = async () => ANSWER, retry: CallRetryOptions = NO_RETRY) {
  let calls = 0;
  const sleeps: number[] = [];
  const inner: ChatPort = {
    complete: (request) => {
      calls++;
      return complete(request);
    },
  };
  const sleep = async (ms: number) => void sleeps.push(ms);
  const chat = createLimitedChat(inner, limiter, { runId: "run_1", jobId: "run_1:j1", callTimeoutMs: 10_000, retry, sleep, random: () => 0 });
  return { chat, calls: () => calls, sleeps };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createLimitedChat", () => {
  it("asks for the permits of calls started together in one round trip, and returns them in one with their outcomes", async () => {
    const limiter = new FakeLimiter();
    const { chat } = makeChat(limiter);
    await Promise.all([chat.complete(REQUEST), chat.complete(REQUEST), chat.complete(REQUEST)]);
    await chat.close();
    expect(limiter.acquires).toEqual([{ runId: "run_1", jobId: "run_1:j1", want: 3, leaseMs: 40_000, maxWaitMs: 5_000 }]);
    expect(limiter.releases).toEqual([["L1", "L2", "L3"].map((leaseId) => ({ leaseId, outcome: "ok" }))]);
  });

  it("asks again for the calls a partial grant left waiting", async () => {
    const partial = new FakeLimiter([granted("P1")]);
    const { chat, calls } = makeChat(partial);
    await Promise.all([chat.complete(REQUEST), chat.complete(REQUEST), chat.complete(REQUEST)]);
    expect(partial.acquires.map((a) => a.want)).toEqual([3, 2]);
    expect(calls()).toBe(3);
  });

  it("reports a 429 with its retry-after, fails the calls still waiting with it, and returns permits that come too late", async () => {
    const later = deferred<AcquireResult>();
    const limiter = new FakeLimiter([granted("L1"), later.promise]);
    const limited = new LlmError("rate_limited", "slow down", 7_000, 429);
    const { chat, calls } = makeChat(limiter, async () => {
      throw limited;
    });
    const results = await Promise.allSettled([chat.complete(REQUEST), chat.complete(REQUEST), chat.complete(REQUEST)]);
    expect(results.map((r) => r.status === "rejected" && r.reason)).toEqual([limited, limited, limited]);
    expect(calls()).toBe(1);
    // The second acquire answers after the job gave up: those permits go straight back.
    later.resolve(granted("L2", "L3"));
    await chat.close();
    expect(limiter.released()).toEqual([
      { leaseId: "L1", outcome: "rate_limited", retryAfterMs: 7_000 },
      { leaseId: "L2", outcome: "unused" },
      { leaseId: "L3", outcome: "unused" },
    ]);
  });

  it("hands the job back to the queue, with the limiter's hint as the delay, when no permit comes in time", async () => {
    const { chat, calls } = makeChat(new FakeLimiter([{ kind: "wait", retryAfterMs: 2_500 }]));
    const error = await chat.complete(REQUEST).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 2_500, retryable: true });
    expect(calls()).toBe(0);
    // A rate-limit wait: the job goes back to the queue without using up a delivery attempt.
    expect(decideFailure(error, 1, 0)).toMatchObject({ action: "wait", delaySeconds: 3 });
    // Later calls of the same job fail the same way without asking again.
    await expect(chat.complete(REQUEST)).rejects.toBe(error);
  });

  it("calls without a permit when the limiter cannot answer (it paces calls; it must not stop them)", async () => {
    const limiter = new FakeLimiter([new Error("Durable Object reset")]);
    const { chat, calls } = makeChat(limiter);
    await expect(Promise.all([chat.complete(REQUEST), chat.complete(REQUEST)])).resolves.toEqual([ANSWER, ANSWER]);
    await chat.close();
    expect(calls()).toBe(2);
    expect(limiter.releases).toEqual([]);
  });

  it("close() waits for calls still in flight after their job failed, and returns their permits", async () => {
    const slow = deferred<ChatResponse>();
    const limiter = new FakeLimiter();
    let n = 0;
    const { chat } = makeChat(limiter, () => (++n === 1 ? Promise.reject(new LlmError("server", "boom", undefined, 500)) : slow.promise));
    await expect(Promise.all([chat.complete(REQUEST), chat.complete(REQUEST)])).rejects.toMatchObject({ kind: "server" });
    const closed = chat.close();
    setTimeout(() => slow.resolve(ANSWER), 5);
    await closed;
    expect(limiter.released()).toEqual([
      { leaseId: "L1", outcome: "failed" },
      { leaseId: "L2", outcome: "ok" },
    ]);
  });

  it("tries a failed call again on the spot, keeping the job's other answers, and meters every completion", async () => {
    const limiter = new FakeLimiter();
    let n = 0;
    const { chat, calls, sleeps } = makeChat(
      limiter,
      async () => {
        if (++n === 2) throw new LlmError("server", "boom", undefined, 500);
        return ANSWER;
      },
      { maxTries: 3, baseDelayMs: 100, maxInlineWaitMs: 1_000 },
    );
    await expect(Promise.all([chat.complete(REQUEST), chat.complete(REQUEST), chat.complete(REQUEST)])).resolves.toEqual([ANSWER, ANSWER, ANSWER]);
    await chat.close();
    expect(calls()).toBe(4);
    expect(sleeps).toEqual([100]);
    // The retry drew a permit of its own; the failed call's went back as failed.
    expect(limiter.released().map((r) => r.outcome).sort()).toEqual(["failed", "ok", "ok", "ok"]);
    expect(chat.usage()).toEqual({ calls: 3, promptTokens: 3, completionTokens: 3 });
  });

  it("under a limiter, asks again at once after a 429 (the limiter pauses for the retry-after); without one, waits it out in place", async () => {
    const limited = () => new LlmError("rate_limited", "slow down", 1_500, 429);
    let n = 0;
    const flaky = async () => {
      if (++n === 1) throw limited();
      return ANSWER;
    };
    const retry = { maxTries: 3, baseDelayMs: 100, maxInlineWaitMs: 2_000 };
    const paced = makeChat(new FakeLimiter(), flaky, retry);
    await expect(paced.chat.complete(REQUEST)).resolves.toEqual(ANSWER);
    expect(paced.sleeps).toEqual([]);
    n = 0;
    const unpaced = makeChat(null, flaky, retry);
    await expect(unpaced.chat.complete(REQUEST)).resolves.toEqual(ANSWER);
    expect(unpaced.sleeps).toEqual([1_500]);
    // A retry-after longer than a handler should wait goes back to the queue instead.
    const long = makeChat(null, async () => Promise.reject(new LlmError("rate_limited", "slow down", 60_000, 429)), retry);
    await expect(long.chat.complete(REQUEST)).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 60_000 });
    expect(long.calls()).toBe(1);
  });

  it("gives up after its tries: the call fails, the job's later calls fail with it, and the answers received are still metered", async () => {
    const limiter = new FakeLimiter();
    let n = 0;
    const { chat, calls } = makeChat(
      limiter,
      async () => {
        // The first call answers; every other try is malformed.
        if (++n === 1) return ANSWER;
        throw new LlmError("malformed", "no choices");
      },
      { maxTries: 2, baseDelayMs: 0, maxInlineWaitMs: 0 },
    );
    const results = await Promise.allSettled([chat.complete(REQUEST), chat.complete(REQUEST)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(calls()).toBe(3);
    await expect(chat.complete(REQUEST)).rejects.toMatchObject({ kind: "malformed" });
    expect(calls()).toBe(3);
    await chat.close();
    expect(chat.usage()).toEqual({ calls: 1, promptTokens: 1, completionTokens: 1 });
    expect(limiter.released().map((r) => r.outcome)).toEqual(["ok", "failed", "failed"]);
  });

  it("fails as the call did when its retry gets no permit: a 500 does not pass for a rate-limit wait", async () => {
    const limiter = new FakeLimiter([granted("L1"), { kind: "wait", retryAfterMs: 2_000 }]);
    const boom = new LlmError("server", "boom", undefined, 500);
    const { chat, calls } = makeChat(limiter, async () => Promise.reject(boom), { maxTries: 3, baseDelayMs: 0, maxInlineWaitMs: 0 });
    const error = await chat.complete(REQUEST).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect(calls()).toBe(1);
    expect(decideFailure(error, 1, 0)).toMatchObject({ action: "retry" });
  });

  it("does not retry in place a call that timed out or cannot succeed", async () => {
    for (const error of [new LlmError("timeout", "slow"), new LlmError("bad_request", "no", undefined, 400)]) {
      const { chat, calls } = makeChat(null, async () => Promise.reject(error), { maxTries: 4, baseDelayMs: 0, maxInlineWaitMs: 0 });
      await expect(chat.complete(REQUEST)).rejects.toBe(error);
      expect(calls()).toBe(1);
    }
  });

  it("is the inner port, unpaced, when no limiter is bound", async () => {
    const { chat, calls } = makeChat(null);
    await expect(chat.complete(REQUEST)).resolves.toEqual(ANSWER);
    await chat.close();
    expect(calls()).toBe(1);
  });
});
