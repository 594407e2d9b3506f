/**
 * Webhook receivers for integration tests (runs in Node, inside the vitest process, behind
 * outbound.ts). Each `*.receiver` host records what it is sent, in memory, and answers as
 * its name says; a unique tag keeps one test's receiver apart from another's:
 *
 * - `hooks-ok[-<tag>].receiver` answers 200 to every POST;
 * - `hooks-fail-<n>[-<tag>].receiver` answers 500 to its first n POSTs, then 200;
 * - `hooks-status-<code>[-after-<s>][-<tag>].receiver` always answers <code> (with
 *   `retry-after: <s>`);
 * - `hooks-redirect[-<tag>].receiver` answers 302 to a hooks-ok host.
 *
 * `GET /__received` on the same host answers the requests so far, in order.
 */
import { type Request as MiniflareRequest, Response as MiniflareResponse } from "miniflare";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

const received = new Map<string, ReceivedRequest[]>();
const HOST = /^hooks-(ok|fail-(\d+)|status-(\d{3})(?:-after-(\d+))?|redirect)(?:-[a-z0-9]+)?\.receiver$/;

export async function webhookReceiver(request: MiniflareRequest): Promise<MiniflareResponse> {
  const url = new URL(request.url);
  const log = received.get(url.host) ?? [];
  received.set(url.host, log);
  if (request.method === "GET" && url.pathname === "/__received") return new MiniflareResponse(JSON.stringify(log), { headers: { "content-type": "application/json" } });
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  log.push({ method: request.method, path: url.pathname, headers, body: await request.text(), at: Date.now() });
  return answer(url.hostname, log.length);
}

function answer(hostname: string, count: number): MiniflareResponse {
  const match = HOST.exec(hostname);
  if (!match) return new MiniflareResponse("unknown receiver host", { status: 404 });
  const [, mode, failures, status, retryAfter] = match;
  if (mode === "ok" || (failures !== undefined && count > Number(failures))) return new MiniflareResponse("ok", { status: 200 });
  if (failures !== undefined) return new MiniflareResponse(`scripted failure ${count} of ${failures}`, { status: 500 });
  if (mode === "redirect") return new MiniflareResponse(null, { status: 302, headers: { location: "http://hooks-ok.receiver/moved" } });
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": retryAfter };
  return new MiniflareResponse(`scripted status ${status}`, { status: Number(status), headers });
}
