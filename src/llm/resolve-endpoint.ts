/**
 * Which endpoint a model call goes to, from the job's ModelRef and the service's
 * defaults. Pure (env is passed in), so the consumer and tests resolve the same way.
 */
import type { ModelRef } from "../engine/jobs";
import { LlmError } from "./llm-error";

/** The variables read here; `AppEnv` satisfies this. */
export interface EndpointDefaults {
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  LLM_TIMEOUT_MS?: string;
}

export interface Endpoint {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
}

/** Used when LLM_TIMEOUT_MS is unset: long enough for a reasoning model's answer. */
export const DEFAULT_LLM_TIMEOUT_MS = 120_000;

/**
 * The ModelRef's own base URL wins over OPENAI_BASE_URL. The service key is sent only to
 * the service's own endpoint: a task names its base URL, and a task author must not be
 * able to point the operator's OPENAI_API_KEY at a server they control.
 *
 * @throws LlmError("bad_request") when no base URL is configured or a setting is invalid.
 */
export function resolveEndpoint(model: Pick<ModelRef, "baseUrl">, env: EndpointDefaults): Endpoint {
  const fallback = env.OPENAI_BASE_URL?.trim() || undefined;
  const chosen = model.baseUrl ?? fallback;
  if (!chosen) {
    throw new LlmError("bad_request", "No model endpoint is configured: set OPENAI_BASE_URL or give the task model a baseUrl.");
  }
  const baseUrl = normalizeBaseUrl(chosen, model.baseUrl ? "the model's baseUrl" : "OPENAI_BASE_URL");
  const isServiceEndpoint = fallback !== undefined && baseUrl === normalizeBaseUrl(fallback, "OPENAI_BASE_URL");
  const apiKey = isServiceEndpoint ? env.OPENAI_API_KEY?.trim() || undefined : undefined;
  return { baseUrl, ...(apiKey ? { apiKey } : {}), timeoutMs: parseTimeout(env.LLM_TIMEOUT_MS) };
}

/** An http(s) URL without trailing slashes, so that ".../v1/" and ".../v1" compare equal. */
function normalizeBaseUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new LlmError("bad_request", `${what} is not a URL: "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LlmError("bad_request", `${what} must be an http or https URL, got "${url.protocol}".`);
  }
  return url.href.replace(/\/+$/, "");
}

function parseTimeout(value: string | undefined): number {
  const text = value?.trim();
  if (!text) return DEFAULT_LLM_TIMEOUT_MS;
  if (!/^\d+$/.test(text) || Number(text) <= 0) {
    throw new LlmError("bad_request", `LLM_TIMEOUT_MS must be a positive whole number of milliseconds, got "${value}".`);
  }
  return Number(text);
}
