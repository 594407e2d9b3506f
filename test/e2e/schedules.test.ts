/**
 * Scheduled re-optimization under `wrangler dev`: cron never fires by itself locally, so
 * the test fires the trigger the way a developer does, through wrangler's
 * `/cdn-cgi/handler/scheduled` route (no `--test-scheduled` needed), with `time` set to
 * the schedule's own next time so nothing waits for the clock.
 */
import { describe, expect, inject, it } from "vitest";
import { SepoClient } from "../../src/client/api-client";
import { createSimTasks } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";

const apiUrl = inject("apiUrl");
const client = new SepoClient({ baseUrl: apiUrl, apiKey: inject("apiKey") });

interface Schedule {
  nextRunAt: string | null;
  lastRunId: string | null;
  lastOutcome: string | null;
  lastReason: string | null;
}

/** Fires the Worker's cron trigger as if it were `time` (epoch ms). */
async function fireCron(time: number): Promise<void> {
  const res = await fetch(`${apiUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}&time=${time}`);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.text()).toBe("ok");
}

describe("a task's schedule over HTTP", () => {
  it("starts a fine-tuning when the cron trigger fires at its time, once, and the run ends with the gate's verdict", async () => {
    const [task] = await createSimTasks(client, { examplesPerTask: 40, dataSeed: 11, only: ["sim-logic"] });
    const taskId = task!.taskId;
    const config = { generations: 1, childrenPerGeneration: 2, seed: 5 };
    const schedule = await client.request<Schedule>("PUT", `/v1/tasks/${taskId}/schedule`, { cron: "*/15 * * * *", agent: null, config });
    expect(schedule.lastRunId).toBeNull();
    const at = Date.parse(schedule.nextRunAt!);

    // A minute before its time the trigger starts nothing.
    await fireCron(at - 60_000);
    expect((await client.request<Schedule>("GET", `/v1/tasks/${taskId}/schedule`)).lastOutcome).toBeNull();

    await fireCron(at);
    const started = await client.request<Schedule>("GET", `/v1/tasks/${taskId}/schedule`);
    expect(started).toMatchObject({ lastOutcome: "started", lastReason: null, nextRunAt: new Date(at + 15 * 60_000).toISOString() });
    // The same minute again (a repeated trigger) starts nothing more.
    await fireCron(at);
    const runs = await client.request<{ items: Array<{ id: string; kind: string; agentSnapshotId: string | null }> }>("GET", `/v1/runs?taskId=${taskId}`);
    expect(runs.items).toEqual([expect.objectContaining({ id: started.lastRunId, kind: "finetune", agentSnapshotId: null })]);

    const done = await watchRun(client, started.lastRunId!, { intervalMs: 250, timeoutMs: 180_000 });
    expect(done.status).toBe("completed");
    const promotion = done.report!.promotion!;
    expect(promotion.reason.length).toBeGreaterThan(0);
    const live = await client.getPrompt<{ version: number; text: string }>(taskId);
    if (promotion.promote) expect(live).toMatchObject({ version: 2, text: done.report!.championText });
    else expect(live.version).toBe(1);
    expect(done.generations).toBe(config.generations);
  });
});
