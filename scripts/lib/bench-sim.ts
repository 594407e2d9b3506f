/**
 * SimLM on node:http with a log of every chat completion's start and end, for the engine
 * benchmark. The project's SimLM server only counts (GET /simlm/stats has maxInFlight);
 * the benchmark needs *when* each call ran, to split a generation's wall time into time
 * the model was busy and time spent in the plumbing between waves. Same handler, so the
 * answers, latency and counters are those of `startSimLmServer`.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createSimLm, type SimLmOptions } from "../../src/simlm/handler";
import type { SimLmStats } from "../../src/simlm/traffic";

export interface CallRecord {
  /** Epoch ms (sub-ms precision), the same clock as the Durable Object's Date.now(). */
  start: number;
  end: number;
  model: string;
}

export interface LoggedSimLm {
  url: string;
  calls: CallRecord[];
  stats(): SimLmStats;
  close(): Promise<void>;
}

const nowMs = () => performance.timeOrigin + performance.now();

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function modelOf(body: Buffer): string {
  try {
    return String((JSON.parse(body.toString("utf8")) as { model?: unknown }).model ?? "?");
  } catch {
    return "?";
  }
}

export async function startLoggedSimLm(port: number, options: SimLmOptions): Promise<LoggedSimLm> {
  const simlm = createSimLm(options);
  const calls: CallRecord[] = [];
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const isChat = req.method === "POST" && (req.url ?? "").startsWith("/v1/chat/completions");
      const start = nowMs();
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const method = req.method ?? "GET";
      const request = new Request(new URL(req.url ?? "/", origin), { method, headers, body: method === "GET" ? undefined : body });
      const response = await simlm.handle(request);
      const out = Buffer.from(await response.arrayBuffer());
      if (isChat && response.status === 200) calls.push({ start, end: nowMs(), model: modelOf(body) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(out);
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error), type: "server_error" } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stats: () => simlm.stats(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
