/**
 * A dedicated service for fault tests: its own SimLM (with faults and a rate limit), its
 * own ports and state directory, and a Worker that can be restarted on the same state
 * while SimLM keeps running (dev-stack starts no SimLM when given `llmBaseUrl`).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type DevStack, devAdminKey, ROOT, startDevStack } from "../../../scripts/lib/dev-stack";
import type { SimLmOptions } from "../../../src/simlm/handler";
import { type SimLmServer, startSimLmServer } from "../../../src/simlm/server";
import { accessOf, type ServiceAccess } from "./faults-client";
import { type RateLimitProxy, startRateLimitProxy } from "./faults-proxy";

const run = promisify(execFile);
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

/**
 * Ports are free ones picked at start (0), unless given: other engineers and CI run e2e
 * stacks on the same machine, and a fixed port would collide with a concurrent run.
 */
export interface FaultStackOptions {
  port?: number;
  simlmPort?: number;
  simlm: Partial<SimLmOptions>;
  /** A proxy between the service and SimLM answering this share of chat completions 429 (see faults-proxy.ts). */
  inject429?: { rate: number; seed: number; port?: number };
  /** More Worker variables, e.g. a shorter JOB_WATCHDOG_MS so that jobs lost in a restart are sent again within the test. */
  vars?: Record<string, string>;
}

/** A port nothing listens on right now (the OS's pick). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface FaultStack {
  readonly service: ServiceAccess;
  simlm: SimLmServer;
  /** The 429 injector, when asked for. */
  proxy: RateLimitProxy | null;
  persistTo: string;
  logFile: string;
  /** Stops `wrangler dev` (SIGTERM, as dev-stack does) and starts it again on the same state and SimLM. */
  restartWorker(): Promise<{ downMs: number }>;
  /** Runs SQL against the service's local D1 (the same persisted database `wrangler dev` uses). */
  d1<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const persistTo = mkdtempSync(join(tmpdir(), "sepo-faults-"));
  const logFile = join(persistTo, "wrangler.log");
  const simlm = await startSimLmServer({ ...options.simlm, port: options.simlmPort ?? 0, host: "127.0.0.1" });
  const proxy = options.inject429 ? await startRateLimitProxy({ port: 0, ...options.inject429, target: simlm.url }) : null;
  const port = options.port ?? (await freePort());
  const llmBaseUrl = proxy?.baseUrl ?? simlm.baseUrl;
  // The same admin key across restarts (dev-stack makes a fresh project key each start).
  const adminKey = devAdminKey();
  const startWorker = () => startDevStack({ port, persistTo, logFile, llmBaseUrl, adminKey, ...(options.vars ? { vars: options.vars } : {}) });
  let worker: DevStack | null = null;
  try {
    worker = await startWorker();
  } catch (error) {
    await proxy?.close();
    await simlm.close();
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
  let access = accessOf(worker);
  const stack: FaultStack = {
    get service() {
      return access;
    },
    simlm,
    proxy,
    persistTo,
    logFile,
    async restartWorker() {
      const t0 = Date.now();
      await worker?.stop();
      worker = null;
      worker = await startWorker();
      access = accessOf(worker);
      return { downMs: Date.now() - t0 };
    },
    async d1<T>(sql: string): Promise<T[]> {
      const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" };
      const args = ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql];
      for (let attempt = 1; ; attempt++) {
        try {
          const { stdout } = await run(WRANGLER, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
          const parsed = JSON.parse(stdout) as Array<{ results: T[] }>;
          return parsed.flatMap((r) => r.results);
        } catch (error) {
          // The running Worker holds the same SQLite file: a busy database is retried.
          const e = error as { stdout?: string; stderr?: string; message: string };
          const detail = `${e.stderr ?? ""}${e.stdout ?? ""}`.trim().slice(0, 2000);
          if (attempt >= 5 || !/busy|locked/i.test(detail)) throw new Error(`wrangler d1 execute failed: ${detail || e.message}\nSQL: ${sql.slice(0, 500)}`);
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    },
    async stop() {
      await worker?.stop();
      await proxy?.close();
      await simlm.close();
      if (!process.env.SEPO_KEEP_FAULT_STATE) rmSync(persistTo, { recursive: true, force: true });
      else console.log(`fault stack state kept in ${persistTo}`);
    },
  };
  return stack;
}

