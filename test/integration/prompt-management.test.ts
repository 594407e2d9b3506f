/**
 * Managing what a task serves: manual versions, promote, rollback (an undo stack), pin
 * and unpin, the change log, and how a run's champion (appendChampionStatements, the
 * SQL a finished fine-tuning's outbox applies, possibly more than once) respects the pin.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PROMPT_SCHEMAS } from "../../src/openapi/prompt-schemas";
import { RESPONSE_SCHEMAS } from "../../src/openapi/response-schemas";
import { AddPromptSchema, PinSchema, PromoteSchema, RollbackSchema } from "../../src/routes/prompt-input";
import { appendChampionStatements, type NewChampion } from "../../src/storage/champion-repo";
import { api, createSimTask, startRun, uniqueSimHost, waitForRun } from "./support/api";
import { bearer, createProjectWithKey, testKey } from "./support/auth";

async function createTask(seedPrompt = "Seed prompt."): Promise<string> {
  const res = await api("POST", "/v1/tasks", {
    name: "Managed",
    seedPrompt,
    scorer: { type: "exact" },
    examples: Array.from({ length: 6 }, (_, i) => ({ input: `q${i}`, expected: `a${i}` })),
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

let candidates = 0;
/** What a finished fine-tuning whose champion passed the gate writes; replay it by applying the same champion again. */
function runChampion(taskId: string, overrides: Partial<NewChampion> = {}): NewChampion {
  candidates += 1;
  return { taskId, text: `Run champion ${candidates}.`, source: "run", runId: `run_${candidates}`, candidateId: `cand_${candidates}_${taskId}`, scores: { val: 0.9 }, now: Date.now(), ...overrides };
}

const applyChampion = (champion: NewChampion) => env.DB.batch(appendChampionStatements(env.DB, champion));
const live = async (taskId: string) => (await api("GET", `/v1/tasks/${taskId}/prompt`)).body;
const changes = async (taskId: string, query = "") => (await api("GET", `/v1/tasks/${taskId}/prompt/changes${query}`)).body;
const addVersion = (taskId: string, body: Record<string, unknown>) => api("POST", `/v1/tasks/${taskId}/prompts`, body);
const promote = (taskId: string, version: number, reason?: string) => api("POST", `/v1/tasks/${taskId}/prompt/promote`, { version, ...(reason ? { reason } : {}) });
const rollback = (taskId: string) => api("POST", `/v1/tasks/${taskId}/prompt/rollback`, {});
const pin = (taskId: string, body: Record<string, unknown> = {}) => api("POST", `/v1/tasks/${taskId}/prompt/pin`, body);
const unpin = (taskId: string) => api("DELETE", `/v1/tasks/${taskId}/prompt/pin`);

describe("manual versions and promote", () => {
  it("adds a version without serving it, then promotes it; promoting the live version changes nothing", async () => {
    const taskId = await createTask();
    const added = await addVersion(taskId, { text: "Hand-written prompt.", note: "tighter wording" });
    expect(added.status).toBe(201);
    expect(added.headers.get("location")).toBe(`/v1/tasks/${taskId}/prompts/2`);
    expect(added.body).toMatchObject({ taskId, liveVersion: 1, pinned: false, change: null, prompt: { version: 2, source: "manual", text: "Hand-written prompt.", note: "tighter wording", runId: null } });
    expect((await live(taskId)).version).toBe(1);
    expect((await api("GET", `/v1/tasks/${taskId}/prompts/2`)).body).toEqual(added.body.prompt);

    const promoted = await promote(taskId, 2, "reviewed");
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ taskId, liveVersion: 2, pinned: false, change: { seq: 1, action: "promote", fromVersion: 1, toVersion: 2, reason: "reviewed", runId: null } });
    expect(await live(taskId)).toMatchObject({ version: 2, text: "Hand-written prompt.", pinned: false });

    const again = await promote(taskId, 2);
    expect(again.body).toEqual({ taskId, liveVersion: 2, pinned: false, change: null });
    expect((await changes(taskId)).items).toHaveLength(1);
  });

  it("serves a manual version at once with live: true, and the ETag of the live prompt follows", async () => {
    const taskId = await createTask();
    const first = await api("GET", `/v1/tasks/${taskId}/prompt`);
    const etag = first.headers.get("etag")!;
    expect(etag).toBe(`"${taskId}-v1"`);
    const added = await addVersion(taskId, { text: "Serve me.", live: true });
    expect(added.body).toMatchObject({ liveVersion: 2, change: { action: "manual", fromVersion: 1, toVersion: 2 }, prompt: { version: 2, source: "manual", note: null } });
    const after = await api("GET", `/v1/tasks/${taskId}/prompt`, undefined, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).toBe(`"${taskId}-v2"`);
    expect(after.body.text).toBe("Serve me.");
  });

  it("refuses bad bodies with 400 naming the field, and unknown versions with 404", async () => {
    const taskId = await createTask();
    for (const [body, field] of [
      [{ version: "2" }, "version"],
      [{ version: 0 }, "version"],
      [{ version: 1.5 }, "version"],
      [{}, "version"],
      [{ version: 1, extra: true }, "(body)"],
      [{ version: 1, reason: "  " }, "reason"],
    ] as const) {
      const res = await api("POST", `/v1/tasks/${taskId}/prompt/promote`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: any) => i.path)).toContain(field);
    }
    for (const body of [{ text: "" }, { text: "   " }, { text: "x", live: "yes" }, { text: "x".repeat(20_001) }, { prompt: "x" }]) {
      expect((await addVersion(taskId, body)).status, JSON.stringify(body)).toBe(400);
    }
    const missing = await promote(taskId, 9);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("no prompt version 9");
    expect((await pin(taskId, { version: 9 })).status).toBe(404);
    expect((await api("GET", `/v1/tasks/${taskId}/prompts/9`)).status).toBe(404);
    expect((await api("GET", `/v1/tasks/${taskId}/prompts/abc`)).status).toBe(404);
    // Nothing of that was applied.
    expect((await changes(taskId)).items).toEqual([]);
    expect((await api("GET", `/v1/tasks/${taskId}/prompts`)).body.items).toHaveLength(1);
  });
});

describe("rollback", () => {
  it("walks back one change at a time, and says so when there is nothing left to undo", async () => {
    const taskId = await createTask();
    await applyChampion(runChampion(taskId)); // v2 live (run)
    await addVersion(taskId, { text: "Manual three." });
    await promote(taskId, 3); // v3 live

    const first = await rollback(taskId);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ liveVersion: 2, change: { action: "rollback", fromVersion: 3, toVersion: 2, undoes: 2 } });
    const second = await rollback(taskId);
    expect(second.body).toMatchObject({ liveVersion: 1, change: { action: "rollback", fromVersion: 2, toVersion: 1, undoes: 1 } });
    expect((await live(taskId)).version).toBe(1);

    const none = await rollback(taskId);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("conflict");
    expect(none.body.error.message).toContain("no earlier live version to roll back to");
    expect((await live(taskId)).version).toBe(1);

    // A new change after rollbacks is what the next rollback undoes.
    await promote(taskId, 3);
    expect((await rollback(taskId)).body.liveVersion).toBe(1);
  });

  it("is a 409 on a task whose live version never changed, and accepts a request without a body", async () => {
    const taskId = await createTask();
    const res = await exports.default.fetch(`http://x/v1/tasks/${taskId}/prompt/rollback`, { method: "POST", headers: bearer(await testKey()) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.message).toContain(`Task '${taskId}' has no earlier live version`);
    // A JSON content type with an empty body is still a malformed body.
    expect((await api("POST", `/v1/tasks/${taskId}/prompt/rollback`, "")).status).toBe(400);
  });
});

describe("pin", () => {
  it("keeps a run's champion from going live (recorded as a version, no change), also when the run's writes are replayed after an unpin", async () => {
    const taskId = await createTask();
    const etag = (await api("GET", `/v1/tasks/${taskId}/prompt`)).headers.get("etag");
    const pinned = await pin(taskId, { reason: "freeze for the launch" });
    expect(pinned.body).toMatchObject({ liveVersion: 1, pinned: true, change: { action: "pin", fromVersion: 1, toVersion: 1, pinned: true, reason: "freeze for the launch" } });
    // The body says pinned, so the ETag of the same version changes too.
    const polled = await api("GET", `/v1/tasks/${taskId}/prompt`, undefined, { "if-none-match": etag! });
    expect(polled.status).toBe(200);
    expect(polled.headers.get("etag")).toBe(`"${taskId}-v1-pinned"`);
    expect(polled.body).toMatchObject({ version: 1, pinned: true });

    const held = runChampion(taskId);
    await applyChampion(held);
    const history = (await api("GET", `/v1/tasks/${taskId}/prompts`)).body;
    expect(history).toMatchObject({ liveVersion: 1, pinned: true });
    expect(history.items.map((v: any) => [v.version, v.source])).toEqual([
      [2, "run"],
      [1, "seed"],
    ]);
    expect((await changes(taskId)).items.map((c: any) => c.action)).toEqual(["pin"]);

    // Pinning again at the live version is a no-op.
    expect((await pin(taskId)).body.change).toBeNull();
    const unpinned = await unpin(taskId);
    expect(unpinned.body).toMatchObject({ liveVersion: 1, pinned: false, change: { action: "unpin", fromVersion: 1, toVersion: 1 } });
    expect((await unpin(taskId)).body.change).toBeNull();

    // The outbox replays the held champion's writes: it must not go live now.
    await applyChampion(held);
    expect((await live(taskId)).version).toBe(1);
    // The next run's champion does.
    await applyChampion(runChampion(taskId));
    expect(await live(taskId)).toMatchObject({ version: 3, source: "run", pinned: false });
    expect((await changes(taskId)).items[0]).toMatchObject({ action: "run", fromVersion: 1, toVersion: 3, runId: expect.stringMatching(/^run_/) });
  });

  it("pins another version by making it live; promote and rollback still work while pinned", async () => {
    const taskId = await createTask();
    await addVersion(taskId, { text: "Two." });
    await addVersion(taskId, { text: "Three." });
    const res = await pin(taskId, { version: 2 });
    expect(res.body).toMatchObject({ liveVersion: 2, pinned: true, change: { action: "pin", fromVersion: 1, toVersion: 2 } });
    expect((await promote(taskId, 3)).body).toMatchObject({ liveVersion: 3, pinned: true });
    expect((await rollback(taskId)).body).toMatchObject({ liveVersion: 2, pinned: true });
    expect((await rollback(taskId)).body).toMatchObject({ liveVersion: 1, pinned: true });
    await applyChampion(runChampion(taskId));
    expect(await live(taskId)).toMatchObject({ version: 1, pinned: true });
  });

  it("refuses to serve a new manual version while pinned, and writes nothing", async () => {
    const taskId = await createTask();
    await pin(taskId);
    const res = await addVersion(taskId, { text: "Sneaky.", live: true });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain("is pinned at v1");
    const history = (await api("GET", `/v1/tasks/${taskId}/prompts`)).body;
    expect(history.items).toHaveLength(1);
    expect((await addVersion(taskId, { text: "Fine." })).body).toMatchObject({ liveVersion: 1, pinned: true, prompt: { version: 2 } });
  });
});

describe("a run's champion and later changes", () => {
  it("a replay of a champion's writes after a rollback, a promote or a later champion moves nothing", async () => {
    const taskId = await createTask();
    const champion = runChampion(taskId);
    await applyChampion(champion);
    expect((await live(taskId)).version).toBe(2);
    await rollback(taskId);
    await applyChampion(champion);
    expect((await live(taskId)).version).toBe(1);

    await promote(taskId, 2);
    const later = runChampion(taskId);
    await applyChampion(later);
    await applyChampion(champion);
    expect((await live(taskId)).version).toBe(3);
    // Each change was written once.
    expect((await changes(taskId)).items.map((c: any) => [c.seq, c.action, c.fromVersion, c.toVersion])).toEqual([
      [4, "run", 2, 3],
      [3, "promote", 1, 2],
      [2, "rollback", 2, 1],
      [1, "run", 1, 2],
    ]);
  });
});

describe("a real fine-tuning on a pinned task", () => {
  it("records the champion that passed the gate as a version without serving it", async () => {
    // The setup of full-run.test.ts whose champion passes the promotion gate (SimLM is deterministic).
    const host = uniqueSimHost("pinned");
    const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: `http://${host}/v1` }, examples: 100 });
    await pin(taskId);
    const run = await startRun({ kind: "finetune", taskId, agentModel: { model: "simlm-agent", baseUrl: `http://${host}/v1` }, config: { generations: 4, childrenPerGeneration: 2, seed: 1 } });
    const done = await waitForRun(run.runId, 90_000);
    expect(done.report.promotion.promote).toBe(true);
    const history = (await api("GET", `/v1/tasks/${taskId}/prompts`)).body;
    expect(history).toMatchObject({ liveVersion: 1, pinned: true });
    expect(history.items[0]).toMatchObject({ version: 2, source: "run", runId: run.runId, candidateId: done.report.championId, text: done.report.championText });
    expect((await changes(taskId)).items.map((c: any) => c.action)).toEqual(["pin"]);
    // Served on request: the user promotes it.
    expect((await promote(taskId, 2)).body).toMatchObject({ liveVersion: 2, pinned: true });
  }, 120_000);
});

describe("GET /v1/tasks/:id/prompt/changes", () => {
  it("pages the log newest first", async () => {
    const taskId = await createTask();
    await addVersion(taskId, { text: "Two." });
    for (const v of [2, 1, 2, 1, 2]) await promote(taskId, v);
    const first = await changes(taskId, "?limit=2");
    expect(first.taskId).toBe(taskId);
    expect(first.items.map((c: any) => c.seq)).toEqual([5, 4]);
    expect(first.items[0]).toEqual({ seq: 5, action: "promote", fromVersion: 1, toVersion: 2, pinned: false, runId: null, reason: null, undoes: null, createdAt: expect.any(String) });
    const second = await changes(taskId, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((c: any) => c.seq)).toEqual([3, 2]);
    const last = await changes(taskId, `?limit=2&cursor=${second.nextCursor}`);
    expect(last.items.map((c: any) => c.seq)).toEqual([1]);
    expect(last.nextCursor).toBeNull();
    expect((await api("GET", `/v1/tasks/${taskId}/prompt/changes?cursor=nope`)).status).toBe(400);
  });

  it("keeps a consistent chain under concurrent changes", async () => {
    const taskId = await createTask();
    for (const text of ["Two.", "Three.", "Four."]) await addVersion(taskId, { text });
    const results = await Promise.all([2, 3, 4, 2, 3, 4].map((v) => promote(taskId, v)));
    // Each answers either its change or a 409 asking to retry, never a 500.
    for (const r of results) expect([200, 409]).toContain(r.status);
    const items = [...(await changes(taskId)).items].reverse();
    for (const [i, c] of items.entries()) {
      expect(c.seq).toBe(i + 1);
      expect(c.fromVersion).toBe(i === 0 ? 1 : items[i - 1].toVersion);
    }
    expect((await live(taskId)).version).toBe(items.at(-1).toVersion);
  });
});

describe("projects", () => {
  it("answers another project's key 404 on every prompt route of the task, as for a missing task", async () => {
    const taskId = await createTask();
    const other = await createProjectWithKey("prompt management other");
    const headers = { ...bearer(other.key), "content-type": "application/json" };
    const routes: Array<[string, string, unknown?]> = [
      ["GET", `/v1/tasks/${taskId}/prompt`],
      ["GET", `/v1/tasks/${taskId}/prompts`],
      ["GET", `/v1/tasks/${taskId}/prompts/1`],
      ["GET", `/v1/tasks/${taskId}/prompt/changes`],
      ["POST", `/v1/tasks/${taskId}/prompts`, { text: "Mine now.", live: true }],
      ["POST", `/v1/tasks/${taskId}/prompt/promote`, { version: 1 }],
      ["POST", `/v1/tasks/${taskId}/prompt/rollback`, {}],
      ["POST", `/v1/tasks/${taskId}/prompt/pin`, {}],
      ["DELETE", `/v1/tasks/${taskId}/prompt/pin`],
    ];
    for (const [method, path, body] of routes) {
      const res = await api(method, path, body, headers);
      expect(res.status, `${method} ${path}`).toBe(404);
      const missing = await api(method, path.replace(taskId, "task_missing"), body, headers);
      expect(res.body.error.message.replace(taskId, "task_missing"), `${method} ${path}`).toBe(missing.body.error.message);
    }
    // And nothing changed for the owner.
    expect(await live(taskId)).toMatchObject({ version: 1, pinned: false });
    expect((await api("GET", `/v1/tasks/${taskId}/prompts`)).body.items).toHaveLength(1);
  });
});

describe("the OpenAPI document", () => {
  const schemas: Record<string, z.ZodType> = { ...RESPONSE_SCHEMAS, ...PROMPT_SCHEMAS };

  /** The document lists this status for the route, and its schema fits the body with nothing left over. */
  async function expectDocumented(method: string, path: string, res: { status: number; body: unknown }) {
    const doc: any = await (await exports.default.fetch("http://x/openapi.json")).json();
    const response = doc.paths[path]?.[method.toLowerCase()]?.responses?.[res.status];
    expect(response, `${method} ${path} documents ${res.status}`).toBeDefined();
    const resolved = response.$ref ? doc.components.responses[response.$ref.split("/").pop()] : response;
    const name: string = resolved.content["application/json"].schema.$ref.split("/").pop();
    expect(schemas[name]!.parse(res.body), `${method} ${path} ${res.status}`).toEqual(res.body);
    return doc;
  }

  it("describes what the routes answer, and takes their bodies from the schemas that validate them", async () => {
    const taskId = await createTask();
    const p = (rest: string) => `/v1/tasks/${taskId}${rest}`;
    await expectDocumented("POST", "/v1/tasks/{id}/prompts", await addVersion(taskId, { text: "Two.", note: "n" }));
    await expectDocumented("POST", "/v1/tasks/{id}/prompts", await addVersion(taskId, { text: "Three.", live: true }));
    await expectDocumented("GET", "/v1/tasks/{id}/prompts/{version}", await api("GET", p("/prompts/2")));
    await expectDocumented("GET", "/v1/tasks/{id}/prompts/{version}", await api("GET", p("/prompts/7")));
    await expectDocumented("POST", "/v1/tasks/{id}/prompt/promote", await promote(taskId, 2, "why"));
    await expectDocumented("POST", "/v1/tasks/{id}/prompt/promote", await promote(taskId, 2));
    await expectDocumented("POST", "/v1/tasks/{id}/prompt/promote", await api("POST", p("/prompt/promote"), { version: "2" }));
    await expectDocumented("POST", "/v1/tasks/{id}/prompt/rollback", await rollback(taskId));
    await expectDocumented("POST", "/v1/tasks/{id}/prompt/pin", await pin(taskId, { version: 3 }));
    await expectDocumented("POST", "/v1/tasks/{id}/prompts", await addVersion(taskId, { text: "No.", live: true }));
    await expectDocumented("DELETE", "/v1/tasks/{id}/prompt/pin", await unpin(taskId));
    await expectDocumented("GET", "/v1/tasks/{id}/prompt", await api("GET", p("/prompt")));
    await expectDocumented("GET", "/v1/tasks/{id}/prompts", await api("GET", p("/prompts")));
    await expectDocumented("GET", "/v1/tasks/{id}/prompt/changes", await changes(taskId).then((body) => ({ status: 200, body })));
    while ((await rollback(taskId)).status === 200);
    const doc = await expectDocumented("POST", "/v1/tasks/{id}/prompt/rollback", await rollback(taskId));

    const bodyOf = (path: string) => doc.paths[path].post.requestBody;
    const inputSchema = (schema: z.ZodType) => ({ ...z.toJSONSchema(schema, { io: "input" }), $schema: undefined });
    for (const [path, schema, required] of [
      ["/v1/tasks/{id}/prompts", AddPromptSchema, true],
      ["/v1/tasks/{id}/prompt/promote", PromoteSchema, true],
      ["/v1/tasks/{id}/prompt/rollback", RollbackSchema, false],
      ["/v1/tasks/{id}/prompt/pin", PinSchema, false],
    ] as const) {
      expect(bodyOf(path).content["application/json"].schema, path).toEqual(inputSchema(schema));
      expect(bodyOf(path).required, path).toBe(required);
    }
  });
});
