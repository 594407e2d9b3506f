import { describe, expect, it } from "vitest";
import { callRetryDelay } from "../../../src/llm/call-retry";
import { LlmError } from "../../../src/llm/llm-error";

const OPTIONS = { maxTries: 4, baseDelayMs: 250, maxInlineWaitMs: 5_000 };

describe("callRetryDelay", () => {
  it("backs off exponentially with jitter on transient faults, up to its tries", () => {
    for (const kind of ["server", "malformed", "network"] as const) {
      const error = new LlmError(kind, "boom");
      expect([1, 2, 3].map((tries) => callRetryDelay(error, tries, 0, true, OPTIONS))).toEqual([250, 500, 1_000]);
      expect(callRetryDelay(error, 1, 0.5, true, OPTIONS)).toBe(375);
      expect(callRetryDelay(error, 4, 0, true, OPTIONS)).toBeNull();
    }
  });

  it("asks again at once after a 429 when a limiter paces the next try; otherwise waits the retry-after if it is short", () => {
    const limited = new LlmError("rate_limited", "slow down", 1_200, 429);
    expect(callRetryDelay(limited, 1, 0.9, true, OPTIONS)).toBe(0);
    expect(callRetryDelay(limited, 1, 0.9, false, OPTIONS)).toBe(1_200);
    expect(callRetryDelay(new LlmError("rate_limited", "slow down", 30_000, 429), 1, 0, false, OPTIONS)).toBeNull();
    expect(callRetryDelay(new LlmError("rate_limited", "slow down"), 2, 0, false, OPTIONS)).toBe(500);
  });

  it("leaves timeouts, failures that cannot succeed and foreign errors to the queue", () => {
    expect(callRetryDelay(new LlmError("timeout", "slow"), 1, 0, true, OPTIONS)).toBeNull();
    expect(callRetryDelay(new LlmError("auth", "bad key", undefined, 401), 1, 0, true, OPTIONS)).toBeNull();
    expect(callRetryDelay(new LlmError("bad_request", "too long", undefined, 400), 1, 0, true, OPTIONS)).toBeNull();
    expect(callRetryDelay(new Error("D1 busy"), 1, 0, true, OPTIONS)).toBeNull();
  });
});
