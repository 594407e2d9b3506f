import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, MAX_DELAY_SECONDS, RETRY_SCHEDULE_SECONDS, backoffSeconds, clampDelay, parseRetryAfter } from "../../../src/webhooks/delivery-backoff";

describe("backoffSeconds", () => {
  it("follows the schedule at the middle of the jitter band", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffSeconds(n, 0.5))).toEqual([10, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800]);
  });

  it("stretches or shrinks each wait by up to a fifth", () => {
    expect(backoffSeconds(1, 0)).toBe(8);
    expect(backoffSeconds(1, 0.999)).toBe(12);
    expect(backoffSeconds(4, 0)).toBe(480);
    for (let n = 1; n <= 9; n++) {
      const base = RETRY_SCHEDULE_SECONDS[n - 1]!;
      for (const jitter of [0, 0.25, 0.5, 0.75, 0.999]) {
        const delay = backoffSeconds(n, jitter);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.2));
      }
    }
  });

  it("stays at the longest wait past the schedule and never exceeds what Queues accepts", () => {
    expect(backoffSeconds(40, 0.5)).toBe(28_800);
    expect(backoffSeconds(40, 0.999)).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
    expect(backoffSeconds(0, 0.5)).toBe(10);
  });

  it("spreads a round of attempts over more than half a day", () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffSeconds(i + 1, 0.5)).reduce((a, b) => a + b, 0);
    expect(total / 3600).toBeGreaterThan(12);
    expect(total / 3600).toBeLessThan(24);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-05-01T12:00:00Z");

  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Fri, 01 May 2026 12:05:00 GMT", now)).toBe(300);
    expect(parseRetryAfter("Fri, 01 May 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores what is absent or unreadable", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("clampDelay", () => {
  it("keeps delays between 1 s and 12 h, in whole seconds", () => {
    expect(clampDelay(0)).toBe(1);
    expect(clampDelay(2.1)).toBe(3);
    expect(clampDelay(10 ** 9)).toBe(MAX_DELAY_SECONDS);
  });
});
