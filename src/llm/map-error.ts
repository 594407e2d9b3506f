/**
 * The one translation from `openai` SDK failures to LlmError, so the queue consumer
 * decides retries from a closed set of kinds and never inspects provider errors itself.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "openai";
import { isLlmError, LlmError, type LlmErrorKind } from "./llm-error";

/**
 * Classifies any error thrown by a chat call. `now` (ms since the epoch) turns a
 * `retry-after` HTTP date into a delay; it is a parameter so that tests control the clock.
 */
export function mapOpenAiError(error: unknown, now: number = Date.now()): LlmError {
  if (isLlmError(error)) return error;
  // Subclass before superclass: a timeout is also an APIConnectionError.
  if (error instanceof APIConnectionTimeoutError) return new LlmError("timeout", "the model endpoint did not answer in time");
  // We abort only at our own deadline, so an abort is a timeout too.
  if (error instanceof APIUserAbortError) return new LlmError("timeout", "the call was aborted at its deadline");
  if (error instanceof APIConnectionError) return new LlmError("network", `cannot reach the model endpoint: ${brief(error)}`);
  if (error instanceof APIError) {
    if (typeof error.status !== "number") return new LlmError("server", brief(error));
    return fromStatus(error, error.status, now);
  }
  // The SDK parses a 2xx body with response.json(): a truncated or non-JSON body lands here.
  if (error instanceof SyntaxError) return new LlmError("malformed", `the response body is not valid JSON: ${brief(error)}`);
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError" || name === "TimeoutError") return new LlmError("timeout", "the response was cut off at the deadline");
  // What remains is a body stream failing mid-read (undici's "terminated"): a transport fault.
  return new LlmError("network", `the call failed: ${brief(error)}`);
}

function fromStatus(error: APIError, status: number, now: number): LlmError {
  const message = brief(error);
  if (status === 429) {
    // OpenAI answers 429 for an exhausted balance too; waiting will not fix that, so the run stops.
    if (error.code === "insufficient_quota") return new LlmError("auth", message, undefined, status);
    return new LlmError("rate_limited", message, retryAfterMs(error.headers, now), status);
  }
  return new LlmError(kindForStatus(status), message, undefined, status);
}

function kindForStatus(status: number): LlmErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 408) return "timeout";
  // The SDK itself retries 409 (OpenAI's lock timeouts): transient, not our request's fault.
  if (status === 409) return "server";
  if (status >= 400 && status < 500) return "bad_request";
  return "server";
}

/**
 * The delay a 429 asks for: `retry-after-ms` (OpenAI's), else `retry-after` as seconds
 * or as an HTTP date. Undefined when absent or unreadable, so the caller backs off instead.
 */
export function retryAfterMs(headers: Headers | Record<string, string | undefined> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;
  const ms = get("retry-after-ms");
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const value = get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A one-line, bounded message: provider error bodies can be long HTML pages. */
/**
 * Key-shaped strings a provider may echo in an error ("Incorrect API key provided:
 * sk-proj-****abcd"): masked before the message reaches logs and a run's reason.
 */
const KEY_PATTERNS = [/\b(sk|pk|rk|key)[-_][A-Za-z0-9_*.-]{4,}/gi, /\bBearer\s+\S+/gi];

function brief(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const redacted = KEY_PATTERNS.reduce((t, pattern) => t.replace(pattern, "[redacted]"), text);
  const line = redacted.replace(/\s+/g, " ").trim() || "no details";
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
