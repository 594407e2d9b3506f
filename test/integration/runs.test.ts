/**
 * The /v1/runs routes through the Worker's fetch handler, with the real RunObject, queue
 * and D1, and SimLM as the model (support/outbound.ts).
 */
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createSimTask, runTableCounts, startRun, waitForRun } from "./support/api";

let taskId: string;
let otherTaskId: string;
/** A task whose model always answers 429 "retry in a minute": its runs stay in their first phase. */
let stuckTaskId: string;
beforeAll(async () => {
  taskId = await createSimTask("sim-logic");
  otherTaskId = await createSimTask("sim-arithmetic");
  stuckTaskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" } });
});

/** What a rejected request must not have left behind: rows, or a Durable Object. */
async function footprint() {
  return { rows: await runTableCounts(), objects: (await listDurableObjectIds(env.RUNS)).length };
}

describe("POST /v1/runs rejects bad input without starting anything", () => {
  const finetune = (extra: Record<string, unknown> = {}) => ({ kind: "finetune", taskId, ...extra });
  const cases: Array<[string, string, () => unknown]> = [
    ["missing kind", "kind", () => ({ taskId })],
    ["unknown kind", "kind", () => ({ kind: "baseline", taskId })],
    ["pretrain without taskIds", "taskIds", () => ({ kind: "pretrain" })],
    ["empty taskIds", "taskIds", () => ({ kind: "pretrain", taskIds: [] })],
    ["an unknown task among taskIds", "taskIds.1", () => ({ kind: "pretrain", taskIds: [taskId, "task_nope"] })],
    ["a task listed twice", "taskIds", () => ({ kind: "pretrain", taskIds: [taskId, otherTaskId, taskId] })],
    ["fine-tuning without taskId", "taskId", () => ({ kind: "finetune" })],
    ["an unknown task", "taskId", () => finetune({ taskId: "task_nope" })],
    ["negative generations", "config.generations", () => finetune({ config: { generations: -1 } })],
    ["fractional children", "config.childrenPerGeneration", () => finetune({ config: { childrenPerGeneration: 1.5 } })],
    ["a zero budget cap", "config.budget.maxCalls", () => finetune({ config: { budget: { maxCalls: 0 } } })],
    ["an unknown config key", "config", () => finetune({ config: { generation: 3 } })],
    ["config not an object", "config", () => finetune({ config: 5 })],
    ["an unknown agent snapshot", "agentSnapshotId", () => finetune({ agentSnapshotId: "agt_nope" })],
    ["a fine-tuning-only method on a pre-training", "config.method", () => ({ kind: "pretrain", taskIds: [taskId], config: { method: "textgrad" } })],
    ["an unknown method", "config.method", () => finetune({ config: { method: "dspy" } })],
    ["'latest' before any pre-training", "agentSnapshotId", () => finetune({ agentSnapshotId: "latest" })],
    ["an agent model URL that is not one", "agentModel.baseUrl", () => finetune({ agentModel: { model: "m", baseUrl: "nope" } })],
    ["a pre-training field on a fine-tuning", "(body)", () => finetune({ seedAgentPrompt: "x" })],
    ["a body that is not an object", "(body)", () => [1, 2]],
  ];

  it.each(cases)("%s -> 400 naming %s", async (_label, path, body) => {
    const before = await footprint();
    const res = await api("POST", "/v1/runs", body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.issues.map((i: any) => i.path)).toContain(path);
    if (path !== "(body)") expect(res.body.error.message).toContain(path);
    expect(await footprint()).toEqual(before);
  });

  it("says which config key is unknown", async () => {
    const res = await api("POST", "/v1/runs", finetune({ config: { generation: 3 } }));
    expect(res.body.error.message).toContain("generation");
  });

  it("answers 400 for a body that is not JSON and 415 for another content type", async () => {
    const before = await footprint();
    const bad = await api("POST", "/v1/runs", "{ kind: finetune");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not valid JSON/);
    const text = await api("POST", "/v1/runs", JSON.stringify(finetune()), { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(await footprint()).toEqual(before);
  });

  it("dry run: returns an estimate and the full config, and starts nothing", async () => {
    const before = await footprint();
    const small = await api("POST", "/v1/runs?dryRun=true", finetune({ config: { generations: 1 } }));
    const large = await api("POST", "/v1/runs?dryRun=true", finetune({ config: { generations: 4, prices: { "simlm-task": { inputPerMTok: 1, outputPerMTok: 2 } } } }));
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ dryRun: true, config: { generations: 1, childrenPerGeneration: 2, evalChunkSize: 8 } });
    expect(small.body.estimate).toMatchObject({ calls: expect.any(Number), tokensUpperBound: expect.any(Number), usdUpperBound: 0 });
    expect(small.body.estimate.calls).toBeGreaterThan(0);
    expect(large.body.estimate.calls).toBeGreaterThan(small.body.estimate.calls);
    expect(large.body.estimate.usdUpperBound).toBeGreaterThan(0);
    expect(await footprint()).toEqual(before);
    expect((await api("POST", "/v1/runs?dryRun=true", finetune({ config: { generations: -1 } }))).status).toBe(400);
    // A mistyped flag must not start a real (billed) run.
    const mistyped = await api("POST", "/v1/runs?dryRun=1", finetune());
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.message).toMatch(/dryRun/);
    expect(await footprint()).toEqual(before);
  });
});

describe("a run's lifecycle through the API", () => {
  it("starts (202 + Location), writes its row at once, completes, and lists", async () => {
    const res = await api("POST", "/v1/runs", { kind: "finetune", taskId, config: { generations: 1, seed: 3 } });
    expect(res.status).toBe(202);
    const runId: string = res.body.runId;
    expect(runId).toMatch(/^run_[0-9a-f]{32}$/);
    expect(res.headers.get("location")).toBe(`/v1/runs/${runId}`);
    expect(res.body).toMatchObject({ kind: "finetune", status: "running", phase: "seed", generations: 1 });

    const row = await env.DB.prepare("SELECT kind, status, task_ids, config FROM runs WHERE id = ?").bind(runId).first<any>();
    expect(row).toMatchObject({ kind: "finetune", status: "running", task_ids: JSON.stringify([taskId]) });
    expect(JSON.parse(row.config)).toMatchObject({ generations: 1, seed: 3, childrenPerGeneration: 2 });

    const done = await waitForRun(runId);
    expect(done).toMatchObject({ runId, status: "completed", stopReason: "completed", phase: "done" });
    // Cancelling a finished run changes nothing.
    expect((await api("POST", `/v1/runs/${runId}/cancel`)).body).toEqual(done);
    const listed = await api("GET", `/v1/runs?taskId=${taskId}&status=completed&limit=100`);
    expect(listed.body.items.map((r: any) => r.id)).toContain(runId);
    expect(listed.body.items.find((r: any) => r.id === runId)).toMatchObject({ status: "completed", reason: "completed", report: { kind: "finetune" } });
    expect((await api("GET", `/v1/runs?taskId=${otherTaskId}&limit=100`)).body.items.map((r: any) => r.id)).not.toContain(runId);
    expect((await api("GET", "/v1/runs?status=running&limit=100")).body.items.map((r: any) => r.id)).not.toContain(runId);
  });

  it("lists newest first through cursor pages and rejects bad paging", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await startRun({ kind: "finetune", taskId: stuckTaskId })).runId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await api("GET", `/v1/runs?taskId=${stuckTaskId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r: any) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    for (const [query, path] of [["limit=0", "limit"], ["status=paused", "status"], ["cursor=%%%", "cursor"]]) {
      const res = await api("GET", `/v1/runs?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.issues[0].path).toBe(path);
    }
  });

  it("lists candidates from D1, filters them by status, and reads one with its evaluations", async () => {
    const { runId } = await startRun({ kind: "finetune", taskId, config: { generations: 2, childrenPerGeneration: 2 } });
    const done = await waitForRun(runId);
    const all = (await api("GET", `/v1/runs/${runId}/candidates`)).body.items;
    expect(all).toHaveLength(done.counts.candidates);
    expect(all[0]).toMatchObject({ id: `${runId}:c0`, status: "seed", parentId: null, generation: 0 });
    const admitted = (await api("GET", `/v1/runs/${runId}/candidates?status=admitted`)).body.items;
    expect(admitted.map((c: any) => c.id)).toEqual(done.archive.filter((m: any) => m.status === "admitted").map((m: any) => m.id));
    expect((await api("GET", `/v1/runs/${runId}/candidates?limit=1&offset=1`)).body.items.map((c: any) => c.id)).toEqual([all[1].id]);
    expect((await api("GET", `/v1/runs/${runId}/candidates?status=best`)).status).toBe(400);

    const seed = await api("GET", `/v1/runs/${runId}/candidates/${runId}:c0`);
    expect(seed.status).toBe(200);
    expect(seed.body.evaluations).toHaveLength(12 + 9 + 9);
    expect(seed.body.scores[`${taskId}/train`]).toEqual({ score: done.archive[0].scores[taskId].train.mean, n: 12 });
    expect((await api("GET", `/v1/runs/${runId}/candidates/${runId}:c99`)).status).toBe(404);
  });

  it("cancels a running run once; a second cancel changes nothing", async () => {
    const { runId } = await startRun({ kind: "finetune", taskId: stuckTaskId });
    const cancelled = await api("POST", `/v1/runs/${runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ runId, status: "cancelled", stopReason: "cancelled through the API", counts: { jobsQueued: 0 } });
    const again = await api("POST", `/v1/runs/${runId}/cancel`);
    expect(again.body).toEqual(cancelled.body);
    const row = await env.DB.prepare("SELECT status, reason, finished_at FROM runs WHERE id = ?").bind(runId).first<any>();
    expect(row).toMatchObject({ status: "cancelled", reason: "cancelled through the API", finished_at: expect.any(Number) });
    expect((await api("GET", `/v1/runs/${runId}`)).body.status).toBe("cancelled");
  });
});

describe("unknown and malformed run ids", () => {
  const unknown = `run_${"0".repeat(32)}`;
  it.each(["abc", "run_123", `run_${"A".repeat(32)}`, unknown, `${unknown}x`])("404s %s on every run route", async (id) => {
    const routes = [["GET", `/v1/runs/${id}`], ["POST", `/v1/runs/${id}/cancel`], ["GET", `/v1/runs/${id}/candidates`], ["GET", `/v1/runs/${id}/candidates/${id}:c0`]];
    for (const [method, path] of routes) {
      const res = await api(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await listDurableObjectIds(env.RUNS)).some((oid) => oid.equals(env.RUNS.idFromName(id)))).toBe(false);
  });
});
