/**
 * Talking to the Worker the way a client does: `exports.default.fetch`, JSON in and out,
 * with this test file's API key (support/auth.ts) unless `headers` carry their own. Builders for request bodies take overrides (`simTaskBody("sim-logic", { model })`).
 */
import { env, exports } from "cloudflare:workers";
import { generateExamples, getSimTask } from "../../../src/simlm/task-pool";
import { withAuth } from "./auth";

const JSON_HEADERS = { "content-type": "application/json" };

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = JSON_HEADERS): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, headers: await withAuth(headers) };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await exports.default.fetch(`http://x${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** The body of POST /v1/tasks for one of SimLM's simulated tasks (like scripts/lib/sim-tasks.ts). */
export function simTaskBody(simId: string, overrides: { examples?: number; dataSeed?: number; model?: { model: string; baseUrl?: string } } = {}) {
  const task = getSimTask(simId);
  if (!task) throw new Error(`no simulated task ${simId}`);
  return {
    name: task.name,
    description: task.description,
    seedPrompt: task.seedPrompt,
    scorer: task.scorer,
    ...(overrides.model ? { model: overrides.model } : {}),
    examples: generateExamples(simId, overrides.examples ?? 30, overrides.dataSeed ?? 1),
    split: { train: 0.4, val: 0.3, test: 0.3 },
    splitSeed: 1,
  };
}

/** Creates a simulated task through the API and returns its id. */
export async function createSimTask(simId: string, overrides: Parameters<typeof simTaskBody>[1] = {}): Promise<string> {
  const res = await api("POST", "/v1/tasks", simTaskBody(simId, overrides));
  if (res.status !== 201) throw new Error(`creating ${simId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Starts a run and returns its summary (the 202 body). */
export async function startRun(body: Record<string, unknown>): Promise<any> {
  const res = await api("POST", "/v1/runs", body);
  if (res.status !== 202) throw new Error(`starting a run: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls GET /v1/runs/:id until the run is no longer running; throws past the deadline. */
export async function waitForRun(runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any = null;
  while (Date.now() < deadline) {
    const res = await api("GET", `/v1/runs/${runId}`);
    if (res.status === 200) {
      last = res.body;
      if (last.status !== "running") return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} still ${last?.status ?? "unknown"} after ${timeoutMs} ms (phase ${last?.phase}, pending ${last?.counts?.jobsPending})`);
}

/** Rows of every table a run writes, for "nothing was written" checks. */
export async function runTableCounts(): Promise<Record<string, number>> {
  const tables = ["runs", "candidates", "evaluations", "usage_ledger", "agent_snapshots", "champions"];
  const row = await env.DB.prepare(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}`).first<Record<string, number>>();
  return row ?? {};
}

/** Counters of the SimLM instance that answers `host` (see outbound.ts). */
export async function simLmStats(host: string): Promise<{ calls: number; completed: number; rateLimited: number }> {
  const res = await fetch(`http://${host}/simlm/stats`);
  return res.json();
}

/** A host of its own, so the SimLM counters a test reads are its own. */
export function uniqueSimHost(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}.simlm`;
}
