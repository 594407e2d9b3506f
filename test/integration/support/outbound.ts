/**
 * The Worker's outbound network in integration tests (runs in Node, inside the vitest
 * process, as miniflare's `outboundService`). Every fetch the Worker or a test makes
 * lands here, so the `openai` client talks to SimLM in process:
 *
 * - `status-<code>[-after-<s>][-<tag>].fault` answers every request with that HTTP status and
 *   an OpenAI-style error body (`-after-<s>` adds `retry-after: <s>`); `GET /__requests`
 *   on the same host says how many requests it answered (a unique tag keeps counts apart).
 * - any other host gets its own SimLM instance (seed 0, no faults), created on first use,
 *   so a test that picks a unique host can read exact counters at `/simlm/stats`.
 *   Hosts starting with `flaky-` get a SimLM that answers 500 to about a tenth of calls;
 *   hosts starting with `ratelimit-rps<n>[-c<m>][-lat<ms>]-` get one that answers 429 (with
 *   retry-after) past n requests per second or m at once, each call taking ms.
 * - `stubborn<k>-<tag>.simlm`: a SimLM whose first-seen user message fails k times (stubborn-host.ts).
 *
 * Test files run in parallel against one Node process: per-host instances keep their
 * counters apart.
 */
import { type Request as MiniflareRequest, Response as MiniflareResponse } from "miniflare";
import { createSimLm, type SimLm, type SimLmOptions } from "../../../src/simlm/handler";
import { isStubbornHost, stubbornHost } from "./stubborn-host";
import { webhookReceiver } from "./webhook-receiver";

const instances = new Map<string, SimLm>();
const requestsByHost = new Map<string, number>();
const STATUS_HOST = /^status-(\d{3})(?:-after-(\d+))?(?:-[a-z0-9]+)?\.fault$/;
const RATE_LIMITED_HOST = /^ratelimit-rps(\d+)(?:-c(\d+))?(?:-lat(\d+))?-/;

export async function outboundService(request: MiniflareRequest): Promise<MiniflareResponse> {
  const url = new URL(request.url);
  if (url.hostname.endsWith(".receiver")) return webhookReceiver(request); // outbound webhooks' receivers
  if (isStubbornHost(url.hostname)) return stubbornHost(request); // one example failing its first k tries
  const scripted = STATUS_HOST.exec(url.hostname);
  if (scripted) {
    if (url.pathname === "/__requests") return new MiniflareResponse(JSON.stringify({ count: requestsByHost.get(url.host) ?? 0 }));
    requestsByHost.set(url.host, (requestsByHost.get(url.host) ?? 0) + 1);
    return statusResponse(Number(scripted[1]), scripted[2]);
  }
  // SimLM reads only the Fetch API surface, which miniflare's undici Request has.
  const response = await simLmFor(url.host).handle(request as unknown as Request);
  return new MiniflareResponse(await response.text(), { status: response.status, headers: [...response.headers] });
}

function simLmFor(host: string): SimLm {
  let simlm = instances.get(host);
  if (!simlm) {
    simlm = createSimLm(simLmOptionsFor(host));
    instances.set(host, simlm);
  }
  return simlm;
}

function simLmOptionsFor(host: string): SimLmOptions {
  if (host.startsWith("flaky-")) return { faults: { serverError: 0.1 } };
  const limited = RATE_LIMITED_HOST.exec(host);
  if (!limited) return {};
  const [, rps, concurrent, latency] = limited;
  return {
    rateLimit: { rps: Number(rps), ...(concurrent ? { maxConcurrent: Number(concurrent) } : {}) },
    ...(latency ? { latencyMs: Number(latency) } : {}),
  };
}

function statusResponse(status: number, retryAfter: string | undefined): MiniflareResponse {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  const body = { error: { message: `scripted HTTP ${status} (integration test)`, type: status === 401 ? "invalid_api_key" : "server_error", code: null } };
  return new MiniflareResponse(JSON.stringify(body), { status, headers });
}
