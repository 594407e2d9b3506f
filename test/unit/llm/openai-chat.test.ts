import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../src/llm/chat-port";
import { isLlmError, type LlmError } from "../../../src/llm/llm-error";
import { createOpenAiChat } from "../../../src/llm/openai-chat";
import { completion, fakeEndpoint, type Handler, hangUntilAborted, json } from "./fake-endpoint";

const BASE_URL = "http://llm.test/v1";

function makeRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: { role: "task", model: "sim-small" },
    system: "You are terse.",
    user: "What is 6 * 7?",
    maxTokens: 64,
    ...overrides,
  };
}

function setup(handler: Handler, options: { apiKey?: string; timeoutMs?: number } = {}) {
  const endpoint = fakeEndpoint(handler);
  const chat = createOpenAiChat({ baseUrl: BASE_URL, timeoutMs: 1000, fetch: endpoint.fetch, ...options });
  return { chat, seen: endpoint.seen };
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

describe("createOpenAiChat", () => {
  it("never follows redirects, so a public base URL cannot forward the call elsewhere", async () => {
    const { chat, seen } = setup(() => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } }));
    const error = await failure(chat.complete(makeRequest()));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.redirect).toBe("manual");
    expect(error.status).toBe(302);
  });

  it("sends one chat completion and returns text and usage", async () => {
    const { chat, seen } = setup(() => json(completion("Answer: 42", { prompt_tokens: 21, completion_tokens: 4 })), {
      apiKey: "sk-test",
    });
    await expect(chat.complete(makeRequest({ sampleIndex: 3 }))).resolves.toEqual({
      text: "Answer: 42",
      promptTokens: 21,
      completionTokens: 4,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${BASE_URL}/chat/completions`);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer sk-test");
    expect(seen[0]!.body).toEqual({
      model: "sim-small",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "What is 6 * 7?" },
      ],
      max_tokens: 64,
      seed: 3,
    });
  });

  it("sends no seed without a sample index, and a placeholder key when there is none", async () => {
    const { chat, seen } = setup(() => json(completion("ok", { prompt_tokens: 1, completion_tokens: 1 })));
    await chat.complete(makeRequest());
    expect(seen[0]!.body).not.toHaveProperty("seed");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer unused");
  });

  it("estimates usage at four characters a token when the provider omits it", async () => {
    const { chat } = setup(() => json(completion("12345")));
    // "You are terse." + "What is 6 * 7?" = 28 characters.
    await expect(chat.complete(makeRequest())).resolves.toEqual({ text: "12345", promptTokens: 7, completionTokens: 2 });
  });

  it("returns a refusal as the answer rather than retrying it", async () => {
    const body = completion(null);
    (body.choices[0]!.message as Record<string, unknown>).refusal = "I can't help with that.";
    const { chat } = setup(() => json(body));
    await expect(chat.complete(makeRequest())).resolves.toMatchObject({ text: "I can't help with that." });
  });

  it("maps 429 with retry-after to rate_limited with the delay", async () => {
    const { chat } = setup(() => json({ error: { message: "Slow down", type: "rate_limit" } }, 429, { "retry-after": "7" }));
    const error = await failure(chat.complete(makeRequest()));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000, status: 429, retryable: true });
    expect(error.message).toContain("Slow down");
  });

  it("prefers retry-after-ms", async () => {
    const { chat } = setup(() => json({}, 429, { "retry-after-ms": "250", "retry-after": "9" }));
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "rate_limited", retryAfterMs: 250 });
  });

  it("maps 500 to server and does not retry it: the queue is the only retry layer", async () => {
    const { chat, seen } = setup(() => json({ error: { message: "boom" } }, 500));
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "server", status: 500, retryable: true });
    expect(seen).toHaveLength(1);
  });

  it.each([
    [401, "auth", false],
    [403, "auth", false],
    [400, "bad_request", false],
    [404, "bad_request", false],
    [422, "bad_request", false],
    [503, "server", true],
  ])("maps HTTP %i to %s", async (status, kind, retryable) => {
    const { chat, seen } = setup(() => json({ error: { message: "nope" } }, status));
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind, status, retryable });
    expect(seen).toHaveLength(1);
  });

  it("maps an exhausted quota to auth: waiting will not fix it", async () => {
    const { chat } = setup(() => json({ error: { message: "quota", code: "insufficient_quota" } }, 429));
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "auth", retryable: false });
  });

  it.each([
    ["empty choices", () => json({ ...completion("x"), choices: [] })],
    ["null content", () => json(completion(null))],
    ["a truncated JSON body", () => new Response('{"choices": [{"message": {"content": "Ans', { headers: { "content-type": "application/json" } })],
    ["an HTML page", () => new Response("<html>gateway</html>", { headers: { "content-type": "text/html" } })],
  ])("maps a 200 with %s to malformed", async (_name, handler) => {
    const { chat } = setup(handler);
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "malformed", retryable: true });
  });

  it("times out a request that never answers, after one attempt", async () => {
    const { chat, seen } = setup((_req, signal) => hangUntilAborted(signal), { timeoutMs: 50 });
    const started = Date.now();
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen).toHaveLength(1);
  });

  it("times out a body that stalls after the headers", async () => {
    const stalled = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"choices": [')) });
    const { chat } = setup(() => new Response(stalled, { headers: { "content-type": "application/json" } }), { timeoutMs: 50 });
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "timeout" });
  });

  it("maps a refused connection to network", async () => {
    const { chat, seen } = setup(() => Promise.reject(new TypeError("fetch failed")));
    expect(await failure(chat.complete(makeRequest()))).toMatchObject({ kind: "network", retryable: true });
    expect(seen).toHaveLength(1);
  });
});
