import { describe, expect, it } from "vitest";
import { backoffSeconds, decideFailure, MAX_RATE_LIMIT_WAITS } from "../../../src/jobs/failure-policy";
import { JobInputError } from "../../../src/jobs/run-evaluate";
import { LlmError } from "../../../src/llm/llm-error";

describe("decideFailure", () => {
  it("waits out a 429 for the provider's retry-after, without using up a delivery attempt", () => {
    expect(decideFailure(new LlmError("rate_limited", "slow down", 7_200), 1, 0.5)).toMatchObject({ action: "wait", delaySeconds: 8 });
    expect(decideFailure(new LlmError("rate_limited", "slow down", 7_200), 5, 0.5, MAX_RATE_LIMIT_WAITS - 1)).toMatchObject({ action: "wait", delaySeconds: 8 });
    // Without a retry-after, the waits back off by how many the job has taken (not by its attempts).
    expect(decideFailure(new LlmError("rate_limited", "slow down"), 4, 0, 0)).toMatchObject({ action: "wait", delaySeconds: 1 });
    expect(decideFailure(new LlmError("rate_limited", "slow down"), 1, 0, 3)).toMatchObject({ action: "wait", delaySeconds: 8 });
    expect(decideFailure(new LlmError("rate_limited", "slow down"), 1, 0, 40)).toMatchObject({ action: "wait", delaySeconds: 32 });
  });

  it("past the bound on rate-limit waits, retries a 429 as any failure, so that an endless one ends in the dead-letter queue", () => {
    expect(decideFailure(new LlmError("rate_limited", "slow down", 7_200), 2, 0.5, MAX_RATE_LIMIT_WAITS)).toMatchObject({ action: "retry", delaySeconds: 8 });
    expect(decideFailure(new LlmError("rate_limited", "slow down"), 3, 0, MAX_RATE_LIMIT_WAITS)).toMatchObject({ action: "retry", delaySeconds: 4 });
  });

  it("backs off exponentially with jitter on 5xx and timeouts", () => {
    expect(decideFailure(new LlmError("server", "boom"), 1, 0)).toMatchObject({ action: "retry", delaySeconds: 1 });
    expect(decideFailure(new LlmError("timeout", "slow"), 4, 0.99)).toMatchObject({ action: "retry", delaySeconds: 16 });
    expect(backoffSeconds(30, 0.5)).toBe(15 * 60);
  });

  it("stops the run on auth errors and configuration problems, not on a single bad request", () => {
    expect(decideFailure(new LlmError("auth", "bad key", undefined, 401), 1, 0)).toMatchObject({ action: "fail", systemic: true });
    expect(decideFailure(new LlmError("bad_request", "no OPENAI_BASE_URL"), 1, 0)).toMatchObject({ action: "fail", systemic: true });
    expect(decideFailure(new LlmError("bad_request", "unknown model", undefined, 404), 1, 0)).toMatchObject({ action: "fail", systemic: true });
    expect(decideFailure(new LlmError("bad_request", "context too long", undefined, 400), 1, 0)).toMatchObject({ action: "fail", systemic: false });
  });

  it("fails at once when the job's data is gone, and retries unknown trouble", () => {
    expect(decideFailure(new JobInputError("task gone"), 1, 0)).toMatchObject({ action: "fail", systemic: false });
    expect(decideFailure(new Error("D1 busy"), 2, 0)).toMatchObject({ action: "retry", delaySeconds: 2 });
  });
});
