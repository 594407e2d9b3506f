import { describe, expect, it } from "vitest";
import { DEFAULT_LLM_TIMEOUT_MS, resolveEndpoint } from "../../../src/llm/resolve-endpoint";

const ENV = { OPENAI_BASE_URL: "https://api.example.com/v1/", OPENAI_API_KEY: "sk-service", LLM_TIMEOUT_MS: "30000" };

describe("resolveEndpoint", () => {
  it("uses the service default with its key", () => {
    expect(resolveEndpoint({}, ENV)).toEqual({ baseUrl: "https://api.example.com/v1", apiKey: "sk-service", timeoutMs: 30000 });
  });

  it("lets the model's base URL win, without the service key", () => {
    expect(resolveEndpoint({ baseUrl: "http://127.0.0.1:8788/v1" }, ENV)).toEqual({
      baseUrl: "http://127.0.0.1:8788/v1",
      timeoutMs: 30000,
    });
  });

  it("sends the service key when the model names the service endpoint itself", () => {
    expect(resolveEndpoint({ baseUrl: "https://api.example.com/v1" }, ENV).apiKey).toBe("sk-service");
  });

  it("needs no key and defaults the timeout", () => {
    expect(resolveEndpoint({}, { OPENAI_BASE_URL: "http://localhost:8788/v1" })).toEqual({
      baseUrl: "http://localhost:8788/v1",
      timeoutMs: DEFAULT_LLM_TIMEOUT_MS,
    });
  });

  it("refuses a missing base URL with a non-retryable error that says what to set", () => {
    expect(() => resolveEndpoint({}, { OPENAI_BASE_URL: " " })).toThrow(
      expect.objectContaining({ kind: "bad_request", retryable: false, message: expect.stringContaining("OPENAI_BASE_URL") }),
    );
  });

  it.each([
    [{ OPENAI_BASE_URL: "not a url" }, /OPENAI_BASE_URL is not a URL/],
    [{ OPENAI_BASE_URL: "ftp://x/v1" }, /must be an http or https URL/],
    [{ OPENAI_BASE_URL: "http://x/v1", LLM_TIMEOUT_MS: "10s" }, /LLM_TIMEOUT_MS must be a positive whole number/],
    [{ OPENAI_BASE_URL: "http://x/v1", LLM_TIMEOUT_MS: "0" }, /LLM_TIMEOUT_MS/],
  ])("refuses invalid settings %j", (env, message) => {
    expect(() => resolveEndpoint({}, env)).toThrow(message);
  });
});
