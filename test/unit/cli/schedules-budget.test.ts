import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi, type RecordedRequest, Reply } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const T = "2026-01-01T00:00:00.000Z";

const schedule = (overrides: Record<string, unknown> = {}) => ({
  taskId: "task_1",
  cron: "0 3 * * *",
  timezone: "UTC",
  config: {},
  agent: "latest",
  agentModel: null,
  enabled: true,
  nextRunAt: "2026-01-02T03:00:00.000Z",
  lastRunId: null,
  lastRunAt: null,
  lastOutcome: null,
  lastReason: null,
  lastOutcomeAt: null,
  createdAt: T,
  updatedAt: T,
  ...overrides,
});

const amounts = (calls: number, tokens: number, usd: number) => ({ calls, tokens, usd });
const budget = (overrides: Record<string, unknown> = {}) => ({
  limits: { calls: 1000, tokens: null, usd: 50 },
  period: "month",
  periodKey: "2026-01",
  periodStart: T,
  periodEnd: "2026-02-01T00:00:00.000Z",
  spent: amounts(600, 120000, 12.5),
  reserved: amounts(100, 0, 2),
  remaining: { calls: 300, tokens: null, usd: 35.5 },
  activeRuns: 1,
  thresholdsReached: [0.5],
  alerts: [{ threshold: 0.5, dimension: "calls", spent: amounts(500, 0, 10), at: T, sent: true }],
  createdAt: T,
  updatedAt: T,
  ...overrides,
});

describe("sepo schedules", () => {
  it("sets a schedule from flags, a config file and --set, with --agent none as null", async () => {
    const api = fakeApi({ "PUT /v1/tasks/:id/schedule": (req: RecordedRequest) => new Reply(201, schedule({ ...(req.body as object) })) });
    const cwd = tempDir();
    writeFileSync(join(cwd, "run.json"), JSON.stringify({ generations: 3, seed: 1 }));
    const r = await runCli(
      ["schedules", "set", "task_1", "--cron", "0 3 * * *", "--timezone", "Europe/Berlin", "--config", "run.json", "--set", "generations=5", "--agent", "none", "--agent-model", "gpt-x"],
      { cwd, fetch: api.fetch },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "PUT", path: "/v1/tasks/task_1/schedule" });
    expect(api.requests[0]!.body).toEqual({ cron: "0 3 * * *", timezone: "Europe/Berlin", config: { generations: 5, seed: 1 }, agent: null, agentModel: { model: "gpt-x" } });
    expect(r.stdout).toBe('schedule of task_1 set: "0 3 * * *" (Europe/Berlin), agent none (hand-written), enabled; next run 2026-01-02T03:00:00.000Z\n');
  });

  it("sends only the cron by default, and enabled: false with --disable", async () => {
    const api = fakeApi({ "PUT /v1/tasks/:id/schedule": (req: RecordedRequest) => schedule({ ...(req.body as object), nextRunAt: (req.body as { enabled?: boolean }).enabled === false ? null : "2026-01-02T03:00:00.000Z" }) });
    await runCli(["schedules", "set", "task_1", "--cron", "@daily"], { fetch: api.fetch });
    expect(api.requests[0]!.body).toEqual({ cron: "@daily" });
    const off = await runCli(["schedules", "set", "task_1", "--cron", "@daily", "--agent", "snap_1", "--disable"], { fetch: api.fetch });
    expect(api.requests[1]!.body).toEqual({ cron: "@daily", agent: "snap_1", enabled: false });
    expect(off.stdout).toContain("disabled; no runs while disabled");
  });

  it("needs --cron (exit 2), and passes the API's refusal of an expression through (exit 1)", async () => {
    const api = fakeApi({ "PUT /v1/tasks/:id/schedule": apiError(400, "Invalid request body: cron: fires 1 minute apart; scheduled runs may start at most every 15 minutes") });
    const missing = await runCli(["schedules", "set", "task_1"], { fetch: api.fetch });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--cron is required");
    expect(api.requests).toHaveLength(0);
    const refused = await runCli(["schedules", "set", "task_1", "--cron", "* * * * *"], { fetch: api.fetch });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("cron: fires 1 minute apart");
  });

  it("gets a schedule with its last tick, lists schedules, and deletes one (204)", async () => {
    const api = fakeApi({
      "GET /v1/tasks/:id/schedule": schedule({ lastOutcome: "skipped", lastOutcomeAt: T, lastReason: "a run of the task is still running", config: { generations: 2 } }),
      "GET /v1/schedules": { items: [schedule(), schedule({ taskId: "task_2", enabled: false, nextRunAt: null, agent: null })], nextCursor: null },
      "DELETE /v1/tasks/:id/schedule": new Reply(204, null),
    });
    const one = await runCli(["schedules", "get", "task_1"], { fetch: api.fetch });
    expect(one.stdout).toContain("last tick  skipped at 2026-01-01T00:00:00.000Z: a run of the task is still running\n");
    expect(one.stdout).toContain('config     {"generations":2}');
    const list = await runCli(["schedules", "list"], { fetch: api.fetch });
    expect(list.stdout).toMatch(/task_2\s+0 3 \* \* \*\s+UTC\s+no\s+-\s+-\s+none \(hand-written\)/);
    const deleted = await runCli(["schedules", "delete", "task_1"], { fetch: api.fetch });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe("removed the schedule of task_1\n");
    const json = await runCli(["schedules", "delete", "task_1", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toEqual({ taskId: "task_1", deleted: true });
  });

  it("exits 1 when the task has no schedule", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id/schedule": apiError(404, "Task 'task_1' has no schedule.", "not_found") });
    const r = await runCli(["schedules", "get", "task_1"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no schedule");
  });
});

describe("sepo budget", () => {
  it("sets limits and a period, and shows spent, reserved and remaining per limited dimension", async () => {
    const api = fakeApi({ "PUT /v1/budget": budget() });
    const r = await runCli(["budget", "set", "--calls", "1000", "--usd", "50", "--period", "month"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "PUT", path: "/v1/budget", body: { limits: { calls: 1000, usd: 50 }, period: "month" } });
    expect(r.stdout).toContain("period  month 2026-01 (until 2026-02-01T00:00:00.000Z)\n");
    expect(r.stdout).toMatch(/calls\s+1,000\s+600\s+100\s+300\n/);
    expect(r.stdout).toMatch(/usd\s+\$50\.00\s+\$12\.50\s+\$2\.00\s+\$35\.50\n/);
    expect(r.stdout).not.toMatch(/^tokens/m);
    expect(r.stdout).toContain("reached       50% of the budget");
  });

  it.each([
    [[], "give at least one of --calls, --tokens, --usd"],
    [["--calls", "1.5"], '--calls must be a positive whole number, not "1.5"'],
    [["--usd=-3"], '--usd must be a positive number, not "-3"'],
    [["--usd", "0"], '--usd must be a positive number, not "0"'],
    [["--tokens", "10", "--period", "week"], '--period must be month or total, not "week"'],
  ])("exits 2 for budget set %j without calling the API", async (flags, message) => {
    const api = fakeApi({ "PUT /v1/budget": budget() });
    const r = await runCli(["budget", "set", ...flags], { fetch: api.fetch });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(api.requests).toHaveLength(0);
  });

  it("gets the budget as JSON, and says how to set one when there is none (exit 1)", async () => {
    const api = fakeApi({ "GET /v1/budget": budget({ period: "total" }) });
    expect(JSON.parse((await runCli(["budget", "get", "--json"], { fetch: api.fetch })).stdout).period).toBe("total");
    const none = fakeApi({ "GET /v1/budget": apiError(404, "This project has no budget; set one with PUT /v1/budget.", "not_found"), "DELETE /v1/budget": apiError(404, "no budget", "not_found") });
    const r = await runCli(["budget", "get"], { fetch: none.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sepo: error: this project has no budget; set one with `sepo budget set --usd 50` (or --calls, --tokens)\n");
    expect((await runCli(["budget", "clear"], { fetch: none.fetch })).code).toBe(1);
  });

  it("clears the budget (204)", async () => {
    const api = fakeApi({ "DELETE /v1/budget": new Reply(204, null) });
    const r = await runCli(["budget", "clear"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("budget removed\n");
    expect(api.requests[0]!.method).toBe("DELETE");
  });
});

describe("sepo tasks add-examples", () => {
  const appended = (req: RecordedRequest, p: Record<string, string>) =>
    new Reply(201, { taskId: p.id, added: (req.body as { examples: unknown[] }).examples.length, counts: { train: 6, val: 3, test: 3 } });

  it("sends a JSONL file's examples and prints the new counts", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/examples": appended });
    const cwd = tempDir();
    writeFileSync(join(cwd, "more.jsonl"), '{"input":"a","expected":"A"}\n{"input":"b","expected":"B","split":"test"}\n');
    const r = await runCli(["tasks", "add-examples", "task_1", "--file", "more.jsonl"], { cwd, fetch: api.fetch });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/v1/tasks/task_1/examples", body: { examples: [{ input: "a", expected: "A" }, { input: "b", expected: "B", split: "test" }] } });
    expect(r.stdout).toBe("added 2 example(s) to task_1: now train 6, val 3, test 3\n");
  });

  it("takes a JSON list or {examples}, and --split fills only examples without one", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/examples": appended });
    const cwd = tempDir();
    writeFileSync(join(cwd, "list.json"), JSON.stringify([{ input: "a", expected: "A" }, { input: "b", expected: "B", split: "test" }]));
    writeFileSync(join(cwd, "obj.json"), JSON.stringify({ examples: [{ input: "c", expected: "C" }] }));
    await runCli(["tasks", "add-examples", "task_1", "--file", "list.json", "--split", "val"], { cwd, fetch: api.fetch });
    expect(api.requests[0]!.body).toEqual({ examples: [{ input: "a", expected: "A", split: "val" }, { input: "b", expected: "B", split: "test" }] });
    const json = await runCli(["tasks", "add-examples", "task_1", "--file", "obj.json", "--json"], { cwd, fetch: api.fetch });
    expect(api.requests[1]!.body).toEqual({ examples: [{ input: "c", expected: "C" }] });
    expect(JSON.parse(json.stdout)).toEqual({ taskId: "task_1", added: 1, counts: { train: 6, val: 3, test: 3 } });
  });

  it("exits 2 without --file or with a bad --split, 1 on a bad line or the API's 413", async () => {
    const api = fakeApi({ "POST /v1/tasks/:id/examples": apiError(413, "Invalid request body: examples: task 'task_1' holds 4999 examples and takes at most 5000", "payload_too_large") });
    const cwd = tempDir();
    writeFileSync(join(cwd, "bad.jsonl"), '{"input":"a","expected":"A"}\nnot json\n');
    writeFileSync(join(cwd, "ok.jsonl"), '{"input":"a","expected":"A"}\n{"input":"b","expected":"B"}\n');
    expect((await runCli(["tasks", "add-examples", "task_1"], { cwd, fetch: api.fetch })).code).toBe(2);
    expect((await runCli(["tasks", "add-examples", "task_1", "--file", "ok.jsonl", "--split", "dev"], { cwd, fetch: api.fetch })).code).toBe(2);
    const bad = await runCli(["tasks", "add-examples", "task_1", "--file", "bad.jsonl"], { cwd, fetch: api.fetch });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad.jsonl line 2 is not valid JSON");
    expect(api.requests).toHaveLength(0);
    const full = await runCli(["tasks", "add-examples", "task_1", "--file", "ok.jsonl"], { cwd, fetch: api.fetch });
    expect(full.code).toBe(1);
    expect(full.stderr).toContain("takes at most 5000");
  });
});
