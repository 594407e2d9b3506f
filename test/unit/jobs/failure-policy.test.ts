import { describe, expect, it } from "vitest";
import { backoffSeconds, decideFailure } from "../../../src/jobs/failure-policy";
import { JobInputError } from "../../../src/jobs/run-evaluate";
import { LlmError } from "../../../src/llm/llm-error";

describe("decideFailure", () => {
  it("honours a provider's retry-after on 429", () => {
    expect(decideFailure(new LlmError("rate_limited", "slow down", 7_200), 1, 0.5)).toMatchObject({ action: "retry", delaySeconds: 8 });
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
