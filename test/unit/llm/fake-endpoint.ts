/**
 * A tiny in-process OpenAI-compatible endpoint for adapter tests: a `fetch` that answers
 * from a handler and records every request it saw.
 */
export interface SeenRequest {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
  redirect: RequestInit["redirect"];
}

export type Handler = (request: SeenRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

export function fakeEndpoint(handler: Handler) {
  const seen: SeenRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: SeenRequest = {
      url: String(input),
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>,
      redirect: init?.redirect,
    };
    seen.push(request);
    return handler(request, init?.signal ?? undefined);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function completion(content: string | null, usage?: { prompt_tokens: number; completion_tokens: number }) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 0,
    model: "sim",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

/** Never answers, but rejects like a real fetch when the caller aborts. */
export function hangUntilAborted(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_, reject) => {
    signal?.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError")), { once: true });
  });
}
