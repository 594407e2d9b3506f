/**
 * SimLM over the Fetch API: `handle(Request) -> Response`, the same in Node (server.ts,
 * or in process through createSimLmFetch) and in workerd. Routes:
 *   POST /v1/chat/completions   simulated completions (OpenAI Chat Completions shape)
 *   GET  /v1/models             the simulated model names
 *   GET  /simlm/stats           counters (calls, tokens, 429s, faults)
 *   POST /simlm/reset           zero the counters
 */
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  type Choice,
  conversationOf,
  errorBody,
  estimateTokens,
  makeChoice,
} from "./chat-schema";
import { hashOf } from "./hash";
import { simulateReply } from "./simulate";
import {
  drawFault,
  emptyStats,
  type FaultKind,
  type FaultRates,
  type Latency,
  latencyFor,
  type RateLimit,
  RateLimiter,
  type SimLmStats,
} from "./traffic";

/** Waits `ms`, resolving early (not rejecting) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How SimLM behaves as a server; every field is optional. */
export interface SimLmOptions {
  /** Seeds every simulated draw (answers, proposals, faults, latency). Default 0. */
  seed?: number;
  /** Model ids listed by GET /v1/models (default: the wrangler.toml defaults). Any model name is accepted. */
  models?: string[];
  /** Latency per accepted call in ms: fixed, or a uniform {min, max} drawn per call. */
  latencyMs?: Latency;
  rateLimit?: RateLimit;
  faults?: FaultRates;
  /**
   * An injected timeout: `504` answers 504 after `afterMs` (default 30 s); `hang` never
   * answers until the request's signal aborts (the client's own timeout).
   */
  timeout?: { mode: "504" | "hang"; afterMs?: number };
  /** Clock in ms (rate-limit window, `created`). Default Date.now. */
  now?: () => number;
  /** Default: setTimeout-based. Tests inject a fake. */
  sleep?: Sleep;
}

/** A SimLM instance: one set of counters and limits. */
export interface SimLm {
  handle(request: Request): Promise<Response>;
  stats(): SimLmStats;
  reset(): void;
}

const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, Math.min(ms, 2_147_483_647));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

const HEADERS = { "content-type": "application/json", "x-simlm": "simulated" };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...headers } });
}

/** The choices as a malformed or empty-content fault shapes them. */
function faultyChoices(choices: Choice[], fault: FaultKind | null) {
  if (fault === "malformed") return [];
  if (fault === "empty_content") return choices.map((c) => ({ ...c, message: { ...c.message, content: null } }));
  return choices;
}

function abortError(): Error {
  return new DOMException("The request was aborted (SimLM simulated model).", "AbortError");
}

/** Creates a SimLM instance. */
export function createSimLm(options: SimLmOptions = {}): SimLm {
  const seed = options.seed ?? 0;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? defaultSleep;
  const models = options.models ?? ["simlm-task", "simlm-agent"];
  const limiter = new RateLimiter(options.rateLimit ?? {});
  let stats = emptyStats();

  async function chat(request: Request): Promise<Response> {
    const throttle = limiter.admit(now(), stats.inFlight);
    if (throttle) {
      stats.rateLimited++;
      // Both headers: retry-after (seconds) is standard, retry-after-ms is what openai reads first.
      const headers = {
        "retry-after": String(Math.ceil(throttle.retryAfterMs / 1000)),
        "retry-after-ms": String(Math.ceil(throttle.retryAfterMs)),
      };
      const message = `Rate limit reached: ${throttle.reason} (SimLM simulated model).`;
      return json(errorBody(message, "requests", "rate_limit_exceeded"), 429, headers);
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      stats.badRequests++;
      return json(errorBody("The body is not valid JSON (SimLM simulated model).", "invalid_request_error"), 400);
    }
    const parsed = ChatCompletionRequestSchema.safeParse(body);
    if (!parsed.success || parsed.data.stream) {
      stats.badRequests++;
      const why = parsed.success
        ? "streaming is not supported"
        : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return json(errorBody(`Invalid chat completion request: ${why} (SimLM simulated model).`, "invalid_request_error"), 400);
    }
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const call = ++stats.calls;
    try {
      return await complete(request, parsed.data, call);
    } finally {
      stats.inFlight--;
    }
  }

  async function complete(request: Request, data: ChatCompletionRequest, call: number): Promise<Response> {
    const fault = drawFault(seed, call, options.faults ?? {});
    await sleep(latencyFor(seed, call, options.latencyMs), request.signal);
    if (request.signal.aborted) throw abortError();
    if (fault) stats.faults[fault]++;
    if (fault === "timeout") {
      const mode = options.timeout?.mode ?? "504";
      await sleep(mode === "hang" ? Number.POSITIVE_INFINITY : (options.timeout?.afterMs ?? 30_000), request.signal);
      if (request.signal.aborted) throw abortError();
      return json(errorBody("Gateway timeout (SimLM injected fault).", "server_error", "timeout"), 504);
    }
    if (fault === "server_error") {
      return json(errorBody("Internal server error (SimLM injected fault).", "server_error"), 500);
    }
    const header = request.headers.get("x-simlm-sample");
    const base = header !== null && /^\d+$/.test(header) ? Number(header) : (data.seed ?? 0);
    const { system, user, chars } = conversationOf(data);
    const maxTokens = data.max_completion_tokens ?? data.max_tokens ?? undefined;
    const choices: Choice[] = [];
    let mode: ReturnType<typeof simulateReply>["mode"] = "chat";
    for (let i = 0; i < (data.n ?? 1); i++) {
      const reply = simulateReply({ seed, system, user, sampleIndex: base + i });
      mode = reply.mode;
      choices.push(makeChoice(i, reply.text, maxTokens));
    }
    const promptTokens = estimateTokens(chars);
    const completionTokens = choices.reduce((sum, c) => sum + estimateTokens(c.message.content.length), 0);
    const completion = {
      id: `chatcmpl-simlm-${hashOf(seed, call).toString(16)}`,
      object: "chat.completion",
      created: Math.floor(now() / 1000),
      model: data.model,
      system_fingerprint: "simlm-simulated",
      choices: faultyChoices(choices, fault),
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
    if (fault === "truncated") {
      const text = JSON.stringify(completion);
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: 200, headers: HEADERS });
    }
    if (fault === null) {
      stats.completed++;
      stats.byMode[mode]++;
      stats.promptTokens += promptTokens;
      stats.completionTokens += completionTokens;
      stats.totalTokens += promptTokens + completionTokens;
    }
    return json(completion);
  }

  async function handle(request: Request): Promise<Response> {
    stats.requests++;
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    const route = `${request.method} ${path}`;
    switch (route) {
      case "POST /v1/chat/completions":
        return chat(request);
      case "GET /v1/models":
        return json({
          object: "list",
          data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "simlm (simulated model)" })),
        });
      case "GET /simlm/stats":
        return json(stats);
      case "POST /simlm/reset":
        reset();
        return json({ ok: true, simulated: true });
      default:
        return json(errorBody(`No route ${route} (SimLM simulated model).`, "not_found_error"), 404);
    }
  }

  /** Zeroes the counters; requests still in flight stay counted as such. */
  function reset(): void {
    stats = { ...emptyStats(), inFlight: stats.inFlight };
    limiter.reset();
  }

  return { handle, stats: () => structuredClone(stats), reset };
}

/**
 * A fetch-compatible function backed by a SimLM instance, for the `openai` client's
 * `fetch` option: SimLM in process, no server. Any host works; only the path routes.
 * Aborting the request's signal rejects with an AbortError, as a real fetch does.
 */
export function createSimLmFetch(options: SimLmOptions | SimLm = {}): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const simlm = "handle" in options ? options : createSimLm(options);
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw abortError();
    const aborted = new Promise<never>((_, reject) => {
      request.signal.addEventListener("abort", () => reject(abortError()), { once: true });
    });
    return Promise.race([simlm.handle(request), aborted]);
  };
}
