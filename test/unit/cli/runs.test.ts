import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../../src/engine";
import { makeRun, member } from "./support/builders";
import { apiError, fakeApi, type RecordedRequest } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const RUN_ID = "run_0123456789abcdef0123456789abcdef";

/** A run's successive summaries: the fake API serves the next one on each poll, then repeats the last. */
function runSequence(states: RunSummary[]) {
  let i = 0;
  return () => states[Math.min(i++, states.length - 1)];
}

const spend = (calls: number) => ({ calls, promptTokens: calls * 100, completionTokens: calls * 10, usd: 0 });

function evolvingRun(final: Partial<RunSummary> = {}): RunSummary[] {
  const seed = member(0, 0.5);
  return [
    makeRun(),
    makeRun({ phase: "evolve", generation: 1, archive: [seed], best: { id: seed.id, fitness: 0.5, text: "s" } }),
    makeRun({ phase: "evolve", generation: 2, archive: [seed, member(1, 0.6)], best: { id: "c1", fitness: 0.6, text: "c1" }, counts: { ...makeRun().counts, candidates: 3, admitted: 1, rejected: 1 } }),
    makeRun({
      status: "completed",
      stopReason: "completed",
      phase: "done",
      generation: 3,
      archive: [seed, member(1, 0.6), member(3, 0.7)],
      best: { id: "c3", fitness: 0.7, text: "Best prompt." },
      budget: { ...makeRun().budget, spent: spend(42) },
      report: {
        kind: "finetune",
        championId: "c3",
        championText: "Best prompt.",
        tasks: [{ taskId: "task_1", seed: { val: 0.5, test: 0.45 }, champion: { val: 0.7, test: 0.65 } }],
        generations: 3,
        candidates: 6,
        admitted: 2,
        failedProposals: 0,
        spent: spend(42),
        spentByRole: { task: spend(40), agent: spend(2) },
      },
      ...final,
    }),
  ];
}

describe("sepo runs start", () => {
  it("sends a finetune request with config file, --set overrides and the agent", async () => {
    const api = fakeApi({ "POST /v1/runs": makeRun() });
    const cwd = tempDir();
    writeFileSync(join(cwd, "run.json"), JSON.stringify({ generations: 2, budget: { maxUsd: 1 } }));
    const argv = ["runs", "start", "finetune", "--task", "task_1", "--agent", "latest", "--config", "run.json", "--set", "generations=5", "--set", "budget.maxCalls=200", "--set", "search=linear", "--agent-model", "gpt-agent"];
    const r = await runCli(argv, { cwd, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({
      kind: "finetune",
      taskId: "task_1",
      agentSnapshotId: "latest",
      config: { generations: 5, budget: { maxUsd: 1, maxCalls: 200 }, search: "linear" },
      agentModel: { model: "gpt-agent" },
    });
    expect(r.stdout).toBe(`started finetune run ${RUN_ID}\nwatch it: sepo runs watch ${RUN_ID}\n`);
  });

  it("sends a pretrain request; --agent none omits the snapshot", async () => {
    const api = fakeApi({ "POST /v1/runs": makeRun({ kind: "pretrain" }) });
    await runCli(["runs", "start", "pretrain", "--tasks", "t1, t2", "--set", "seed=1"], { fetch: api.fetch });
    await runCli(["runs", "start", "finetune", "--task", "t1", "--agent", "none"], { fetch: api.fetch });
    expect(api.requests.map((r) => r.body)).toEqual([
      { kind: "pretrain", taskIds: ["t1", "t2"], config: { seed: 1 } },
      { kind: "finetune", taskId: "t1", config: {} },
    ]);
  });

  it.each([
    [["runs", "start"], "missing run kind"],
    [["runs", "start", "pretrain"], "pretrain needs --tasks"],
    [["runs", "start", "finetune"], "finetune needs --task"],
    [["runs", "start", "pretrain", "--tasks", "a", "--agent", "latest"], "--task and --agent apply to finetune"],
    [["runs", "start", "finetune", "--task", "a", "--set", "generations"], "--set takes key=value"],
  ])("exits 2 for %j", async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("estimates with --dry-run", async () => {
    const estimate = { dryRun: true, estimate: { calls: 1234, tokensUpperBound: 5_000_000, usdUpperBound: 0 }, config: { generations: 5, childrenPerGeneration: 2, budget: {} } };
    const api = fakeApi({ "POST /v1/runs": estimate });
    const r = await runCli(["runs", "start", "finetune", "--task", "t1", "--dry-run"], { fetch: api.fetch });
    expect(api.requests[0]!.query).toEqual({ dryRun: "true" });
    expect(r.stdout).toContain("1,234 LLM calls, 5,000,000 tokens");
    const json = await runCli(["runs", "start", "finetune", "--task", "t1", "--dry-run", "--json"], { fetch: api.fetch });
    expect(JSON.parse(json.stdout)).toEqual(estimate);
  });

  it("--watch follows the started run and prints only the final summary as JSON with --json", async () => {
    const next = runSequence(evolvingRun());
    const api = fakeApi({ "POST /v1/runs": makeRun(), "GET /v1/runs/:id": () => next() });
    const r = await runCli(["runs", "start", "finetune", "--task", "t1", "--watch", "--json"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe("completed");
    expect(r.stderr).toContain(`started finetune run ${RUN_ID}`);
    expect(r.stderr).toContain("gen 3/3");
  });
});

describe("sepo runs watch", () => {
  it("prints a line per change and per generation, then the result (not a terminal)", async () => {
    const next = runSequence(evolvingRun());
    const api = fakeApi({ "GET /v1/runs/:id": () => next() });
    const r = await runCli(["runs", "watch", RUN_ID], { fetch: api.fetch });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toContain("seed       fitness 0.500");
    expect(lines).toContain("gen 1/3    best 0.600 (+0.100)  admitted 1: 0.600");
    expect(lines).toContain("gen 2/3    best 0.600 (+0.000)  admitted 0");
    expect(lines).toContain("gen 3/3    best 0.700 (+0.100)  admitted 1: 0.700");
    expect(lines.filter((l) => l.startsWith("finetune running |"))).toHaveLength(3);
    expect(r.stdout).toContain("task task_1: val 0.500 -> 0.700, test 0.450 -> 0.650 (seed -> champion)");
    expect(r.stdout).toContain("champion c3:\n  Best prompt.");
    expect(r.stdout).toContain("LLM       42 calls, 4,620 tokens");
  });

  it("redraws one line with a bar on a terminal", async () => {
    const next = runSequence(evolvingRun());
    const api = fakeApi({ "GET /v1/runs/:id": () => next() });
    const r = await runCli(["runs", "watch", RUN_ID], { fetch: api.fetch, tty: true });
    expect(r.stdout).toContain("\r\x1b[2K[░░░░░░░░░░░░░░░░░░░░] finetune running | seed");
    expect(r.stdout).toContain("\r\x1b[2Kgen 1/3    best 0.600 (+0.100)  admitted 1: 0.600\n[███████░░░░░░░░░░░░░] finetune running | gen 2/3");
  });

  it.each([
    ["failed", "systemic failure: invalid API key"],
    ["cancelled", "cancelled through the API"],
  ] as const)("exits 3 when the run ends %s", async (status, reason) => {
    const next = runSequence(evolvingRun({ status, stopReason: reason }));
    const api = fakeApi({ "GET /v1/runs/:id": () => next() });
    const r = await runCli(["runs", "watch", RUN_ID], { fetch: api.fetch });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${status} (${reason})`);
  });

  it("does not report a generation a cancellation cut short", async () => {
    const cut = makeRun({ status: "cancelled", stopReason: "cancelled through the API", phase: "evolve", generation: 2, archive: [member(0, 0.5), member(1, 0.6)] });
    const api = fakeApi({ "GET /v1/runs/:id": cut });
    const r = await runCli(["runs", "watch", RUN_ID], { fetch: api.fetch });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("gen 1/3");
    expect(r.stdout).not.toContain("gen 2/3 ");
  });

  it("prints every generation for a run that already ended", async () => {
    const done = evolvingRun().at(-1)!;
    const api = fakeApi({ "GET /v1/runs/:id": done });
    const r = await runCli(["runs", "watch", RUN_ID], { fetch: api.fetch });
    expect(r.stdout.split("\n").slice(0, 4)).toEqual([
      "seed       fitness 0.500",
      "gen 1/3    best 0.600 (+0.100)  admitted 1: 0.600",
      "gen 2/3    best 0.600 (+0.000)  admitted 0",
      "gen 3/3    best 0.700 (+0.100)  admitted 1: 0.700",
    ]);
  });

  it("rides out a few failed polls, but not a 404", async () => {
    let polls = 0;
    const flaky = fakeApi({ "GET /v1/runs/:id": () => (++polls <= 2 ? apiError(503, "restarting", "unavailable") : evolvingRun().at(-1)) });
    expect((await runCli(["runs", "watch", RUN_ID], { fetch: flaky.fetch })).code).toBe(0);
    const missing = fakeApi({ "GET /v1/runs/:id": apiError(404, "No run with id 'run_x'.", "not_found") });
    const r = await runCli(["runs", "watch", "run_x"], { fetch: missing.fetch });
    expect(r.code).toBe(1);
    expect(missing.requests).toHaveLength(1);
  });

  it("gives up after --timeout with exit 1", async () => {
    const api = fakeApi({ "GET /v1/runs/:id": makeRun() });
    const r = await runCli(["runs", "watch", RUN_ID, "--timeout", "0"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is still running after 0s");
  });
});

describe("sepo runs list / get / cancel / candidates", () => {
  it("lists runs with filters", async () => {
    const record = { id: RUN_ID, kind: "finetune", status: "completed", taskIds: ["task_1"], agentSnapshotId: null, config: {}, reason: null, report: null, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "x", finishedAt: "2026-01-01T00:05:00.000Z" };
    const api = fakeApi({ "GET /v1/runs": { items: [record], nextCursor: null } });
    const r = await runCli(["runs", "list", "--task", "task_1", "--status", "completed"], { fetch: api.fetch });
    expect(api.requests[0]!.query).toEqual({ taskId: "task_1", status: "completed" });
    expect(r.stdout).toMatch(new RegExp(`${RUN_ID}\\s+finetune\\s+completed\\s+task_1`));
  });

  it("gets and cancels a run", async () => {
    const api = fakeApi({
      "GET /v1/runs/:id": evolvingRun().at(-1),
      "POST /v1/runs/:id/cancel": (req: RecordedRequest) => makeRun({ status: "cancelled", runId: req.path.split("/")[3]! }),
    });
    const got = await runCli(["runs", "get", RUN_ID], { fetch: api.fetch });
    expect(got.stdout).toContain(`${RUN_ID}  finetune  completed`);
    const cancelled = await runCli(["runs", "cancel", RUN_ID, "--json"], { fetch: api.fetch });
    expect(JSON.parse(cancelled.stdout).status).toBe("cancelled");
    expect(api.requests.at(-1)).toMatchObject({ method: "POST", path: `/v1/runs/${RUN_ID}/cancel` });
  });

  it("lists candidates", async () => {
    const candidate = { id: "cand_1", kind: "task", taskId: "task_1", parentId: null, generation: 0, status: "seed", fitness: 0.5, scores: {}, text: "Answer step by step.\nThen stop.", createdAt: "x" };
    const api = fakeApi({ "GET /v1/runs/:id/candidates": { items: [candidate] } });
    const r = await runCli(["runs", "candidates", RUN_ID, "--status", "seed"], { fetch: api.fetch });
    expect(api.requests[0]!.query).toEqual({ status: "seed" });
    expect(r.stdout).toMatch(/cand_1\s+task\s+0\s+seed\s+0\.500\s+-\s+Answer step by step\. …/);
  });
});
