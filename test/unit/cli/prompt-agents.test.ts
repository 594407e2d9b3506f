import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "./support/fake-api";
import { runCli } from "./support/run-cli";

const version = (v: number, source = "run") => ({ taskId: "task_1", version: v, text: `Prompt v${v}.\nSecond line.`, source, runId: source === "seed" ? null : "run_1", candidateId: null, scores: { val: 0.7 }, createdAt: "2026-01-01T00:00:00.000Z" });
const agent = { id: "agent_1", runId: "run_1", candidateId: "cand_9", text: "You improve prompts.", fitness: 0.12, lineage: ["cand_0", "cand_9"], createdAt: "2026-01-01T00:00:00.000Z" };

describe("sepo prompt", () => {
  it("prints only the live prompt text, or the record with --json", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id/prompt": version(2) });
    const text = await runCli(["prompt", "get", "task_1"], { fetch: api.fetch });
    expect(text.stdout).toBe("Prompt v2.\nSecond line.\n");
    const json = await runCli(["prompt", "get", "task_1", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toEqual(version(2));
  });

  it("exits 1 when the task has no live prompt", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id/prompt": apiError(404, "Task 'task_1' has no live prompt version.", "not_found") });
    const r = await runCli(["prompt", "get", "task_1"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no live prompt version");
  });

  it("shows the history with the live version marked", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id/prompts": { taskId: "task_1", liveVersion: 2, items: [version(2), version(1, "seed")], nextCursor: null } });
    const r = await runCli(["prompt", "history", "task_1"], { fetch: api.fetch });
    expect(r.stdout).toMatch(/v2 \(live\)\s+run\s+run_1\s+val 0\.700/);
    expect(r.stdout).toMatch(/v1\s+seed\s+-/);
    const json = await runCli(["prompt", "history", "task_1", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toMatchObject({ taskId: "task_1", liveVersion: 2, nextCursor: null });
  });
});

describe("sepo agents", () => {
  it("lists and gets snapshots", async () => {
    const api = fakeApi({ "GET /v1/agents": { items: [agent], nextCursor: null }, "GET /v1/agents/:id": agent });
    const list = await runCli(["agents", "list"], { fetch: api.fetch });
    expect(list.stdout).toMatch(/agent_1\s+run_1\s+0\.120/);
    const got = await runCli(["agents", "get", "agent_1"], { fetch: api.fetch });
    expect(got.stdout).toContain("lineage   cand_0 -> cand_9");
    expect(got.stdout).toContain("prompt:\nYou improve prompts.");
    const json = await runCli(["agents", "get", "agent_1", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toEqual(agent);
  });

  it("says so when there are none", async () => {
    const api = fakeApi({ "GET /v1/agents": { items: [], nextCursor: null } });
    const r = await runCli(["agents", "list"], { fetch: api.fetch });
    expect(r.stdout).toContain("no agent snapshots yet");
  });
});
