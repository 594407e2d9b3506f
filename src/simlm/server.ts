/**
 * SimLM as a Node HTTP server on 127.0.0.1, for the CLI, `npm start`, end-to-end tests
 * and benchmarks against `wrangler dev`. A thin adapter: node:http in, Fetch Request to
 * the shared handler, Fetch Response back out. A client that disconnects aborts its
 * request, so a hanging (injected timeout) request ends when the client gives up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSimLm, type SimLmOptions } from "./handler";
import type { SimLmStats } from "./traffic";

/** Where and how to listen; the rest is SimLM's own options. */
export interface SimLmServerOptions extends SimLmOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: SimLM is a local test instrument, never exposed. */
  host?: string;
}

/** A running SimLM server. */
export interface SimLmServer {
  /** The origin, e.g. http://127.0.0.1:8788 (stats at `${url}/simlm/stats`). */
  url: string;
  /** The base URL for an OpenAI client: `${url}/v1`. */
  baseUrl: string;
  port: number;
  stats(): SimLmStats;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toRequest(req: IncomingMessage, body: Buffer, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0;
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body: hasBody ? body : undefined, signal });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.end(body);
}

/** Starts SimLM on node:http and resolves once it listens. */
export async function startSimLmServer(options: SimLmServerOptions = {}): Promise<SimLmServer> {
  const { port = 0, host = "127.0.0.1", ...simOptions } = options;
  const simlm = createSimLm(simOptions);
  let origin = "";

  const server = createServer((req, res) => {
    const controller = new AbortController();
    // "close" on the response fires when it is sent or when the client went away.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    readBody(req)
      .then((body) => simlm.handle(toRequest(req, body, origin, controller.signal)))
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        if (controller.signal.aborted || res.headersSent) return void res.destroy();
        res.writeHead(500, { "content-type": "application/json", "x-simlm": "simulated" });
        res.end(JSON.stringify({ error: { message: `SimLM internal error: ${String(error)}`, type: "server_error" } }));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  origin = `http://${host}:${actual}`;
  return {
    url: origin,
    baseUrl: `${origin}/v1`,
    port: actual,
    stats: () => simlm.stats(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
