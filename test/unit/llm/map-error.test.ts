import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { describe, expect, it } from "vitest";
import { LlmError } from "../../../src/llm/llm-error";
import { mapOpenAiError, retryAfterMs } from "../../../src/llm/map-error";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function apiError(status: number, headers: Record<string, string> = {}, code?: string) {
  return APIError.generate(status, { error: { message: `status ${status}`, code } }, undefined, new Headers(headers));
}

describe("mapOpenAiError", () => {
  it.each([
    [apiError(429), "rate_limited"],
    [apiError(408), "timeout"],
    [apiError(409), "server"],
    [apiError(500), "server"],
    [apiError(502), "server"],
    [apiError(401), "auth"],
    [apiError(403), "auth"],
    [apiError(400), "bad_request"],
    [apiError(404), "bad_request"],
    [apiError(413), "bad_request"],
    [apiError(422), "bad_request"],
    [new APIConnectionTimeoutError(), "timeout"],
    [new APIUserAbortError(), "timeout"],
    [new APIConnectionError({ message: "Connection error." }), "network"],
    [new SyntaxError("Unexpected end of JSON input"), "malformed"],
    [new DOMException("aborted", "AbortError"), "timeout"],
    [new TypeError("terminated"), "network"],
  ])("maps %s to %s", (error, kind) => {
    expect(mapOpenAiError(error, NOW).kind).toBe(kind);
  });

  it("passes an LlmError through unchanged", () => {
    const error = new LlmError("malformed", "x");
    expect(mapOpenAiError(error)).toBe(error);
  });

  it("reads an HTTP-date retry-after against the given clock", () => {
    const error = apiError(429, { "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" });
    expect(mapOpenAiError(error, NOW)).toMatchObject({ kind: "rate_limited", retryAfterMs: 30_000, status: 429 });
  });

  it("masks keys a provider echoes in its message", () => {
    const error = mapOpenAiError(APIError.generate(401, { error: { message: "Incorrect API key provided: sk-proj-****abcd. Sent Bearer sk-live-123456" } }, undefined, new Headers()));
    expect(error.message).toContain("Incorrect API key provided: [redacted]");
    expect(error.message).not.toMatch(/sk-|abcd|123456/);
  });

  it("keeps messages to one bounded line", () => {
    const error = mapOpenAiError(new Error(`<html>\n${"x".repeat(1000)}</html>`));
    expect(error.message).not.toContain("\n");
    expect(error.message.length).toBeLessThan(340);
  });
});

describe("retryAfterMs", () => {
  it.each([
    [{ "retry-after": "2" }, 2000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after-ms": "1234.2" }, 1235],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, 5000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, 0],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("reads %j as %s", (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), NOW)).toBe(expected);
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });
});
