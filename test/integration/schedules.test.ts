/**
 * Scheduled re-optimization: the schedule API, and the Worker's cron handler (called as
 * workerd calls it, through `exports.default.scheduled`) starting fine-tunings of the
 * tasks that are due, at most one at a time per task, with the promotion gate deciding
 * at the end whether the new champion goes live. Tick times are the schedules' own
 * `nextRunAt`, so no test waits for a clock.
 */
import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import worker from "../../src/index";
import { SCHEDULE_SCHEMAS } from "../../src/openapi/schedule-schemas";
import { PutScheduleSchema } from "../../src/routes/task-schedule";
import { appendChampionStatements } from "../../src/storage/champion-repo";
import { DEFAULT_PROJECT_ID } from "../../src/storage/project-repo";
import { api, createSimTask, uniqueSimHost, waitForRun } from "./support/api";
import { bearer, createProjectWithKey } from "./support/auth";
import { storedState } from "./support/run-object";

const schedulePath = (taskId: string) => `/v1/tasks/${taskId}/schedule`;
const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));
const HOUR = 3_600_000;

/** One cron trigger firing at `scheduledTime`: the Worker's own scheduled handler (src/index.ts), which awaits its work. */
async function tick(scheduledTime: number): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(scheduledTime), cron: "* * * * *" }), env);
}

async function putSchedule(taskId: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<any> {
  const res = await api("PUT", schedulePath(taskId), body, headers);
  if (res.status !== 201 && res.status !== 200) throw new Error(`PUT schedule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function getSchedule(taskId: string): Promise<any> {
  const res = await api("GET", schedulePath(taskId));
  expect(res.status).toBe(200);
  return res.body;
}

async function runsOfTask(taskId: string): Promise<Array<{ id: string; status: string; agent_snapshot_id: string | null; config: string; project_id: string }>> {
  const { results } = await env.DB.prepare("SELECT id, status, agent_snapshot_id, config, project_id FROM runs WHERE task_ids LIKE ? ORDER BY created_at").bind(`%"${taskId}"%`).all<any>();
  return results;
}

/** A SimLM task (30 examples unless said) on a model host of its own; `stall` makes every model call a 429 so its runs stay running. */
async function simTask(label: string, options: { examples?: number; stall?: boolean } = {}): Promise<{ taskId: string; agentModel: { model: string; baseUrl: string } }> {
  const host = options.stall ? `status-429-after-60-${label.replace(/[^a-z0-9]/g, "")}${crypto.randomUUID().slice(0, 6)}.fault` : uniqueSimHost(label);
  const baseUrl = `http://${host}/v1`;
  const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl }, ...(options.examples ? { examples: options.examples } : {}) });
  return { taskId, agentModel: { model: "simlm-agent", baseUrl } };
}

async function insertSnapshot(id: string, text: string, createdAt: number, projectId = DEFAULT_PROJECT_ID): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO agent_snapshots (id, run_id, candidate_id, text, fitness, lineage, created_at, kind, project_id) VALUES (?, ?, ?, ?, 0.5, '[]', ?, 'prompt-agent', ?)",
  )
    .bind(id, `run_${id}`, `c_${id}`, text, createdAt, projectId)
    .run();
}

// Each test's schedules and runs end with it, so a later tick sees only its own test's schedules.
afterEach(async () => {
  await env.DB.prepare("DELETE FROM task_schedules").run();
  const { results } = await env.DB.prepare("SELECT id FROM runs WHERE status = 'running'").all<{ id: string }>();
  for (const { id } of results) await env.RUNS.get(env.RUNS.idFromName(id)).cancel("test cleanup");
});

describe("the schedule API", () => {
  it("creates, reads, replaces, lists and deletes a task's schedule", async () => {
    const { taskId } = await simTask("crud", { stall: true });
    const before = Date.now();
    const created = await api("PUT", schedulePath(taskId), { cron: "*/15 * * * *" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(schedulePath(taskId));
    expect(SCHEDULE_SCHEMAS.TaskSchedule.parse(created.body)).toEqual(created.body);
    expect(created.body).toMatchObject({ taskId, cron: "*/15 * * * *", timezone: "UTC", config: {}, agent: "latest", agentModel: null, enabled: true, lastRunId: null, lastOutcome: null });
    // The next quarter hour after now.
    const next = ms(created.body.nextRunAt);
    expect(next % (15 * 60_000)).toBe(0);
    expect(next).toBeGreaterThan(before);
    expect(next - before).toBeLessThanOrEqual(15 * 60_000);
    expect(await getSchedule(taskId)).toEqual(created.body);

    const replaced = await api("PUT", schedulePath(taskId), { cron: "30 2 * * *", timezone: "Europe/Berlin", config: { generations: 1 }, agent: null, enabled: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ cron: "30 2 * * *", timezone: "Europe/Berlin", config: { generations: 1 }, agent: null, createdAt: created.body.createdAt });
    // 02:30 in Berlin is 01:30 or 00:30 UTC, depending on daylight saving.
    expect(new Date(ms(replaced.body.nextRunAt)).getUTCMinutes()).toBe(30);
    expect([0, 1]).toContain(new Date(ms(replaced.body.nextRunAt)).getUTCHours());

    const list = await api("GET", "/v1/schedules?limit=100");
    expect(list.status).toBe(200);
    expect(SCHEDULE_SCHEMAS.TaskSchedulePage.parse(list.body)).toEqual(list.body);
    expect(list.body.items.map((s: any) => s.taskId)).toContain(taskId);

    const disabled = await putSchedule(taskId, { cron: "30 2 * * *", enabled: false });
    expect(disabled).toMatchObject({ enabled: false, nextRunAt: null });

    expect((await api("DELETE", schedulePath(taskId))).status).toBe(204);
    const gone = await api("GET", schedulePath(taskId));
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toMatch(/has no schedule/);
    expect((await api("DELETE", schedulePath(taskId))).status).toBe(404);
  });

  it("pages through the project's schedules", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { taskId } = await simTask(`page${i}`, { stall: true });
      await putSchedule(taskId, { cron: "@daily" });
      ids.push(taskId);
    }
    const first = await api("GET", "/v1/schedules?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await api("GET", `/v1/schedules?limit=2&cursor=${first.body.nextCursor}`);
    const seen = [...first.body.items, ...second.body.items].map((s: any) => s.taskId);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect((await api("GET", "/v1/schedules?cursor=nonsense")).status).toBe(400);
  });

  it("refuses a schedule it could not run, naming the field", async () => {
    const { taskId } = await simTask("invalid", { stall: true });
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{}, "cron", /cron expression/],
      [{ cron: "every day" }, "cron", /five fields/],
      [{ cron: "61 * * * *" }, "cron", /minute: 61/],
      [{ cron: "* * * * *" }, "cron", /at most every 15 minutes/],
      [{ cron: "0 0 30 2 *" }, "cron", /never fires/],
      [{ cron: "@daily", timezone: "Mars/Olympus" }, "timezone", /IANA/],
      [{ cron: "@daily", config: { generations: 1000 } }, "config.generations", /./],
      [{ cron: "@daily", config: { bogus: 1 } }, "config", /bogus/],
      [{ cron: "@daily", agent: "agt_missing" }, "agent", /no agent snapshot with id 'agt_missing'/],
      [{ cron: "@daily", agentModel: { model: "" } }, "agentModel.model", /./],
      [{ cron: "@daily", enabled: "yes" }, "enabled", /./],
      [{ cron: "@daily", extra: true }, "(body)", /extra/],
    ];
    for (const [body, path, message] of cases) {
      const res = await api("PUT", schedulePath(taskId), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues[0].path, JSON.stringify(body)).toBe(path);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    // Nothing was stored by any of them.
    expect((await api("GET", schedulePath(taskId))).status).toBe(404);
  });

  it("checks the run it would start, as POST /v1/runs would, and names the schedule's field", async () => {
    const { taskId } = await simTask("kind", { stall: true });
    await insertSnapshot("agt_sched_kind", "A prompt agent.", Date.now() - 3 * HOUR);
    const res = await api("PUT", schedulePath(taskId), { cron: "@daily", agent: "agt_sched_kind", config: { method: "metaspo" } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]).toMatchObject({ path: "agent", message: expect.stringMatching(/is a prompt-agent; method "metaspo" needs a shared-system-prompt/) });
    expect(res.body.error.message).toMatch(/^Invalid request body: agent: /);
    // The same snapshot with the method that uses it is fine.
    expect((await api("PUT", schedulePath(taskId), { cron: "@daily", agent: "agt_sched_kind" })).status).toBe(201);
  });

  it("answers 404 for an unknown task and for another project's, the same way", async () => {
    const { taskId } = await simTask("mine", { stall: true });
    await putSchedule(taskId, { cron: "@daily" });
    const other = await createProjectWithKey("schedules other");
    const theirs = bearer(other.key);
    for (const id of [taskId, "task_nope"]) {
      for (const [method, body] of [["GET"], ["PUT", { cron: "@daily" }], ["DELETE"]] as const) {
        const res = await api(method, schedulePath(id), body, { ...theirs, "content-type": "application/json" });
        expect(res.status, `${method} ${id}`).toBe(404);
        expect(res.body.error.message).toBe(`No task with id '${id}'. List tasks with GET /v1/tasks.`);
      }
    }
    expect((await api("GET", "/v1/schedules", undefined, theirs)).body.items).toEqual([]);
    // Still there for its own project.
    expect((await getSchedule(taskId)).taskId).toBe(taskId);
  });

  it("is described in the OpenAPI document by the schema that validates it", async () => {
    const doc: any = await (await exports.default.fetch("http://x/openapi.json")).json();
    const item = doc.paths["/v1/tasks/{id}/schedule"];
    expect(Object.keys(item).sort()).toEqual(["delete", "get", "put"]);
    const { $schema: _, ...input } = z.toJSONSchema(PutScheduleSchema, { io: "input" }) as Record<string, unknown>;
    expect(item.put.requestBody.content["application/json"].schema).toEqual(input);
    expect(Object.keys(item.put.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "404", "413", "415", "401", "403"]));
    expect(Object.keys(item.delete.responses)).toEqual(expect.arrayContaining(["204", "404"]));
    expect(doc.paths["/v1/schedules"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/TaskSchedulePage" });
    expect(doc.components.schemas.TaskSchedule).toBeDefined();
  });
});

describe("the cron tick", () => {
  it("starts a fine-tuning of a due task from its live prompt with the newest snapshot, and nothing for a task not due", async () => {
    const due = await simTask("due", { stall: true });
    const later = await simTask("later", { stall: true });
    // A live prompt that is no longer the seed: the run must start from it.
    const live = "You are careful. Think step by step, then answer.";
    await env.DB.batch(appendChampionStatements(env.DB, { taskId: due.taskId, text: live, source: "manual", runId: null, candidateId: `manual-${due.taskId}`, scores: {}, now: Date.now() }));
    await insertSnapshot("agt_sched_old", "Older agent prompt.", Date.now() - 2 * HOUR);
    await insertSnapshot("agt_sched_new", "Newest agent prompt.", Date.now() - HOUR);

    const config = { generations: 1, childrenPerGeneration: 2, seed: 3 };
    const schedule = await putSchedule(due.taskId, { cron: "*/15 * * * *", config, agentModel: due.agentModel });
    const notDue = await putSchedule(later.taskId, { cron: "@yearly" });
    const at = ms(schedule.nextRunAt);
    expect(ms(notDue.nextRunAt)).toBeGreaterThan(at);

    await tick(at);

    const after = await getSchedule(due.taskId);
    expect(after).toMatchObject({ lastOutcome: "started", lastReason: null, lastRunAt: new Date(at).toISOString(), nextRunAt: new Date(at + 15 * 60_000).toISOString() });
    const runs = await runsOfTask(due.taskId);
    expect(runs.map((r) => r.id)).toEqual([after.lastRunId]);
    expect(runs[0]).toMatchObject({ status: "running", agent_snapshot_id: "agt_sched_new", project_id: DEFAULT_PROJECT_ID });

    const run = (await api("GET", `/v1/runs/${after.lastRunId}`)).body;
    expect(run).toMatchObject({ kind: "finetune", status: "running" });
    const state = await storedState(after.lastRunId);
    expect(state?.agentPrompt).toBe("Newest agent prompt.");
    expect(state?.config).toMatchObject(config);
    expect(state?.candidates[state.seedId]?.text).toBe(live);

    expect(await runsOfTask(later.taskId)).toEqual([]);
    expect(await getSchedule(later.taskId)).toMatchObject({ lastOutcome: null, lastRunId: null, nextRunAt: notDue.nextRunAt });
  });

  it("starts one run per task at a time: same-time ticks do not double start, and a time that comes while it runs is skipped", async () => {
    const { taskId, agentModel } = await simTask("once", { stall: true });
    const first = await putSchedule(taskId, { cron: "*/15 * * * *", agent: null, agentModel });
    const t1 = ms(first.nextRunAt);

    // Two ticks for the same minute at once (a redelivered trigger), then one more.
    await Promise.all([tick(t1), tick(t1)]);
    await tick(t1);
    const started = await getSchedule(taskId);
    const runs = await runsOfTask(taskId);
    expect(runs.map((r) => r.id)).toEqual([started.lastRunId]);
    expect(runs[0]?.agent_snapshot_id).toBeNull();

    // The next time comes while that run is still going (its model answers 429 to everything).
    const t2 = ms(started.nextRunAt);
    await tick(t2);
    const skipped = await getSchedule(taskId);
    expect(skipped).toMatchObject({ lastOutcome: "skipped", lastRunId: started.lastRunId, lastRunAt: started.lastRunAt, lastOutcomeAt: new Date(t2).toISOString() });
    expect(skipped.lastReason).toContain(`run ${started.lastRunId} is still running`);
    expect(await runsOfTask(taskId)).toHaveLength(1);

    // Once it ends, the next time starts a new one; five missed hours start one run, not twenty.
    expect((await api("POST", `/v1/runs/${started.lastRunId}/cancel`)).status).toBe(200);
    const t3 = ms(skipped.nextRunAt) + 5 * HOUR;
    await tick(t3);
    const again = await getSchedule(taskId);
    expect(again).toMatchObject({ lastOutcome: "started", nextRunAt: new Date(t3 + 15 * 60_000).toISOString() });
    expect(again.lastRunId).not.toBe(started.lastRunId);
    expect(await runsOfTask(taskId)).toHaveLength(2);
    await tick(t3);
    expect(await runsOfTask(taskId)).toHaveLength(2);
  });

  it("ignores a disabled schedule", async () => {
    const { taskId } = await simTask("disabled", { stall: true });
    const schedule = await putSchedule(taskId, { cron: "*/15 * * * *" });
    await putSchedule(taskId, { cron: "*/15 * * * *", enabled: false });
    await tick(ms(schedule.nextRunAt) + HOUR);
    expect(await runsOfTask(taskId)).toEqual([]);
    expect((await getSchedule(taskId)).lastOutcome).toBeNull();
  });

  it("records a run that cannot start as the schedule's outcome, and still starts the others", async () => {
    const broken = await simTask("broken", { stall: true });
    const fine = await simTask("fine", { stall: true });
    const schedule = await putSchedule(fine.taskId, { cron: "*/15 * * * *", agent: null, agentModel: fine.agentModel });
    const at = ms(schedule.nextRunAt);
    // A config this version refuses (as one stored by an older version might be), due first.
    await env.DB.prepare(
      `INSERT INTO task_schedules (task_id, project_id, cron, timezone, config, agent, enabled, next_run_at, created_at, updated_at)
       VALUES (?, ?, '*/15 * * * *', 'UTC', '{"generations": 1000}', NULL, 1, ?, ?, ?)`,
    )
      .bind(broken.taskId, DEFAULT_PROJECT_ID, at - 15 * 60_000, Date.now(), Date.now())
      .run();

    await tick(at);

    const failed = await getSchedule(broken.taskId);
    expect(failed).toMatchObject({ lastOutcome: "failed", lastRunId: null, nextRunAt: new Date(at + 15 * 60_000).toISOString() });
    expect(failed.lastReason).toMatch(/config\.generations/);
    expect(await runsOfTask(broken.taskId)).toEqual([]);
    expect(await getSchedule(fine.taskId)).toMatchObject({ lastOutcome: "started" });
    expect(await runsOfTask(fine.taskId)).toHaveLength(1);
  });

  it('runs "latest" with the hand-written agent in a project without snapshots, in that project', async () => {
    const other = await createProjectWithKey("schedules no snapshots");
    const headers = { ...bearer(other.key), "content-type": "application/json" };
    const host = `status-429-after-60-nosnap${crypto.randomUUID().slice(0, 6)}.fault`;
    const created = await api("POST", "/v1/tasks", { name: "t", seedPrompt: "Answer.", scorer: { type: "exact" }, model: { model: "m", baseUrl: `http://${host}/v1` }, examples: Array.from({ length: 10 }, (_, i) => ({ input: `q${i}`, expected: `a${i}` })) }, headers);
    expect(created.status).toBe(201);
    const taskId = created.body.id;
    const schedule = (await api("PUT", schedulePath(taskId), { cron: "@hourly" }, headers)).body;
    expect(schedule.agent).toBe("latest");
    await tick(ms(schedule.nextRunAt));
    const runs = await runsOfTask(taskId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ project_id: other.projectId, agent_snapshot_id: null });
  });
});

describe("the promotion gate on scheduled runs", () => {
  it("keeps the live prompt when the new champion is not shown better on validation", async () => {
    // 100 examples (30 on validation). With this config the hand-written agent finds a
    // prompt that scores higher on validation, but not by enough for the paired bootstrap.
    const { taskId, agentModel } = await simTask("refuse", { examples: 100 });
    const schedule = await putSchedule(taskId, { cron: "0 * * * *", agent: null, agentModel, config: { generations: 2, childrenPerGeneration: 2, seed: 1 } });
    await tick(ms(schedule.nextRunAt));
    const { lastRunId } = await getSchedule(taskId);
    const done = await waitForRun(lastRunId, 120_000);
    expect(done.status).toBe("completed");
    const [result] = done.report.tasks;
    expect(done.report.championId).not.toBe(`${lastRunId}:c0`);
    expect(result.champion.val).toBeGreaterThan(result.seed.val);
    expect(done.report.promotion).toMatchObject({ promote: false, reason: expect.stringMatching(/not shown better on validation.*the live prompt stays/) });
    expect(done.report.promotion.ciLow).toBeLessThanOrEqual(0);
    const live = await api("GET", `/v1/tasks/${taskId}/prompt`);
    expect(live.body).toMatchObject({ version: 1, source: "seed" });
  }, 150_000);

  it("promotes a champion that is better, and the next scheduled run starts from it", async () => {
    const { taskId, agentModel } = await simTask("promote", { examples: 100 });
    const schedule = await putSchedule(taskId, { cron: "0 * * * *", agent: null, agentModel, config: { generations: 4, childrenPerGeneration: 2, seed: 1 } });
    await tick(ms(schedule.nextRunAt));
    const first = await getSchedule(taskId);
    const promoted = await waitForRun(first.lastRunId, 120_000);
    expect(promoted.report.promotion).toMatchObject({ promote: true, reason: expect.stringMatching(/better on validation/) });
    expect(promoted.report.promotion.ciLow).toBeGreaterThan(0);
    const live = (await api("GET", `/v1/tasks/${taskId}/prompt`)).body;
    expect(live).toMatchObject({ version: 2, source: "run", runId: first.lastRunId, text: promoted.report.championText });

    // The next hour re-optimizes from the new live prompt; this time the seed stays the best.
    await tick(ms(first.nextRunAt));
    const second = await getSchedule(taskId);
    expect(second.lastRunId).not.toBe(first.lastRunId);
    const state = await storedState(second.lastRunId);
    expect(state?.candidates[state.seedId]?.text).toBe(promoted.report.championText);
    const again = await waitForRun(second.lastRunId, 120_000);
    expect(again.report.promotion).toMatchObject({ promote: false, reason: expect.any(String) });
    expect((await api("GET", `/v1/tasks/${taskId}/prompt`)).body).toMatchObject({ version: 2, text: promoted.report.championText });
  }, 240_000);
});
