/**
 * ChatPort over any OpenAI-compatible endpoint, through the `openai` package.
 *
 * One retry layer per call path: the queue redelivers failed jobs with a delay, so the
 * client runs with `maxRetries: 0` and every failure surfaces at once as an LlmError.
 */
import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { z } from "zod";
import type { ChatPort, ChatRequest, ChatResponse } from "./chat-port";
import { LlmError } from "./llm-error";
import { mapOpenAiError } from "./map-error";

export interface OpenAiChatOptions {
  /** The OpenAI-compatible base URL, e.g. "https://api.openai.com/v1". */
  baseUrl: string;
  /** Absent for endpoints that need no key (SimLM, a local vLLM). */
  apiKey?: string;
  /** The deadline for a whole call, response body included. */
  timeoutMs: number;
  /** A fetch to send requests with (a service binding's, or a fake in tests). */
  fetch?: typeof fetch;
  defaultHeaders?: Record<string, string>;
}

/** Creates the adapter. Cheap to call per job: SDK clients are cached per endpoint. */
export function createOpenAiChat(options: OpenAiChatOptions): ChatPort {
  const client = clientFor(options);
  return {
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: request.model.model,
        messages: [
          { role: "system", content: request.system },
          { role: "user", content: request.user },
        ],
        max_tokens: request.maxTokens,
        ...(request.sampleIndex !== undefined ? { seed: request.sampleIndex } : {}),
      };
      const completion = await withDeadline(options.timeoutMs, (signal) => client.chat.completions.create(body, { signal }));
      return toChatResponse(completion, request);
    },
  };
}

/**
 * The SDK's own timeout stops at the response headers; a body that stalls after them
 * would hang the consumer. This deadline covers the whole call, and aborts the request
 * so that the connection is released.
 */
async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new LlmError("timeout", `no complete answer within ${ms} ms`));
    }, ms);
  });
  const pending = call(controller.signal);
  // After the deadline wins, the aborted call still rejects; nobody awaits it then.
  pending.catch(() => undefined);
  try {
    return await Promise.race([pending, deadline]);
  } catch (error) {
    throw mapOpenAiError(error);
  } finally {
    clearTimeout(timer);
  }
}

// Only the fields we use are checked: providers add and omit many others.
const CompletionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }) }))
    .min(1, "the response has no choices"),
  // A provider's odd usage block must not fail an otherwise good answer: estimate instead.
  usage: z
    .object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() })
    .nullish()
    .catch(undefined),
});

function toChatResponse(completion: unknown, request: ChatRequest): ChatResponse {
  const parsed = CompletionSchema.safeParse(completion);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LlmError("malformed", `not a chat completion: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"}`);
  }
  const message = parsed.data.choices[0]!.message;
  // A refusal is the model's answer (it scores 0 and the agent sees why); retrying would only repeat it.
  const text = message.content ?? message.refusal;
  if (typeof text !== "string") throw new LlmError("malformed", "the first choice has no text content");
  const usage = parsed.data.usage;
  return {
    text,
    promptTokens: usage?.prompt_tokens ?? estimateTokens(request.system.length + request.user.length),
    completionTokens: usage?.completion_tokens ?? estimateTokens(text.length),
  };
}

/** About four characters per token: close enough for budgets when a provider omits usage. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

// Clients are reused within an isolate, keyed by everything they were built from. A
// custom fetch is part of the key by identity (a WeakMap, so a dropped fetch frees its clients).
const RUNTIME_FETCH = {};
const clients = new WeakMap<object, Map<string, OpenAI>>();
const MAX_CLIENTS_PER_FETCH = 32;

function clientFor(options: OpenAiChatOptions): OpenAI {
  const owner = options.fetch ?? RUNTIME_FETCH;
  let byKey = clients.get(owner);
  if (!byKey) clients.set(owner, (byKey = new Map()));
  const key = JSON.stringify([options.baseUrl, options.apiKey ?? "", options.timeoutMs, options.defaultHeaders ?? {}]);
  let client = byKey.get(key);
  if (!client) {
    if (byKey.size >= MAX_CLIENTS_PER_FETCH) byKey.clear();
    client = new OpenAI({
      baseURL: options.baseUrl,
      // The SDK refuses a missing key; keyless endpoints ignore whatever is sent.
      apiKey: options.apiKey ?? "unused",
      maxRetries: 0,
      timeout: options.timeoutMs,
      fetch: withoutRedirects(options.fetch),
      ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
    });
    byKey.set(key, client);
  }
  return client;
}

/**
 * Model calls never follow redirects: a base URL that passed the public-address check
 * (src/security/outbound-url.ts) could otherwise redirect the call, with the service's
 * key, to a private address. A 3xx then fails the call like any other non-2xx answer.
 */
function withoutRedirects(base: typeof fetch | undefined): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => (base ?? fetch)(input, { ...init, redirect: "manual" })) as typeof fetch;
}
