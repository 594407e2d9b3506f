import { describe, expect, it } from "vitest";
import { AimdWindow } from "../../../src/limits/aimd-window";
import { DEFAULT_LIMITER_CONFIG, type LimiterConfig } from "../../../src/limits/limiter-config";

function makeWindow(overrides: Partial<LimiterConfig> = {}) {
  return new AimdWindow({ ...DEFAULT_LIMITER_CONFIG, ...overrides });
}

/** `n` successes of calls granted with the window full. */
function succeed(window: AimdWindow, n: number, now = 0): void {
  for (let i = 0; i < n; i++) window.onSuccess(true, now);
}

describe("AimdWindow", () => {
  it("starts at the initial window and doubles per round of full-window successes until the first 429", () => {
    const window = makeWindow({ initialWindow: 4 });
    expect(window.capacity()).toBe(4);
    succeed(window, 4);
    expect(window.capacity()).toBe(8);
    succeed(window, 8);
    expect(window.capacity()).toBe(16);
  });

  it("does not grow on calls that left the window half empty", () => {
    const window = makeWindow({ initialWindow: 4 });
    for (let i = 0; i < 100; i++) window.onSuccess(false, 0);
    expect(window.capacity()).toBe(4);
  });

  it("on a 429: shrinks the flight it refused, pauses until retry-after, and leaves slow start", () => {
    const window = makeWindow({ initialWindow: 20 });
    // 10 in use of 20: the provider refused 10 at once, not 20.
    expect(window.onRateLimited(0, 3_000, 10, 1_000)).toBe(true);
    expect(window.window).toBeCloseTo(7);
    expect(window.pausedUntil()).toBe(4_000);
    expect(window.isPaused(3_999)).toBe(true);
    expect(window.isPaused(4_000)).toBe(false);
    expect(window.learned()).toMatchObject({ slowStart: false, ceiling: 10, lastDecreaseAt: 1_000 });
  });

  it("pauses for the default when the 429 names no retry-after, and clamps an absurd one", () => {
    const window = makeWindow();
    window.onRateLimited(0, undefined, 4, 0);
    expect(window.pausedUntil()).toBe(DEFAULT_LIMITER_CONFIG.defaultPauseMs);
    window.onRateLimited(0, 86_400_000, 4, 0);
    expect(window.pausedUntil()).toBe(DEFAULT_LIMITER_CONFIG.maxPauseMs);
  });

  it("shrinks once for a burst of 429s from calls sent under the old window, but pauses for each", () => {
    const window = makeWindow({ initialWindow: 16 });
    expect(window.onRateLimited(100, 1_000, 16, 500)).toBe(true);
    const after = window.window;
    // Granted at 100, before the decrease at 500: the same congestion event.
    expect(window.onRateLimited(100, 2_000, 16, 600)).toBe(false);
    expect(window.window).toBe(after);
    expect(window.pausedUntil()).toBe(2_600);
    // Granted after the decrease: the smaller window was still too large.
    expect(window.onRateLimited(700, 1_000, 11, 900)).toBe(true);
    expect(window.window).toBeLessThan(after);
  });

  it("grows additively after a 429, one permit per window of successes, and stays below the refused size while it is remembered", () => {
    const window = makeWindow({ initialWindow: 10, decreaseFactor: 0.5, ceilingHoldMs: 30_000 });
    window.onRateLimited(0, 0, 10, 0);
    expect(window.capacity()).toBe(5);
    succeed(window, 4, 1);
    expect(window.capacity()).toBe(5);
    succeed(window, 1, 1);
    expect(window.capacity()).toBe(6);
    succeed(window, 100, 2);
    // The ceiling was 10: growth stops at 9 until 30 s have passed without a 429.
    expect(window.capacity()).toBe(9);
    succeed(window, 9, 30_000);
    expect(window.capacity()).toBe(10);
  });

  it("never goes below the minimum window", () => {
    const window = makeWindow({ initialWindow: 2 });
    for (let t = 1; t < 10; t++) window.onRateLimited(t, 0, 1, t);
    expect(window.window).toBe(DEFAULT_LIMITER_CONFIG.minWindow);
    expect(window.capacity()).toBe(1);
  });

  it("resumes from what it learnt (a restart does not begin with a storm)", () => {
    const first = makeWindow({ initialWindow: 40 });
    first.onRateLimited(0, 5_000, 40, 0);
    const restarted = new AimdWindow(DEFAULT_LIMITER_CONFIG, first.learned());
    expect(restarted.capacity()).toBe(first.capacity());
    expect(restarted.isPaused(4_000)).toBe(true);
    expect(JSON.parse(JSON.stringify(first.learned()))).toEqual(first.learned());
  });
});
