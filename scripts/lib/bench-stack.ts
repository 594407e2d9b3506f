/**
 * The local stack for the engine benchmark: `startDevStack` (scripts/lib/dev-stack.ts)
 * with three differences it has no options for, so they are done here:
 *  - the Worker runs from a snapshot of the sources taken when the benchmark starts:
 *    wrangler dev rebuilds and restarts on every source change, which drops the local
 *    queue's messages and stalls a run, and the tree may be edited while it runs.
 *  - a generated wrangler config, a copy of wrangler.toml whose `sepo-jobs` consumer has
 *    another max_batch_size (under wrangler dev that, not max_concurrency, sets how many
 *    jobs run at once; see benchmarks/engine.md). Both live in a temp directory.
 *  - SimLM with a call log (bench-sim.ts) instead of the plain SimLM server.
 *  - the Worker is built from a metered entry (bench-meter.ts): it counts D1 statements
 *    and answers a limiter's status, for the benchmark only.
 * Migrations, flags and stopping are the same as dev-stack's.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, createWriteStream, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { ApiError, SepoClient } from "../../src/client/api-client";
import { limiterKey, type LimiterStatus } from "../../src/limits/limiter-api";
import { ROOT, stopChild, waitForHealth } from "./dev-stack";
import { type MeterCounts, meteredEntry } from "./bench-meter";
import { type LoggedSimLm, startLoggedSimLm } from "./bench-sim";

const run = promisify(execFile);
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" };

export interface BenchStackOptions {
  /** From snapshotSources(). */
  appDir: string;
  port: number;
  simlmPort: number;
  /** A fresh directory: the config, the local state and wrangler's log go here. */
  dir: string;
  /** max_batch_size of the `sepo-jobs` consumer; undefined keeps wrangler.toml's. */
  batchSize?: number;
  latencyMs: number;
}

/** One consumer invocation as wrangler logs it ("QUEUE sepo-jobs 8/8 (238ms)"). */
export interface BatchRecord {
  queue: string;
  acked: number;
  size: number;
  ms: number;
  /** Epoch ms when the line reached us: the batch's end plus a few ms of logging. */
  loggedAt: number;
}

export interface BenchStack {
  apiUrl: string;
  simlm: LoggedSimLm;
  logFile: string;
  batches: BatchRecord[];
  /** A client with a project key (created with a throwaway admin key) when the service has API keys. */
  client(): Promise<SepoClient>;
  /** The metered Worker's D1 counts so far (bench-meter.ts). */
  meter(): Promise<MeterCounts>;
  /** The shared rate limiter's status for a model at the stack's SimLM (null without limiters). */
  limiter(model: string): Promise<LimiterStatus | null>;
  /** A run's Durable Object storage (RunObject.storageInfo). */
  runStorage(runId: string): Promise<{ bytes: number; pendingEffects: number }>;
  /** Rebuilds since ready (none expected: the snapshot does not change). */
  reloads(): number;
  /** Runs SQL on the local D1 (wrangler d1 execute) and returns the rows; after stop(), or SQLite may be busy. */
  d1<T>(sql: string): Promise<T[]>;
  /** Idempotent. */
  stop(): Promise<void>;
}

/** The metered entry wrangler builds, next to the snapshot's sources. */
const ENTRY = "bench-entry.ts";

/**
 * Copies what the Worker is built from into `dir`, plus the metered entry (bench-meter.ts)
 * that wraps the Worker's `main` and its Durable Object classes; node_modules is linked, not copied.
 */
export function snapshotSources(dir: string): string {
  for (const entry of ["src", "durable-objects", "migrations", "wrangler.toml", "package.json", "tsconfig.json"]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const toml = readFileSync(join(dir, "wrangler.toml"), "utf8");
  const main = /^main = "(.+)"$/m.exec(toml)?.[1];
  if (!main) throw new Error("wrangler.toml has no `main`; update bench-stack.ts");
  const classes = [...new Set([...toml.matchAll(/^class_name = "(\w+)"$/gm)].map((m) => m[1]!))];
  cpSync(join(ROOT, "scripts/lib/bench-meter.ts"), join(dir, "bench-meter.ts"));
  writeFileSync(join(dir, ENTRY), meteredEntry(`./${main}`, classes));
  return dir;
}

/**
 * The snapshot's wrangler.toml with absolute paths (the copy lives elsewhere) and the
 * chosen batch size. BENCH_NO_LIMITER=1 drops the LIMITERS binding (calls go out unpaced,
 * as the consumer does without one): a diagnostic, to see what the shared limiter costs.
 */
export function benchConfig(appDir: string, batchSize: number | undefined): string {
  let text = readFileSync(join(appDir, "wrangler.toml"), "utf8");
  text = text.replace(/^main = "(.+)"$/m, () => `main = ${JSON.stringify(join(appDir, ENTRY))}`);
  text = text.replace(/^migrations_dir = "(.+)"$/m, (_, p: string) => `migrations_dir = ${JSON.stringify(join(appDir, p))}`);
  if (process.env.BENCH_NO_LIMITER === "1") {
    const binding = /\[\[durable_objects\.bindings\]\]\s*\nname = "LIMITERS"\s*\nclass_name = "RateLimiter"\s*\n/;
    if (!binding.test(text)) throw new Error("wrangler.toml has no LIMITERS binding in the expected form; update bench-stack.ts");
    text = text.replace(binding, "");
  }
  if (batchSize !== undefined) {
    const block = /(queue = "sepo-jobs"\s*\nmax_batch_size = )\d+/;
    if (!block.test(text)) throw new Error("wrangler.toml has no `sepo-jobs` consumer with max_batch_size; update bench-stack.ts");
    text = text.replace(block, `$1${batchSize}`);
  }
  return text;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  mkdirSync(options.dir, { recursive: true });
  const config = join(options.dir, "wrangler.toml");
  const persist = join(options.dir, "state");
  writeFileSync(config, benchConfig(options.appDir, options.batchSize));
  const common = ["--config", config, "--persist-to", persist];
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", ...common], { cwd: options.appDir, env: ENV });

  const simlm = await startLoggedSimLm(options.simlmPort, { seed: 1, latencyMs: options.latencyMs });
  const logFile = join(options.dir, "wrangler.log");
  const log = createWriteStream(logFile);
  const args = ["dev", ...common, "--ip", "127.0.0.1", "--port", String(options.port), "--show-interactive-dev-session=false"];
  args.push("--var", `OPENAI_BASE_URL:${simlm.url}/v1`);
  const adminKey = randomBytes(24).toString("hex"); // this stack's own, gone with its temp dir
  args.push("--var", `ADMIN_API_KEY:${adminKey}`, "--var", "ALLOW_PRIVATE_URLS:true");
  const child = spawn(WRANGLER, args, { cwd: options.appDir, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  // Lines are timestamped as they arrive: wrangler's QUEUE lines carry a batch's duration but no time.
  const batches: BatchRecord[] = [];
  let reloads = 0;
  createInterface({ input: child.stderr }).on("line", (line) => log.write(`${line}\n`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    log.write(`${line}\n`);
    if (/Reloading local server|Build failed/.test(line)) reloads++;
    const m = /QUEUE (\S+) (\d+)\/(\d+) \((\d+)ms\)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
    if (m) batches.push({ queue: m[1]!, acked: Number(m[2]), size: Number(m[3]), ms: Number(m[4]), loggedAt: Date.now() });
  });

  const apiUrl = `http://127.0.0.1:${options.port}`;
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await stopChild(child);
      log.end();
      await simlm.close();
    })());
  try {
    await waitForHealth(apiUrl, child, 90_000, () => reloads > 0);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message} (wrangler's output is in ${logFile})`);
  }
  const d1 = async <T>(sql: string): Promise<T[]> => {
    const args = ["d1", "execute", "DB", "--local", ...common, "--json", "--command", sql];
    const { stdout } = await run(WRANGLER, args, { cwd: options.appDir, env: ENV, maxBuffer: 64 * 1024 * 1024 });
    return (JSON.parse(stdout) as Array<{ results: T[] }>).flatMap((r) => r.results);
  };
  // A request that hangs (e.g. wrangler stuck) fails the bench instead of stalling it.
  const fetchWithTimeout: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(30_000) });
  const client = () => projectClient(apiUrl, adminKey, fetchWithTimeout);
  const meter = async () => (await (await fetchWithTimeout(`${apiUrl}/__bench/meter`)).json()) as MeterCounts;
  const limiter = async (model: string) => {
    const key = encodeURIComponent(limiterKey(`${simlm.url}/v1`, model));
    return (await (await fetchWithTimeout(`${apiUrl}/__bench/limiter?key=${key}`)).json()) as LimiterStatus | null;
  };
  const runStorage = async (runId: string) =>
    (await (await fetchWithTimeout(`${apiUrl}/__bench/run-storage?run=${encodeURIComponent(runId)}`)).json()) as { bytes: number; pendingEffects: number };
  return { apiUrl, simlm, logFile, batches, client, meter, limiter, runStorage, reloads: () => reloads, d1, stop };
}

/** A project and its key through the admin API; no key at all for a service without one (404). */
async function projectClient(baseUrl: string, adminKey: string, fetcher: typeof fetch): Promise<SepoClient> {
  const admin = new SepoClient({ baseUrl, apiKey: adminKey, fetch: fetcher });
  try {
    const project = await admin.request<{ id: string }>("POST", "/v1/projects", { name: "bench-engine" });
    const { key } = await admin.request<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, { name: "bench-engine" });
    return new SepoClient({ baseUrl, apiKey: key, fetch: fetcher });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return new SepoClient({ baseUrl, fetch: fetcher });
    throw error;
  }
}

