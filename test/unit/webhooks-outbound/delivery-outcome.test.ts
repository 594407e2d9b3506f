import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS } from "../../../src/webhooks/delivery-backoff";
import { type AttemptResult, decideAttempt, describeFailure } from "../../../src/webhooks/delivery-outcome";

const now = Date.parse("2026-05-01T12:00:00Z");
const response = (status: number, overrides: Partial<Extract<AttemptResult, { kind: "response" }>> = {}): AttemptResult => ({
  kind: "response",
  status,
  retryAfter: null,
  location: null,
  excerpt: "",
  ...overrides,
});
const first = { attempt: 1, attemptLimit: MAX_ATTEMPTS, now, jitter: 0.5 };

describe("decideAttempt", () => {
  it("counts any 2xx as delivered", () => {
    for (const status of [200, 201, 202, 204, 299]) expect(decideAttempt(response(status), first)).toEqual({ status: "delivered" });
  });

  it("retries a non-2xx with the schedule's wait for that attempt", () => {
    expect(decideAttempt(response(500, { excerpt: "boom" }), first)).toEqual({ status: "pending", delaySeconds: 10, error: "HTTP 500: boom" });
    expect(decideAttempt(response(404), { ...first, attempt: 3 })).toEqual({ status: "pending", delaySeconds: 120, error: "HTTP 404" });
    expect(decideAttempt({ kind: "error", message: "no response within 10 s" }, { ...first, attempt: 2 })).toEqual({ status: "pending", delaySeconds: 30, error: "no response within 10 s" });
  });

  it("gives up after the round's last attempt", () => {
    expect(decideAttempt(response(500), { ...first, attempt: MAX_ATTEMPTS })).toEqual({ status: "failed", error: "HTTP 500" });
    // A 2xx on the last attempt still delivers.
    expect(decideAttempt(response(200), { ...first, attempt: MAX_ATTEMPTS })).toEqual({ status: "delivered" });
  });

  it("starts the schedule again after a manual retry raised the limit", () => {
    const secondRound = { ...first, attempt: MAX_ATTEMPTS + 1, attemptLimit: 2 * MAX_ATTEMPTS };
    expect(decideAttempt(response(502), secondRound)).toMatchObject({ status: "pending", delaySeconds: 10 });
    expect(decideAttempt(response(502), { ...secondRound, attempt: 2 * MAX_ATTEMPTS })).toMatchObject({ status: "failed" });
  });

  it("waits at least as long as Retry-After asks on 429 and 503, and never less than the schedule", () => {
    expect(decideAttempt(response(429, { retryAfter: "120" }), first)).toMatchObject({ status: "pending", delaySeconds: 120 });
    expect(decideAttempt(response(503, { retryAfter: "Fri, 01 May 2026 13:00:00 GMT" }), first)).toMatchObject({ delaySeconds: 3600 });
    expect(decideAttempt(response(429, { retryAfter: "1" }), { ...first, attempt: 4 })).toMatchObject({ delaySeconds: 600 });
    expect(decideAttempt(response(429, { retryAfter: "999999" }), first)).toMatchObject({ delaySeconds: 12 * 3600 });
    // Other statuses do not get to set the pace.
    expect(decideAttempt(response(500, { retryAfter: "3000" }), first)).toMatchObject({ delaySeconds: 10 });
  });

  it("treats a redirect as a failure that names where it pointed", () => {
    const decision = decideAttempt(response(301, { location: "https://example.com/new" }), first);
    expect(decision).toEqual({ status: "pending", delaySeconds: 10, error: "HTTP 301: redirect to https://example.com/new not followed; subscribe the final URL" });
  });
});

describe("describeFailure", () => {
  it("keeps the log to one short line", () => {
    const noisy = describeFailure(response(500, { excerpt: "line one\r\n\tline two\u0000" + "x".repeat(1000) }));
    expect(noisy.startsWith("HTTP 500: line one line two x")).toBe(true);
    expect(noisy).not.toMatch(/[\r\n\t\u0000]/);
    expect(noisy.length).toBeLessThanOrEqual(300);
    expect(describeFailure(response(302))).toBe("HTTP 302: redirect not followed; subscribe the final URL");
  });
});
