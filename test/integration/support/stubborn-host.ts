/**
 * A model host for failed-attempt tests (routed here by support/outbound.ts):
 * `stubborn<k>-<tag>.simlm` is a SimLM (seed 0, no faults) except that one request, the
 * first user message the host sees, answers HTTP 500 its first k times. With k equal to a
 * call's tries, the evaluate job holding that example fails its first attempt after its
 * other calls were answered (and billed), and succeeds on the next one: exactly one
 * failed attempt with completions in it. `GET /simlm/stats` counts what was served.
 */
import { type Request as MiniflareRequest, Response as MiniflareResponse } from "miniflare";
import { createSimLm, type SimLm } from "../../../src/simlm/handler";

const STUBBORN_HOST = /^stubborn(\d+)-/;

interface Stubborn {
  simlm: SimLm;
  failures: number;
  /** The user message that fails; the first one seen. */
  user: string | null;
}

const hosts = new Map<string, Stubborn>();

export function isStubbornHost(hostname: string): boolean {
  return STUBBORN_HOST.test(hostname);
}

export async function stubbornHost(request: MiniflareRequest): Promise<MiniflareResponse> {
  const url = new URL(request.url);
  let host = hosts.get(url.host);
  if (!host) hosts.set(url.host, (host = { simlm: createSimLm({}), failures: 0, user: null }));
  const limit = Number(STUBBORN_HOST.exec(url.hostname)![1]);
  const text = request.method === "POST" ? await request.text() : null;
  if (text !== null && url.pathname.endsWith("/chat/completions")) {
    const user = userMessage(text);
    host.user ??= user;
    if (user === host.user && host.failures < limit) {
      host.failures++;
      const body = { error: { message: "scripted HTTP 500 (stubborn host)", type: "server_error", code: null } };
      return new MiniflareResponse(JSON.stringify(body), { status: 500, headers: { "content-type": "application/json" } });
    }
  }
  const forwarded = new Request(request.url, { method: request.method, headers: [...request.headers], ...(text !== null ? { body: text } : {}) });
  const response = await host.simlm.handle(forwarded);
  return new MiniflareResponse(await response.text(), { status: response.status, headers: [...response.headers] });
}

function userMessage(body: string): string | null {
  try {
    const messages = (JSON.parse(body) as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
    return messages.find((m) => m.role === "user")?.content ?? null;
  } catch {
    return null;
  }
}
