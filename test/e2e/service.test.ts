/**
 * The service as a user runs it: `wrangler dev` (local D1, Durable Objects, Queues) with
 * SimLM over HTTP, driven only through the public API.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ApiError, SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { driveRun } from "../../src/offline/drive-run";
import { MemoryJobData } from "../../src/offline/memory-job-data";
import { createSimChat } from "../../src/offline/sim-chat";
import { simEngineTask, simRunInput } from "../../src/offline/sim-run-input";
import { summarizeRun } from "../../src/engine";
import { createSimTasks, type CreatedSimTask } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";

const client = new SepoClient({ baseUrl: inject("apiUrl"), apiKey: inject("apiKey") });
const EXAMPLES = 40;
const CONFIG = { generations: 2, childrenPerGeneration: 2, seed: 7 };
let tasks: CreatedSimTask[] = [];

beforeAll(async () => {
  tasks = await createSimTasks(client, { examplesPerTask: EXAMPLES, dataSeed: 5, only: ["sim-arithmetic", "sim-logic", "sim-classify"] });
});

const taskId = (simId: string) => tasks.find((t) => t.simId === simId)!.taskId;

describe("a SePO optimization over HTTP", () => {
  let pre: RunSummary;
  let fine: RunSummary;

  it("pre-trains a prompt agent and fine-tunes a held-out task with it", async () => {
    const started = await client.startRun<RunSummary>({ kind: "pretrain", taskIds: [taskId("sim-arithmetic"), taskId("sim-logic")], config: CONFIG });
    expect(started.status).toBe("running");
    pre = await watchRun(client, started.runId, { intervalMs: 250 });
    expect(pre.status).toBe("completed");
    const snapshots = await client.request<{ items: Array<{ id: string; runId: string; text: string }> }>("GET", "/v1/agents");
    const snapshot = snapshots.items.find((s) => s.runId === pre.runId);
    expect(snapshot?.text).toBe(pre.report?.championText);

    const tuned = await client.startRun<RunSummary>({ kind: "finetune", taskId: taskId("sim-classify"), agentSnapshotId: snapshot!.id, config: CONFIG });
    fine = await watchRun(client, tuned.runId, { intervalMs: 250 });
    expect(fine.status).toBe("completed");
    const result = fine.report!.tasks[0]!;
    expect(result.champion.val!).toBeGreaterThanOrEqual(result.seed.val!);

    const live = await client.getPrompt<{ text: string; version: number }>(taskId("sim-classify"));
    if (fine.report!.promotion?.promote) expect(live).toMatchObject({ text: fine.report!.championText, version: 2 });
    else expect(live.version).toBe(1);
  });

  it("runs exactly the method the in-process engine runs, for the same data and seed", async () => {
    const data = new MemoryJobData();
    const chat = createSimChat(1); // the dev stack's SimLM seed
    const offlineTask = simEngineTask("sim-classify", data, { examples: EXAMPLES, dataSeed: 5 });
    const offline = summarizeRun(await driveRun(simRunInput("finetune", [offlineTask], CONFIG, pre.report!.championText!), chat, data));
    const [served, local] = [fine.report!.tasks[0]!, offline.report!.tasks[0]!];
    expect(served.seed).toEqual(local.seed);
    expect(served.champion).toEqual(local.champion);
    expect(fine.report!.championText).toBe(offline.report!.championText);
    expect(fine.budget.spent.calls).toBe(offline.budget.spent.calls);
  });

  it("keeps D1's history in agreement with the run: every call and evaluation recorded once", async () => {
    const candidates = await client.request<{ items: Array<{ id: string; status: string }> }>("GET", `/v1/runs/${fine.runId}/candidates?limit=500`);
    expect(candidates.items.length).toBe(fine.counts.candidates);
    expect(candidates.items.filter((c) => c.status === "admitted").length).toBe(fine.counts.admitted);
    const seed = candidates.items[0]!;
    const detail = await client.request<{ evaluations: unknown[] }>("GET", `/v1/runs/${fine.runId}/candidates/${seed.id}`);
    const seedScored = Object.values(fine.archive.find((m) => m.id === seed.id)!.scores).flatMap((splits) => Object.values(splits)).reduce((n, s) => n + (s?.scored ?? 0), 0);
    expect(detail.evaluations.length).toBe(seedScored);
  });

  it("never spends past a budget cap", async () => {
    const capped = await client.startRun<RunSummary>({ kind: "finetune", taskId: taskId("sim-logic"), config: { ...CONFIG, generations: 10, budget: { maxCalls: 60 } } });
    const done = await watchRun(client, capped.runId, { intervalMs: 250 });
    expect(done.status).toBe("completed");
    expect(done.budget.spent.calls).toBeLessThanOrEqual(60);
    expect(done.stopReason).toMatch(/budget/);
  });

  it("needs an API key: refuses none or a revoked one, and keeps each project's data apart", async () => {
    const apiUrl = inject("apiUrl");
    const res = await fetch(`${apiUrl}/v1/tasks`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const admin = new SepoClient({ baseUrl: apiUrl, apiKey: inject("adminKey") });
    const other = await admin.createProject("e2e other team");
    const key = await admin.createApiKey(other.id, "e2e");
    const otherClient = new SepoClient({ baseUrl: apiUrl, apiKey: key.key });
    expect((await otherClient.listTasks()).items).toEqual([]);
    const foreign = await otherClient.getTask(taskId("sim-logic")).catch((e: unknown) => e);
    expect((foreign as ApiError).status).toBe(404);
    await admin.revokeApiKey(other.id, key.id);
    expect(((await otherClient.listTasks().catch((e: unknown) => e)) as ApiError).status).toBe(401);
  });

  it("answers bad requests with a 4xx that names the problem", async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ kind: "finetune" }, 400, /taskId/],
      [{ kind: "finetune", taskId: "task_missing" }, 400, /no task/],
      [{ kind: "pretrain", taskIds: [taskId("sim-logic")], config: { generations: -1 } }, 400, /generations/],
      [{ kind: "transmogrify" }, 400, /kind/],
    ];
    for (const [body, status, message] of cases) {
      const error = await client.startRun(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect((error as ApiError).message).toMatch(message);
    }
    const unknownRun = await client.getRun("run_00000000000000000000000000000000").catch((e: unknown) => e);
    expect((unknownRun as ApiError).status).toBe(404);
  });
});
