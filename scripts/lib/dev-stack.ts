/**
 * Starts the local service the way a user runs it: D1 migrations applied, SimLM on
 * 127.0.0.1 (unless a real OPENAI_BASE_URL is given), and `wrangler dev` with an admin
 * key; then a project and an API key of it are made through the admin API, so callers
 * get a working key. Shared by `npm start`, the end-to-end tests and the benchmarks.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { MIN_ADMIN_KEY_LENGTH } from "../../src/auth/authenticate";
import { SepoClient } from "../../src/client/api-client";
import { startSimLmServer } from "../../src/simlm/server";
import type { SimLmOptions } from "../../src/simlm/handler";

const run = promisify(execFile);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

export interface DevStackOptions {
  port?: number;
  simlmPort?: number;
  /** Where local D1/DO/queue state lives; a fresh directory gives a fresh service. */
  persistTo?: string;
  /** A real OpenAI-compatible endpoint; when absent SimLM is started. */
  llmBaseUrl?: string;
  llmApiKey?: string;
  taskModel?: string;
  agentModel?: string;
  simlm?: Partial<SimLmOptions>;
  /** Where wrangler's output goes. */
  logFile?: string;
  /** The service's admin key; by default $ADMIN_API_KEY, else a new random one for this stack. */
  adminKey?: string;
  /** More Worker variables (`--var NAME:value`), e.g. a test's shorter JOB_WATCHDOG_MS. */
  vars?: Record<string, string>;
}

export interface DevStack {
  apiUrl: string;
  /** A key of the project `local` made for this stack: send it as `Authorization: Bearer <key>`. */
  apiKey: string;
  projectId: string;
  /** The admin key the service runs with (creates projects and keys). */
  adminKey: string;
  llmUrl: string;
  simulated: boolean;
  stop(): Promise<void>;
}

export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const port = options.port ?? 8787;
  const persistTo = options.persistTo ?? join(ROOT, ".wrangler/state");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" };
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { cwd: ROOT, env });

  const simlm = options.llmBaseUrl ? null : await startSimLmServer({ ...options.simlm, port: options.simlmPort ?? 8788, host: "127.0.0.1" });
  const llmUrl = options.llmBaseUrl ?? `${simlm!.url}/v1`;
  const adminKey = devAdminKey(options.adminKey);
  // wrangler shows --var values as "(hidden)" in its bindings table, so the key stays out of the log.
  // A local stack may reach loopback (SimLM, test webhook receivers); deployed, the default refuses it.
  const vars = [`OPENAI_BASE_URL:${llmUrl}`, `ADMIN_API_KEY:${adminKey}`, "ALLOW_PRIVATE_URLS:true"];
  if (options.llmApiKey) vars.push(`OPENAI_API_KEY:${options.llmApiKey}`);
  if (options.taskModel) vars.push(`DEFAULT_TASK_MODEL:${options.taskModel}`);
  if (options.agentModel) vars.push(`DEFAULT_AGENT_MODEL:${options.agentModel}`);
  for (const [name, value] of Object.entries(options.vars ?? {})) vars.push(`${name}:${value}`);

  const logFile = options.logFile ?? join(ROOT, ".sepo/wrangler.log");
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: "a" });
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo, "--show-interactive-dev-session=false"];
  for (const v of vars) args.push("--var", v);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    log.end();
    await simlm?.close();
  };
  let access: DevKey;
  try {
    await waitForHealth(apiUrl, child, 90_000);
    access = await createDevKey(apiUrl, adminKey);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message} (wrangler's output is in ${logFile})`);
  }
  return { apiUrl, apiKey: access.apiKey, projectId: access.projectId, adminKey, llmUrl, simulated: !options.llmBaseUrl, stop };
}

/** The admin key for a local stack: the one given, else $ADMIN_API_KEY, else a fresh random one. */
export function devAdminKey(given = process.env.ADMIN_API_KEY): string {
  if (!given) return `sk_admin_${randomBytes(32).toString("base64url")}`;
  if (given.trim().length < MIN_ADMIN_KEY_LENGTH) throw new Error(`ADMIN_API_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  return given.trim();
}

export interface DevKey {
  projectId: string;
  apiKey: string;
}

/** The project local stacks use: found by name, so a restarted stack keeps seeing the tasks and runs made before. */
export const DEV_PROJECT_NAME = "local";

/**
 * A new key of the project `local` (created on first use), through the admin API. Each
 * call makes a key; earlier ones stay valid, since people may have configured them.
 */
export async function createDevKey(apiUrl: string, adminKey: string, keyName = `local stack ${new Date().toISOString()}`): Promise<DevKey> {
  const admin = new SepoClient({ baseUrl: apiUrl, apiKey: adminKey, timeoutMs: 30_000 });
  let projectId: string | undefined;
  let cursor: string | undefined;
  do {
    const page = await admin.listProjects({ limit: 100, cursor });
    projectId = page.items.find((p) => p.name === DEV_PROJECT_NAME)?.id;
    cursor = page.nextCursor ?? undefined;
  } while (!projectId && cursor);
  projectId ??= (await admin.createProject(DEV_PROJECT_NAME)).id;
  const created = await admin.createApiKey(projectId, keyName);
  return { projectId, apiKey: created.key };
}

/** Waits for the Worker's /health; fails early when wrangler exits or (optionally) reports a failed build. */
export async function waitForHealth(apiUrl: string, child: ChildProcess, timeoutMs: number, buildFailed: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    if (buildFailed()) throw new Error("wrangler dev could not build the Worker");
    try {
      if ((await fetch(`${apiUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer on ${apiUrl} within ${timeoutMs / 1000}s`);
}

/** SIGTERM ends wrangler and its workerd; SIGKILL if it lingers. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on right now (the OS picks it); a tiny race, acceptable for a dev stack. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
