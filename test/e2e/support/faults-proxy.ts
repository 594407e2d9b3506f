/**
 * A 429 injector in front of SimLM. SimLM's own 429s come from its rate limit, so their
 * share depends on load, and the service's adaptive limiter learns that limit and keeps
 * its 429s near zero. To put a fixed share of 429s in front of the service (as a provider
 * under load does), this proxy answers a seeded `rate` of chat completions with 429 and
 * the same headers and body SimLM's rate limit sends (`retry-after: 1`, `retry-after-ms:
 * 1000`), and forwards everything else to SimLM unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RateLimitProxy {
  /** The base URL for the service: `${origin}/v1`. */
  baseUrl: string;
  /** Chat completion requests seen, and how many were answered 429 here. */
  counts(): { chatRequests: number; injected429: number };
  /** Changes the share of 429s from now on. */
  setRate(rate: number): void;
  close(): Promise<void>;
}

/** A uniform draw in [0, 1) from (seed, n): the same requests get the same answers for a seed. */
function draw(seed: number, n: number): number {
  let t = (Math.imul(seed ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d);
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "content-encoding"]);

export async function startRateLimitProxy(options: { port: number; target: string; rate: number; seed: number }): Promise<RateLimitProxy> {
  let chatRequests = 0;
  let injected429 = 0;
  let rate = options.rate;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? "/").replace(/\/+$/, "");
      if (req.method === "POST" && path === "/v1/chat/completions") {
        const n = chatRequests++;
        if (draw(options.seed, n) < rate) {
          injected429++;
          res.writeHead(429, { "content-type": "application/json", "retry-after": "1", "retry-after-ms": "1000", "x-simlm": "simulated" });
          res.end(JSON.stringify({ error: { message: "Rate limit reached (injected by the faults test's proxy).", type: "requests", code: "rate_limit_exceeded" } }));
          return;
        }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const upstream = await fetch(`${options.target}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(body.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? { body } : {}),
        signal: controller.signal,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name)) out[name] = value;
      });
      res.writeHead(upstream.status, out);
      res.end(answer);
    })().catch(() => {
      // The service gave up on the call (its deadline), or SimLM went away: drop the connection as they would.
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v1`,
    counts: () => ({ chatRequests, injected429 }),
    setRate: (next) => {
      rate = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
