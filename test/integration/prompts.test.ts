import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appendChampionStatements, type NewChampion } from "../../src/storage/champion-repo";
import { authedFetch } from "./support/auth";

async function createTask(): Promise<any> {
  const res = await authedFetch("/v1/tasks", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "Prompted",
      seedPrompt: "Seed prompt.",
      scorer: { type: "exact" },
      examples: Array.from({ length: 6 }, (_, i) => ({ input: `q${i}`, expected: `a${i}` })),
    }),
  });
  expect(res.status).toBe(201);
  return res.json();
}

function get(path: string, headers: Record<string, string> = {}) {
  return authedFetch(path, { headers });
}

function champion(taskId: string, overrides: Partial<NewChampion> = {}): NewChampion {
  return { taskId, text: "Run champion.", source: "run", runId: "run_a", candidateId: `c1_${taskId}`, scores: { val: 0.9 }, now: Date.now(), ...overrides };
}

describe("GET /v1/tasks/:id/prompt", () => {
  it("serves the seed as version 1 with a strong ETag and short private caching", async () => {
    const task = await createTask();
    const res = await get(`/v1/tasks/${task.id}/prompt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${task.id}-v1"`);
    // Private since API keys: a shared cache must not hand one project's prompt to another client.
    expect(res.headers.get("cache-control")).toBe("private, max-age=30");
    expect(res.headers.get("vary")).toBe("Authorization, X-Sepo-Project");
    expect(await res.json()).toEqual({
      taskId: task.id,
      version: 1,
      text: "Seed prompt.",
      source: "seed",
      runId: null,
      candidateId: null,
      scores: {},
      note: null,
      createdAt: task.createdAt,
      pinned: false,
    });
  });

  it("answers 304 to a matching If-None-Match, and 200 once a new version is live", async () => {
    const task = await createTask();
    const etag = `"${task.id}-v1"`;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await get(`/v1/tasks/${task.id}/prompt`, { "if-none-match": header });
      expect(res.status).toBe(304);
      expect(res.headers.get("etag")).toBe(etag);
      expect(await res.text()).toBe("");
    }
    expect((await get(`/v1/tasks/${task.id}/prompt`, { "if-none-match": '"other"' })).status).toBe(200);

    await env.DB.batch(appendChampionStatements(env.DB, champion(task.id)));
    const res = await get(`/v1/tasks/${task.id}/prompt`, { "if-none-match": etag });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${task.id}-v2"`);
    expect(await res.json()).toMatchObject({ version: 2, text: "Run champion.", source: "run", runId: "run_a", scores: { val: 0.9 } });
  });

  it("404s an unknown task", async () => {
    const res = await get("/v1/tasks/task_unknown/prompt");
    expect(res.status).toBe(404);
    expect((await res.json<any>()).error.message).toContain("task_unknown");
  });
});

describe("appendChampionStatements", () => {
  it("is idempotent per candidate and never rolls the live version back", async () => {
    const task = await createTask();
    const first = champion(task.id);
    await env.DB.batch(appendChampionStatements(env.DB, first));
    await env.DB.batch(appendChampionStatements(env.DB, first));
    await env.DB.batch(appendChampionStatements(env.DB, champion(task.id, { candidateId: `c2_${task.id}`, text: "Second." })));
    // A redelivery of the first append after the second must change nothing.
    await env.DB.batch(appendChampionStatements(env.DB, first));

    const history: any = await (await get(`/v1/tasks/${task.id}/prompts`)).json();
    expect(history.liveVersion).toBe(3);
    expect(history.items.map((p: any) => [p.version, p.text])).toEqual([
      [3, "Second."],
      [2, "Run champion."],
      [1, "Seed prompt."],
    ]);
    expect(history.nextCursor).toBeNull();
  });

  it("skips a task that does not exist instead of failing the batch", async () => {
    const results = await env.DB.batch(appendChampionStatements(env.DB, champion("task_gone")));
    expect(results.map((r) => r.meta.changes)).toEqual([0, 0, 0]);
  });
});

describe("GET /v1/tasks/:id/prompts", () => {
  it("pages the history newest first and 404s an unknown task", async () => {
    const task = await createTask();
    for (let i = 2; i <= 4; i++) {
      await env.DB.batch(appendChampionStatements(env.DB, champion(task.id, { candidateId: `c${i}_${task.id}`, text: `v${i}` })));
    }
    const first: any = await (await get(`/v1/tasks/${task.id}/prompts?limit=3`)).json();
    expect(first.items.map((p: any) => p.version)).toEqual([4, 3, 2]);
    const rest: any = await (await get(`/v1/tasks/${task.id}/prompts?limit=3&cursor=${first.nextCursor}`)).json();
    expect(rest.items.map((p: any) => p.version)).toEqual([1]);
    expect(rest.nextCursor).toBeNull();
    expect((await get("/v1/tasks/task_unknown/prompts")).status).toBe(404);
  });
});
