import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appendChampionStatements } from "../../src/storage/champion-repo";
import { getExamples } from "../../src/storage/example-repo";
import { DEFAULT_PROJECT_ID } from "../../src/storage/project-repo";
import { loadEngineTask } from "../../src/storage/task-repo";
import { authedFetch } from "./support/auth";

const JSON_HEADERS = { "content-type": "application/json" };

function makeExamples(n: number, extra: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) => ({ input: `question ${i}`, expected: `answer ${i}`, ...extra }));
}

function makeTask(overrides: Record<string, unknown> = {}) {
  return { name: "Capitals", seedPrompt: "Answer with the capital city.", scorer: { type: "exact" }, examples: makeExamples(12), ...overrides };
}

function post(body: unknown, headers: Record<string, string> = JSON_HEADERS) {
  return authedFetch("/v1/tasks", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function get(path: string, headers: Record<string, string> = {}) {
  return authedFetch(path, { headers });
}

async function createTask(overrides: Record<string, unknown> = {}): Promise<any> {
  const res = await post(makeTask(overrides));
  expect(res.status).toBe(201);
  return res.json();
}

async function rowCounts() {
  const row = await env.DB.prepare(
    "SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM examples) AS examples, (SELECT count(*) FROM champions) AS champions",
  ).first();
  return row;
}

async function splitsOf(taskId: string): Promise<string[]> {
  const res = await get(`/v1/tasks/${taskId}/examples?limit=100`);
  const body: any = await res.json();
  return body.items.map((e: any) => e.split);
}

describe("POST /v1/tasks", () => {
  it("creates a task with its examples, split counts and seed prompt version", async () => {
    const res = await post(makeTask({ description: "world capitals", splitSeed: 7, attempts: 3 }));
    expect(res.status).toBe(201);
    const task: any = await res.json();
    expect(task).toMatchObject({
      name: "Capitals",
      description: "world capitals",
      seedPrompt: "Answer with the capital city.",
      scorer: { type: "exact", caseSensitive: false },
      model: { model: "simlm-task" },
      splitSeed: 7,
      attempts: 3,
      counts: { train: 6, val: 3, test: 3 },
      liveVersion: 1,
    });
    expect(task.id).toMatch(/^task_[0-9a-f]{32}$/);
    expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
    expect(res.headers.get("location")).toBe(`/v1/tasks/${task.id}`);

    const stored = await env.DB.prepare("SELECT live_version, split_seed, attempts FROM tasks WHERE id = ?").bind(task.id).first();
    expect(stored).toEqual({ live_version: 1, split_seed: 7, attempts: 3 });
    const champion = await env.DB.prepare("SELECT version, text, source FROM champions WHERE task_id = ?").bind(task.id).all();
    expect(champion.results).toEqual([{ version: 1, text: "Answer with the capital city.", source: "seed" }]);
    const examples = await env.DB.prepare("SELECT id, position FROM examples WHERE task_id = ? ORDER BY position").bind(task.id).all<any>();
    expect(examples.results.map((e) => e.position)).toEqual([...Array(12).keys()]);
    expect(examples.results.every((e) => /^ex_[0-9a-f]{32}$/.test(e.id))).toBe(true);
  });

  it("splits deterministically by splitSeed and keeps explicit splits", async () => {
    const a = await createTask({ splitSeed: 42, examples: makeExamples(40) });
    const b = await createTask({ splitSeed: 42, examples: makeExamples(40) });
    const c = await createTask({ splitSeed: 43, examples: makeExamples(40) });
    expect(await splitsOf(a.id)).toEqual(await splitsOf(b.id));
    expect(await splitsOf(a.id)).not.toEqual(await splitsOf(c.id));
    expect(a.counts).toEqual({ train: 20, val: 10, test: 10 });

    const examples = [...makeExamples(2, { split: "test" }), ...makeExamples(6)];
    const d = await createTask({ examples, split: { train: 0.5, val: 0.5, test: 0 } });
    expect(d.counts).toEqual({ train: 3, val: 3, test: 2 });
    expect((await splitsOf(d.id)).slice(0, 2)).toEqual(["test", "test"]);
  });

  it("stores a model with its own endpoint", async () => {
    const task = await createTask({ model: { model: "gpt-4o-mini", baseUrl: "https://api.example.com/v1" } });
    expect(task.model).toEqual({ model: "gpt-4o-mini", baseUrl: "https://api.example.com/v1" });
  });

  it("inserts large tasks in several chunked statements", async () => {
    const big = "é".repeat(1500); // 3,000 UTF-8 bytes per input
    const task = await createTask({ examples: makeExamples(400).map((e) => ({ ...e, input: `${big}${e.input}` })) });
    expect(task.counts).toEqual({ train: 200, val: 100, test: 100 });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM examples WHERE task_id = ?").bind(task.id).first("n");
    expect(n).toBe(400);
  });
});

describe("POST /v1/tasks rejects bad input without writing", () => {
  const cases: Array<[string, unknown, string]> = [
    ["missing name", { ...makeTask(), name: undefined }, "name"],
    ["missing examples", { ...makeTask(), examples: undefined }, "examples"],
    ["blank name", makeTask({ name: "   " }), "name"],
    ["name of the wrong type", makeTask({ name: 12 }), "name"],
    ["empty seed prompt", makeTask({ seedPrompt: "" }), "seedPrompt"],
    ["seed prompt too long", makeTask({ seedPrompt: "x".repeat(8001) }), "seedPrompt"],
    ["description too long", makeTask({ description: "x".repeat(2001) }), "description"],
    ["missing scorer", { ...makeTask(), scorer: undefined }, "scorer"],
    ["unknown scorer type", makeTask({ scorer: { type: "bleu" } }), "scorer"],
    ["zero attempts", makeTask({ attempts: 0 }), "attempts"],
    ["too many attempts", makeTask({ attempts: 11 }), "attempts"],
    ["invalid regex", makeTask({ scorer: { type: "regex", pattern: "([a-z" } }), "scorer"],
    ["examples not an array", makeTask({ examples: "a,b" }), "examples"],
    ["no examples", makeTask({ examples: [] }), "examples"],
    ["too many examples", makeTask({ examples: makeExamples(5001) }), "examples"],
    ["example without input", makeTask({ examples: [...makeExamples(3), { expected: "x" }] }), "examples.3.input"],
    ["example input too long", makeTask({ examples: [{ input: "x".repeat(20_001), expected: "" }, ...makeExamples(3)] }), "examples.0.input"],
    ["unknown split name", makeTask({ examples: [...makeExamples(3), { input: "q", expected: "a", split: "dev" }] }), "examples.3.split"],
    ["ratios not summing to 1", makeTask({ split: { train: 0.5, val: 0.3, test: 0.1 } }), "split"],
    ["negative ratio", makeTask({ split: { train: 1.2, val: -0.2, test: 0 } }), "split.train"],
    ["ratio missing", makeTask({ split: { train: 0.5, val: 0.5 } }), "split.test"],
    ["fractional seed", makeTask({ splitSeed: 1.5 }), "splitSeed"],
    ["non-http base URL", makeTask({ model: { model: "m", baseUrl: "ftp://host/v1" } }), "model.baseUrl"],
    ["empty model name", makeTask({ model: { model: "" } }), "model.model"],
    ["unknown field", makeTask({ seed_prompt: "typo" }), "(body)"],
    ["empty val split", makeTask({ examples: makeExamples(1) }), "examples"],
    ["empty train split", makeTask({ examples: makeExamples(4, { split: "val" }) }), "examples"],
    ["body not an object", [1, 2, 3], "(body)"],
  ];

  it.each(cases)("%s -> 400 naming %s", async (_label, body, path) => {
    const before = await rowCounts();
    const res = await post(body);
    expect(res.status).toBe(400);
    const error: any = (await res.json<any>()).error;
    expect(error.code).toBe("invalid_request");
    expect(error.issues.map((i: any) => i.path).some((p: string) => p === path || p.startsWith(`${path}.`))).toBe(true);
    expect(error.message).toContain(path === "(body)" ? "" : path);
    expect(await rowCounts()).toEqual(before);
  });

  it("says which split would be empty", async () => {
    const res = await post(makeTask({ examples: makeExamples(4, { split: "val" }) }));
    expect((await res.json<any>()).error.message).toMatch(/train split would be empty/);
  });

  it("answers 400 for a body that is not JSON, 415 for another content type, 413 over 5 MB", async () => {
    const before = await rowCounts();
    const bad = await post("{ name: nope");
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).error.message).toMatch(/not valid JSON/);
    const text = await post(JSON.stringify(makeTask()), { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect((await text.json<any>()).error.code).toBe("unsupported_media_type");
    const huge = await post(makeTask({ examples: makeExamples(300).map((e) => ({ ...e, input: "x".repeat(18_000) })) }));
    expect(huge.status).toBe(413);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("GET /v1/tasks", () => {
  it("reads one task with counts and 404s an unknown id", async () => {
    const created = await createTask();
    const res = await get(`/v1/tasks/${created.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
    const missing = await get("/v1/tasks/task_nope");
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error).toMatchObject({ code: "not_found", message: expect.stringContaining("task_nope") });
  });

  it("lists newest first through cursor pages", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createTask({ name: `paged ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/v1/tasks?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page: any = await res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t: any) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 200);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["cursor=garbage", "cursor"],
  ])("rejects ?%s naming %s", async (query, path) => {
    const res = await get(`/v1/tasks?${query}`);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).error.issues[0].path).toBe(path);
  });

  it("still lists a task whose stored scorer is corrupt", async () => {
    const task = await createTask();
    await env.DB.prepare("UPDATE tasks SET scorer = 'not json', model = '{\"x\":1}' WHERE id = ?").bind(task.id).run();
    const res = await get("/v1/tasks?limit=100");
    expect(res.status).toBe(200);
    const listed = (await res.json<any>()).items.find((t: any) => t.id === task.id);
    expect(listed).toMatchObject({ scorer: null, model: null, counts: task.counts });
  });
});

describe("GET /v1/tasks/:id/examples", () => {
  it("pages examples in position order, optionally by split", async () => {
    const task = await createTask({ examples: makeExamples(9) });
    const first: any = await (await get(`/v1/tasks/${task.id}/examples?limit=4`)).json();
    expect(first.items.map((e: any) => e.position)).toEqual([0, 1, 2, 3]);
    expect(first.items[0]).toEqual({ id: expect.stringMatching(/^ex_/), split: expect.any(String), input: "question 0", expected: "answer 0", position: 0 });
    const second: any = await (await get(`/v1/tasks/${task.id}/examples?limit=4&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((e: any) => e.position)).toEqual([4, 5, 6, 7]);

    const val: any = await (await get(`/v1/tasks/${task.id}/examples?split=val`)).json();
    expect(val.items).toHaveLength(task.counts.val);
    expect(val.items.every((e: any) => e.split === "val")).toBe(true);
    expect(val.nextCursor).toBeNull();
  });

  it("rejects an unknown split and 404s an unknown task", async () => {
    const task = await createTask();
    const bad = await get(`/v1/tasks/${task.id}/examples?split=dev`);
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).error.issues[0].path).toBe("split");
    expect((await get("/v1/tasks/task_missing/examples")).status).toBe(404);
  });
});

describe("example and engine-task repositories", () => {
  it("getExamples reads more ids than one statement may bind", async () => {
    const task = await createTask({ examples: makeExamples(250) });
    const { results } = await env.DB.prepare("SELECT id FROM examples WHERE task_id = ?").bind(task.id).all<{ id: string }>();
    const ids = results.map((r) => r.id);
    const found = await getExamples(env.DB, [...ids, "ex_unknown", ids[0]!]);
    expect(found.size).toBe(250);
    expect(found.get(ids[0]!)).toMatchObject({ id: ids[0], taskId: task.id, input: expect.any(String) });
  });

  it("loadEngineTask gives ordered example metadata, byte sizes and the live prompt", async () => {
    const examples = [
      { input: "héllo", expected: "wörld", split: "train" },
      { input: "b", expected: "", split: "val" },
      { input: "a", expected: "1", split: "train" },
    ];
    const task = await createTask({ examples, model: { model: "m1", baseUrl: "http://127.0.0.1:9/v1" } });
    await env.DB.batch(
      appendChampionStatements(env.DB, { taskId: task.id, text: "Better prompt", source: "run", runId: "run_1", candidateId: `cand_${task.id}`, scores: { val: 1 }, now: Date.now() }),
    );
    const engineTask = await loadEngineTask(env.DB, DEFAULT_PROJECT_ID, task.id);
    expect(engineTask).toMatchObject({
      taskId: task.id,
      name: "Capitals",
      seedPrompt: "Better prompt",
      model: { role: "task", model: "m1", baseUrl: "http://127.0.0.1:9/v1" },
    });
    expect(engineTask!.splits.train.map((e) => [e.inputBytes, e.expectedBytes])).toEqual([[6, 6], [1, 1]]);
    expect(engineTask!.splits.val).toEqual([{ id: expect.stringMatching(/^ex_/), inputBytes: 1, expectedBytes: 0 }]);
    expect(engineTask!.splits.test).toEqual([]);
    expect(await loadEngineTask(env.DB, DEFAULT_PROJECT_ID, "task_missing")).toBeNull();
  });
});
