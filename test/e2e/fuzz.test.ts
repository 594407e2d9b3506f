/**
 * Fuzzing every route of the service: many malformed requests (mutated and random JSON
 * bodies, wrong content types, bad path ids, bad query parameters, bad credentials, wrong
 * methods), generated from a seeded PRNG. The service must answer each with a 4xx that
 * carries the JSON error shape (`{ error: { code, message } }`), never a 5xx, and none
 * of them may change anything: the API's lists and every D1 table are compared before
 * and after.
 *
 * The routes come from the app (`createApp().routes`), so new routes are fuzzed without
 * editing this file. Reproduce a failure with SEPO_FUZZ_SEED=<seed> (printed); change
 * the amount with SEPO_FUZZ_COUNT. The service is a stack of its own (free ports, a fresh
 * state directory), so that other e2e files creating tasks and runs at the same time
 * cannot disturb the state comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { MAX_BODY_BYTES } from "../../src/http/validate";
import { createSimTasks } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";
import { adminClientFor, authHeaders, clientFor, isAdminPath } from "./support/faults-client";
import { buildRequest, describeRequest, discoverRoutes, type FuzzRequest, type FuzzSetup, type KnownIds } from "./support/faults-fuzz";
import { type FaultStack, startFaultStack } from "./support/faults-stack";
import { adminSnapshot, apiSnapshot, d1Counts, type ServiceSnapshot } from "./support/faults-state";

const SEED = Number(process.env.SEPO_FUZZ_SEED ?? 20_260_525);
const COUNT = Number(process.env.SEPO_FUZZ_COUNT ?? 1500);
/** The fuzz stops sending (and says so) after this long, whatever COUNT is. */
const TIME_LIMIT_MS = 150_000;
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 30_000;

interface Outcome {
  request: FuzzRequest;
  status: number;
  problem: string | null;
}

let stack: FaultStack;
let client: SepoClient;
let ids: KnownIds;
let before: ServiceSnapshot;
let outcomes: Outcome[] = [];
/** True when the stack has no admin key configured: its admin routes then answer 503 by design (see below). */
let adminDisabled = false;

async function snapshot(): Promise<ServiceSnapshot> {
  const extra = [`/v1/runs/${ids.runId}`, `/v1/tasks/${ids.taskId}`, `/v1/tasks/${ids.taskId}/prompts`, `/v1/runs/${ids.runId}/candidates`];
  const adminClient = adminClientFor(stack.service);
  const admin = adminClient ? await adminSnapshot(adminClient) : {};
  return { api: { ...(await apiSnapshot(client, extra)), admin }, d1: await d1Counts(stack) };
}

/** Sends one request; a problem is a 5xx, a 4xx without the JSON error shape, or a change-making request accepted. */
async function send(request: FuzzRequest): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(new URL(request.url, stack.service.apiUrl), {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    return { request, status: 0, problem: `no response: ${(error as Error).message}` };
  }
  const type = res.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { request, status: res.status, problem: res.status >= 500 ? `${res.status} (event stream)` : null };
  }
  const text = await res.text().catch((error: unknown) => `<body unreadable: ${String(error)}>`);
  const brief = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  if (res.status >= 500) {
    // The one 5xx by design: admin routes of a service with no ADMIN_API_KEY answer 503
    // "unavailable" (they never fall open). Allowed only then, and counted.
    const disabledAdmin = adminDisabled && res.status === 503 && isAdminPath(request.url) && /"code":"unavailable"/.test(text);
    if (!disabledAdmin) return { request, status: res.status, problem: `${res.status}: ${brief}` };
    return { request, status: res.status, problem: null };
  }
  if (res.status >= 400) {
    if (!/^application\/json\b/.test(type)) return { request, status: res.status, problem: `${res.status} with content-type '${type}': ${brief}` };
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      return { request, status: res.status, problem: `${res.status} whose body is not JSON: ${brief}` };
    }
    const error = body?.error;

    if (typeof error?.message !== "string" || error.message.trim() === "" || typeof error.code !== "string") {
      return { request, status: res.status, problem: `${res.status} without { error: { code, message } }: ${brief}` };
    }
    return { request, status: res.status, problem: null };
  }
  const readOnly = request.method === "GET" || request.method === "OPTIONS" || request.method === "HEAD";
  if (!readOnly && !request.mayBeValid) return { request, status: res.status, problem: `a malformed ${request.method} was accepted (${res.status}): ${brief}` };
  return { request, status: res.status, problem: null };
}

beforeAll(async () => {
  stack = await startFaultStack({ simlm: { seed: 1 } });
  client = clientFor(stack.service);
  // Real resources, so that GET requests with bad queries reach past the id lookups.
  const [task] = await createSimTasks(client, { examplesPerTask: 20, dataSeed: 3, only: ["sim-classify"] });
  const started = await client.startRun<RunSummary>({ kind: "finetune", taskId: task!.taskId, config: { generations: 0, seed: 1 } });
  const run = await watchRun(client, started.runId, { intervalMs: 200, timeoutMs: 60_000 });
  expect(run.status).toBe("completed");
  ids = { taskId: task!.taskId, runId: run.runId, candidateId: run.archive[0]!.id, ...(stack.service.projectId ? { projectId: stack.service.projectId } : {}) };
  const admin = await fetch(`${stack.service.apiUrl}/v1/projects`, { headers: authHeaders(stack.service, "/v1/projects") });
  adminDisabled = admin.status === 503 && ((await admin.json()) as { error?: { code?: string } }).error?.code === "unavailable";
  if (adminDisabled) console.log("fuzz: this stack has no admin key; its admin routes answer 503 'unavailable' by design, which is allowed for them only");
  before = await snapshot();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe(`fuzzing every route (seed ${SEED})`, () => {
  it(`answers up to ${COUNT} malformed requests with JSON 4xx errors, never a 5xx`, async () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThan(10);
    const setup: FuzzSetup = {
      seed: SEED,
      routes,
      ids,
      auth: (path) => authHeaders(stack.service, path),
      maxBodyBytes: MAX_BODY_BYTES,
      // Disabled admin routes answer every request the same way: a small share is enough.
      ...(adminDisabled ? { routeWeight: (r) => (isAdminPath(r.path) ? 0.25 : r.method === "POST" ? 3 : 1) } : {}),
    };
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < COUNT && Date.now() - started < TIME_LIMIT_MS) {
        const request = buildRequest(setup, next++);
        outcomes.push(await send(request));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = Date.now() - started;

    const byStatus = new Map<number, number>();
    const byFamily = new Map<string, number>();
    const byRoute = new Map<string, number>();
    for (const o of outcomes) {
      byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
      byFamily.set(o.request.family, (byFamily.get(o.request.family) ?? 0) + 1);
      byRoute.set(o.request.route, (byRoute.get(o.request.route) ?? 0) + 1);
    }
    const sorted = (m: Map<string | number, number>) => [...m].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([k, v]) => `${k}: ${v}`).join(", ");
    console.log(
      `fuzz seed ${SEED}: ${outcomes.length} requests in ${(elapsed / 1000).toFixed(1)}s` +
        `${outcomes.length < COUNT ? ` (stopped at the ${TIME_LIMIT_MS / 1000}s limit)` : ""}\n` +
        `  statuses: ${sorted(byStatus)}\n  families: ${sorted(byFamily)}\n  routes (${routes.length}): ${sorted(byRoute)}`,
    );

    // Every route the app serves was fuzzed at least once.
    expect(routes.filter((r) => !byRoute.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const failures = outcomes.filter((o) => o.problem !== null).sort((a, b) => a.request.index - b.request.index);
    if (failures.length > 0) {
      console.error(`${failures.length} fuzz failure(s), seed ${SEED}; the first ones:\n` + failures.slice(0, 15).map((f) => `${describeRequest(f.request, SEED)}\n  -> ${f.problem}`).join("\n"));
    }
    expect(failures.map((f) => `#${f.request.index} ${f.request.method} ${f.request.url.slice(0, 120)} -> ${f.problem?.slice(0, 200)}`)).toEqual([]);
  }, 300_000);

  it("changed nothing: the API's lists, the run, the task and every D1 table are as before", async () => {
    expect(outcomes.length).toBeGreaterThan(0);
    const after = await snapshot();
    expect(after.d1).toEqual(before.d1);
    expect(after.api).toEqual(before.api);
  }, 120_000);
});
