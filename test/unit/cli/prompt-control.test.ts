import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const change = (overrides: Record<string, unknown> = {}) => ({ seq: 1, action: "promote", fromVersion: 1, toVersion: 3, pinned: false, runId: null, reason: null, undoes: null, createdAt: "2026-01-01T00:00:00.000Z", ...overrides });
const state = (liveVersion: number, overrides: Record<string, unknown> = {}) => ({ taskId: "task_1", liveVersion, pinned: false, change: change({ toVersion: liveVersion }), ...overrides });
const version = (v: number, overrides: Record<string, unknown> = {}) => ({ taskId: "task_1", version: v, text: `Prompt v${v}.`, source: "manual", runId: null, candidateId: null, scores: {}, note: null, createdAt: "2026-01-01T00:00:00.000Z", ...overrides });

describe("sepo prompt promote", () => {
  it("sends the version (v3 or 3) and the reason, and says what is live now and what was", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/prompt/promote": state(3) });
    const r = await runCli(["prompt", "promote", "task_1", "v3", "--reason", "reviewed"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ path: "/v1/tasks/task_1/prompt/promote", body: { version: 3, reason: "reviewed" } });
    expect(r.stdout).toBe("task_1: v3 is live (was v1)\n");
    const plain = await runCli(["prompt", "promote", "task_1", "3"], { fetch: api.fetch });
    expect(api.requests[1]!.body).toEqual({ version: 3 });
    expect(plain.code).toBe(0);
  });

  it("says when nothing changed, and prints the API's answer with --json", async () => {
    const unchanged = { taskId: "task_1", liveVersion: 3, pinned: true, change: null };
    const api = fakeApi({ "POST /v1/tasks/:id/prompt/promote": unchanged });
    expect((await runCli(["prompt", "promote", "task_1", "3"], { fetch: api.fetch })).stdout).toBe("task_1: v3 was already live; nothing changed\n");
    expect(JSON.parse((await runCli(["prompt", "promote", "task_1", "3", "--json"], { fetch: api.fetch })).stdout)).toEqual(unchanged);
  });

  it("exits 2 on a bad version or missing argument without calling the API, and 1 on a 404", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/prompt/promote": apiError(404, "Task 'task_1' has no prompt version 9.", "not_found") });
    for (const argv of [["prompt", "promote", "task_1", "three"], ["prompt", "promote", "task_1", "0"], ["prompt", "promote", "task_1"]]) {
      const r = await runCli(argv, { fetch: api.fetch });
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect((await runCli(["prompt", "promote", "task_1", "x"], { fetch: api.fetch })).stderr).toContain('the version must be a number such as 3 (or v3), not "x"');
    expect(api.requests).toHaveLength(0);
    const r = await runCli(["prompt", "promote", "task_1", "9"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no prompt version 9");
  });
});

describe("sepo prompt rollback, pin, unpin", () => {
  it("rolls back, and exits 1 with the API's message when there is nothing to roll back", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/prompt/rollback": state(2, { change: change({ action: "rollback", fromVersion: 3, toVersion: 2, undoes: 4 }) }) });
    const r = await runCli(["prompt", "rollback", "task_1"], { fetch: api.fetch });
    expect(r.stdout).toBe("task_1: rolled back: v2 is live (was v3)\n");
    expect(api.requests[0]).toMatchObject({ method: "POST", body: {} });

    const none = fakeApi({ "POST /v1/tasks/:id/prompt/rollback": apiError(409, "Task 'task_1' has no earlier live version to roll back to.", "conflict") });
    const refused = await runCli(["prompt", "rollback", "task_1"], { fetch: none.fetch });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no earlier live version to roll back to");
  });

  it("pins the live version or a named one, and unpins", async () => {
    const api = fakeApi({
      "POST /v1/tasks/:id/prompt/pin": (req: any) => state(req.body.version ?? 1, { pinned: true, change: change({ action: "pin", fromVersion: 1, toVersion: req.body.version ?? 1, pinned: true }) }),
      "DELETE /v1/tasks/:id/prompt/pin": { taskId: "task_1", liveVersion: 2, pinned: false, change: change({ action: "unpin", fromVersion: 2, toVersion: 2 }) },
    });
    expect((await runCli(["prompt", "pin", "task_1"], { fetch: api.fetch })).stdout).toBe("task_1: pinned at v1\n");
    expect(api.requests[0]!.body).toEqual({});
    expect((await runCli(["prompt", "pin", "task_1", "v2", "--reason", "launch"], { fetch: api.fetch })).stdout).toBe("task_1: pinned at v2 (was v1)\n");
    expect(api.requests[1]!.body).toEqual({ version: 2, reason: "launch" });
    const unpinned = await runCli(["prompt", "unpin", "task_1"], { fetch: api.fetch });
    expect(unpinned.stdout).toBe("task_1: unpinned; v2 stays live until a run's champion passes the promotion gate\n");
    expect(api.requests[2]).toMatchObject({ method: "DELETE", path: "/v1/tasks/task_1/prompt/pin", body: undefined });
  });
});

describe("sepo prompt add", () => {
  it("reads the text from a file (dropping the trailing newline) and says how to serve it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.txt"), "Line one.\nLine two.\n");
    const api = fakeApi({ "POST /v1/tasks/:id/prompts": (req: any) => ({ taskId: "task_1", liveVersion: 1, pinned: false, change: null, prompt: version(4, { text: req.body.text }) }) });
    const r = await runCli(["prompt", "add", "task_1", "--file", "p.txt", "--note", "from review"], { fetch: api.fetch, cwd: dir });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ text: "Line one.\nLine two.", note: "from review" });
    expect(r.stdout).toBe("task_1: added v4; v1 stays live (serve the new one with: sepo prompt promote task_1 4)\n");
  });

  it("serves it with --live, takes --text (or stdin), and refuses both or neither source", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/prompts": { taskId: "task_1", liveVersion: 4, pinned: false, change: change({ action: "manual", fromVersion: 2, toVersion: 4 }), prompt: version(4) } });
    const r = await runCli(["prompt", "add", "task_1", "--text", "-", "--live"], { fetch: api.fetch, stdin: "From stdin.\n" });
    expect(api.requests[0]!.body).toEqual({ text: "From stdin.", live: true });
    expect(r.stdout).toBe("task_1: added v4; it is live (was v2)\n");
    for (const argv of [["prompt", "add", "task_1"], ["prompt", "add", "task_1", "--text", "a", "--file", "b"]]) {
      const bad = await runCli(argv, { fetch: api.fetch });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("give exactly one of --file or --text");
    }
    const missing = await runCli(["prompt", "add", "task_1", "--file", "nope.txt"], { fetch: api.fetch, cwd: tempDir() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file: nope.txt");
    expect(api.requests).toHaveLength(1);
  });
});

describe("sepo prompt changes and history", () => {
  it("lists the change log with moves and rollbacks spelled out", async () => {
    const api = fakeApi({
      "GET /v1/tasks/:id/prompt/changes": {
        taskId: "task_1",
        items: [change({ seq: 3, action: "rollback", fromVersion: 3, toVersion: 2, undoes: 2, reason: "regression" }), change({ seq: 2, action: "pin", fromVersion: 3, toVersion: 3, pinned: true }), change({ seq: 1, action: "run", fromVersion: 1, toVersion: 2, runId: "run_9" })],
        nextCursor: "abc",
      },
    });
    const r = await runCli(["prompt", "changes", "task_1"], { fetch: api.fetch });
    expect(r.stdout).toMatch(/3\s+rollback of #2\s+v3 -> v2\s+no\s+-\s+\S+\s+regression/);
    expect(r.stdout).toMatch(/2\s+pin\s+v3\s+yes/);
    expect(r.stdout).toMatch(/1\s+run\s+v1 -> v2\s+no\s+run_9/);
    expect(r.stderr).toContain("more: sepo prompt changes task_1 --cursor abc");
    const json = await runCli(["prompt", "changes", "task_1", "--json", "--limit", "1"], { fetch: api.fetch });
    expect(api.requests.at(-1)!.query).toEqual({ limit: "1" });
    expect(JSON.parse(json.stdout)).toMatchObject({ taskId: "task_1", nextCursor: "abc" });
    const empty = fakeApi({ "GET /v1/tasks/:id/prompt/changes": { taskId: "task_1", items: [], nextCursor: null } });
    expect((await runCli(["prompt", "changes", "task_1"], { fetch: empty.fetch })).stdout).toContain("no changes of the live version recorded yet");
  });

  it("marks a pinned live version in the history", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id/prompts": { taskId: "task_1", liveVersion: 2, pinned: true, items: [version(3, { source: "run", runId: "run_1" }), version(2)], nextCursor: null } });
    const r = await runCli(["prompt", "history", "task_1"], { fetch: api.fetch });
    expect(r.stdout).toMatch(/v2 \(live, pinned\)\s+manual/);
    expect(r.stdout).toMatch(/v3\s+run\s+run_1/);
    expect(JSON.parse((await runCli(["prompt", "history", "task_1", "--json"], { fetch: api.fetch })).stdout)).toMatchObject({ liveVersion: 2, pinned: true });
  });
});
