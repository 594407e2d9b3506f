import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTask } from "./support/builders";
import { apiError, fakeApi, type RecordedRequest } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

/** Writes files into a fresh directory that becomes the CLI's working directory. */
function workdir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function taskApi() {
  return fakeApi({
    "POST /v1/tasks": (req: RecordedRequest) => makeTask({ id: "task_new", name: (req.body as { name: string }).name }),
    "GET /v1/tasks": { items: [makeTask(), makeTask({ id: "task_2", name: "Sums", liveVersion: 3 })], nextCursor: "c2" },
    "GET /v1/tasks/:id": (_: RecordedRequest, p: Record<string, string>) => makeTask({ id: p.id! }),
  });
}

const body = { name: "From file", seedPrompt: "Answer.", scorer: { type: "exact" }, examples: [{ input: "1+1", expected: "2" }] };

describe("sepo tasks create", () => {
  it("sends a JSON task body, with flags overriding its fields", async () => {
    const api = taskApi();
    const cwd = workdir({ "task.json": JSON.stringify(body) });
    const r = await runCli(["tasks", "create", "--file", "task.json", "--model", "gpt-x", "--split", "0.6,0.2,0.2", "--split-seed", "7"], { cwd, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ ...body, model: { model: "gpt-x" }, split: { train: 0.6, val: 0.2, test: 0.2 }, splitSeed: 7 });
    expect(r.stdout).toContain('created task task_new "From file": 8 examples (train 4, val 2, test 2), scorer exact');
  });

  it("builds a task from JSONL examples and flags, reading @file for the seed prompt", async () => {
    const api = taskApi();
    const cwd = workdir({
      "ex.jsonl": '{"input":"a","expected":"A"}\n\n{"input":"b","expected":"B","split":"val"}\n',
      "seed.txt": "Upper-case it.\n",
    });
    const r = await runCli(["tasks", "create", "--file", "ex.jsonl", "--name", "Upper", "--seed-prompt", "@seed.txt", "--scorer", "exact", "--json"], { cwd, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({
      name: "Upper",
      seedPrompt: "Upper-case it.",
      scorer: { type: "exact" },
      examples: [{ input: "a", expected: "A" }, { input: "b", expected: "B", split: "val" }],
    });
    expect(JSON.parse(r.stdout).id).toBe("task_new");
  });

  it("needs --name, --seed-prompt and --scorer with examples (exit 2)", async () => {
    const cwd = workdir({ "ex.jsonl": '{"input":"a","expected":"A"}' });
    const r = await runCli(["tasks", "create", "--file", "ex.jsonl", "--name", "x"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a file of examples needs --seed-prompt, --scorer");
  });

  it("names the bad line of a JSONL file (exit 1)", async () => {
    const cwd = workdir({ "ex.jsonl": '{"input":"a","expected":"A"}\n{oops\n' });
    const r = await runCli(["tasks", "create", "--file", "ex.jsonl", "--name", "x", "--seed-prompt", "s", "--scorer", "exact"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ex.jsonl line 2 is not valid JSON");
  });

  it("passes the API's validation message through (exit 1)", async () => {
    const api = fakeApi({ "POST /v1/tasks": apiError(400, "Invalid request body: examples: the val split would be empty (1 example(s))") });
    const cwd = workdir({ "task.json": JSON.stringify(body) });
    const r = await runCli(["tasks", "create", "--file", "task.json"], { cwd, fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the val split would be empty");
  });

  it("rejects --file with --promptfoo, a bad --scorer and a missing file", async () => {
    const cwd = workdir({ "task.json": JSON.stringify(body) });
    expect((await runCli(["tasks", "create", "--file", "a", "--promptfoo", "b"], { cwd })).code).toBe(2);
    expect((await runCli(["tasks", "create", "--file", "task.json", "--scorer", "{bad"], { cwd })).code).toBe(2);
    const missing = await runCli(["tasks", "create", "--file", "nope.json"], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file: nope.json");
  });

  it("converts a promptfoo config, printing notes and warnings on stderr", async () => {
    const api = taskApi();
    const config = {
      description: "Capitals",
      prompts: ["Capital of {{country}}?"],
      defaultTest: { assert: [{ type: "equals", value: "{{capital}}" }] },
      tests: [{ vars: { country: "France", capital: "Paris" } }, { vars: { country: "Peru", capital: "Lima" } }],
    };
    const cwd = workdir({ "promptfooconfig.json": JSON.stringify(config) });
    const r = await runCli(["tasks", "create", "--promptfoo", "promptfooconfig.json", "--seed-prompt", "Name the capital.", "--split", "0.5,0.5,0"], { cwd, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({
      name: "Capitals",
      description: "Capitals",
      seedPrompt: "Name the capital.",
      scorer: { type: "exact", caseSensitive: true },
      examples: [
        { input: "Capital of France?", expected: "Paris" },
        { input: "Capital of Peru?", expected: "Lima" },
      ],
      split: { train: 0.5, val: 0.5, test: 0 },
    });
    expect(r.stderr).toContain("promptfoo: 2 example(s) from the tests");
    expect(r.stdout).toContain("created task task_new");
  });

  it("prints the converted body with --dry-run and sends nothing", async () => {
    const api = taskApi();
    const config = { prompts: ["{{q}}"], tests: [{ vars: { q: "x" }, assert: [{ type: "contains", value: "y" }] }] };
    const cwd = workdir({ "p.json": JSON.stringify(config) });
    const r = await runCli(["tasks", "create", "--promptfoo", "p.json", "--dry-run"], { cwd, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).examples).toEqual([{ input: "x", expected: "y" }]);
    expect(r.stderr).toContain("sepo: warning: prompt 1 has no system message");
    expect(api.requests).toHaveLength(0);
  });

  it("refuses mixed assertions with one line (exit 1)", async () => {
    const mixed = { prompts: ["{{q}}"], tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "1" }] }, { vars: { q: "b" }, assert: [{ type: "icontains", value: "2" }] }] };
    const cwd = workdir({ "mixed.json": JSON.stringify(mixed) });
    const r = await runCli(["tasks", "create", "--promptfoo", "mixed.json"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("the tests use different scorers");
  });
});

describe("sepo tasks list / get", () => {
  it("lists tasks as a table, with the next-page hint on stderr", async () => {
    const api = taskApi();
    const r = await runCli(["tasks", "list", "--limit", "2"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.query).toEqual({ limit: "2" });
    expect(r.stdout.split("\n")[0]).toMatch(/^id\s+name\s+scorer\s+train\/val\/test\s+live\s+created$/);
    expect(r.stdout).toMatch(/task_2\s+Sums\s+exact\s+4\/2\/2\s+v3/);
    expect(r.stderr).toBe("more: sepo tasks list --cursor c2\n");
  });

  it("follows every page with --all", async () => {
    const api = fakeApi({
      "GET /v1/tasks": (req: RecordedRequest) =>
        req.query.cursor ? { items: [makeTask({ id: "task_b" })], nextCursor: null } : { items: [makeTask({ id: "task_a" })], nextCursor: "next" },
    });
    const r = await runCli(["tasks", "list", "--all", "--json"], { fetch: api.fetch });
    expect(JSON.parse(r.stdout).items.map((t: { id: string }) => t.id)).toEqual(["task_a", "task_b"]);
    expect(api.requests.map((q) => q.query)).toEqual([{ limit: "100" }, { limit: "100", cursor: "next" }]);
  });

  it("gets one task as text or JSON", async () => {
    const api = taskApi();
    const text = await runCli(["tasks", "get", "task_9"], { fetch: api.fetch });
    expect(text.stdout).toContain("task_9  Capitals");
    expect(text.stdout).toContain("seed prompt:\n  Answer.");
    const json = await runCli(["tasks", "get", "task_9", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toEqual(makeTask({ id: "task_9" }));
  });
});
