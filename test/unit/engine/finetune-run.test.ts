import { describe, expect, it } from "vitest";
import { createRun, type DomainEvent, step, summarizeRun } from "../../../src/engine";
import { drive, makeInput, makeTask, type Proposer } from "./fake-executor";

type Of<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;
const ofType = <T extends DomainEvent["type"]>(events: DomainEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);

describe("fine-tuning, open-ended", () => {
  const run = () => drive(createRun(makeInput(), 1000));

  it("completes with a champion that beats the seed on validation", () => {
    const { state, events } = run();
    expect(state.status).toBe("completed");
    const finished = ofType(events, "run.finished");
    expect(finished).toHaveLength(1);
    const report = finished[0]!.report;
    expect(report.kind).toBe("finetune");
    expect(report.generations).toBe(3);
    const task = report.tasks[0]!;
    expect(task.seed.train).toBeCloseTo(0.2);
    expect(task.seed.val).toBeCloseTo(0.2);
    expect(task.champion.val!).toBeGreaterThan(task.seed.val!);
    expect(task.champion.test).toBeDefined();
    expect(task.seed.test).toBeDefined();
    expect(report.championId).not.toBe(`${state.runId}:c0`);
    expect(report.candidates).toBe(1 + 3 * 2);
    expect(events.at(-1)?.type).toBe("run.finished");
  });

  it("emits events in causal order", () => {
    const { events } = run();
    expect(events[0]?.type).toBe("run.started");
    expect(events[1]).toMatchObject({ type: "candidate.created", candidate: { status: "seed", generation: 0 } });
    const index = (pred: (e: DomainEvent) => boolean) => events.findIndex(pred);
    expect(index((e) => e.type === "generation.started")).toBeGreaterThan(index((e) => e.type === "candidate.scored"));
    // each child: created -> scored -> admitted/rejected; evaluation.recorded precedes candidate.scored
    for (const created of ofType(events, "candidate.created").slice(1)) {
      const id = created.candidate.id;
      const c = index((e) => e === created);
      const scored = index((e) => e.type === "candidate.scored" && e.candidateId === id && e.split === "train");
      const recorded = index((e) => e.type === "evaluation.recorded" && e.candidateId === id && e.split === "train");
      const verdict = index((e) => (e.type === "candidate.admitted" || e.type === "candidate.rejected") && e.candidateId === id);
      expect(c).toBeLessThan(recorded);
      expect(recorded).toBeLessThan(scored);
      expect(scored).toBeLessThan(verdict);
    }
    expect(ofType(events, "generation.completed").map((e) => e.generation)).toEqual([1, 2, 3]);
    // The seed's fitness is reported once, after its train scores and before generation 1.
    const seedId = (events[1] as Extract<DomainEvent, { type: "candidate.created" }>).candidate.id;
    expect(ofType(events, "candidate.fitness")).toEqual([expect.objectContaining({ candidateId: seedId, fitness: expect.any(Number) })]);
    expect(index((e) => e.type === "candidate.fitness")).toBeLessThan(index((e) => e.type === "generation.started"));
  });

  it("gives proposals the frozen agent prompt, the parent text and 1:1 feedback refs", () => {
    const { jobs, state } = run();
    const proposals = jobs.filter((j) => j.type === "propose");
    expect(proposals).toHaveLength(6);
    for (const p of proposals) {
      if (p.type !== "propose") continue;
      expect(p.mode).toBe("task");
      expect(p.systemPrompt).toBe("You improve prompts.");
      expect(p.model).toEqual({ role: "agent", model: "agent-model" });
      expect(p.maxOutputTokens).toBe(state.config.maxOutputTokens.agent);
      expect(p.feedback.length).toBeLessThanOrEqual(4);
      expect(p.trackRecord).toEqual([]);
    }
    expect(jobs.map((j) => j.jobId)).toEqual(jobs.map((_, i) => `run_1:j${i}`).filter((id) => jobs.some((j) => j.jobId === id)));
  });

  it("scores every candidate on the same train examples, in chunks", () => {
    const { jobs } = run();
    const evals = jobs.filter((j) => j.type === "evaluate" && j.split === "train");
    for (const j of evals) if (j.type === "evaluate") expect(j.exampleIds.length).toBeLessThanOrEqual(4);
    const byCandidate = new Map<string, string[]>();
    for (const j of evals) if (j.type === "evaluate") byCandidate.set(j.candidateId, [...(byCandidate.get(j.candidateId) ?? []), ...j.exampleIds]);
    const sets = [...byCandidate.values()].map((ids) => ids.join(","));
    expect(new Set(sets).size).toBe(1);
  });

  it("uses a seeded subset of train when it is larger than fitnessExamples", () => {
    const input = makeInput({ config: { fitnessExamples: 6, generations: 0 }, tasks: [makeTask({ train: 20 })] });
    const a = createRun(input, 0).state.exampleSets.t1!.train;
    expect(a).toHaveLength(6);
    expect([...a].sort((x, y) => Number(x.split(":")[2]) - Number(y.split(":")[2]))).toEqual(a);
    expect(createRun(input, 0).state.exampleSets.t1!.train).toEqual(a);
  });

  it("summarizes the run", () => {
    const { state } = run();
    const summary = summarizeRun(state);
    expect(summary).toMatchObject({ runId: "run_1", kind: "finetune", status: "completed", generation: 3, generations: 3, phase: "done" });
    expect(summary.archive[0]).toMatchObject({ id: "run_1:c0", parentId: null, generation: 0, status: "seed", fitness: 0.2 });
    expect(summary.archive[0]!.children).toBeGreaterThan(0);
    expect(summary.archive[0]!.scores.t1?.train).toEqual({ mean: 0.2, scored: 10, n: 10 });
    expect(summary.counts.candidates).toBe(7);
    expect(summary.counts.admitted + summary.counts.rejected).toBe(6);
    expect(summary.counts.jobsPending).toBe(0);
    expect(summary.best?.fitness).toBeGreaterThan(0.2);
    expect(summary.report?.championId).toBeTruthy();
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it("counts unchanged and missing prompts as failed proposals", () => {
    let n = 0;
    const proposer: Proposer = (job) => (n++ % 2 === 0 ? job.parentPrompt : null);
    const { events, state } = drive(createRun(makeInput(), 0), { proposer });
    const failed = ofType(events, "proposal.failed");
    expect(failed).toHaveLength(6);
    expect(failed.map((e) => e.reason)).toContain("unchanged");
    expect(failed.map((e) => e.reason)).toContain("no prompt in answer");
    expect(state.status).toBe("completed");
    expect(state.report?.championId).toBe("run_1:c0");
    expect(state.report?.failedProposals).toBe(6);
  });

  it("rejects children worse than the parent beyond epsilon and never picks them as parents", () => {
    const worse: Proposer = (job) => `${job.parentPrompt.replace(/alpha|beta|gamma|delta/g, "")} worse`;
    const input = makeInput({ tasks: [makeTask({ seedPrompt: "Use alpha beta." })] });
    const { events, state } = drive(createRun(input, 0), { proposer: worse });
    expect(ofType(events, "candidate.rejected")).toHaveLength(6);
    const proposals = ofType(events, "candidate.created").slice(1);
    expect(proposals.every((e) => e.candidate.parentId === "run_1:c0")).toBe(true);
    expect(state.report?.championId).toBe("run_1:c0");
  });
});

describe("fine-tuning, linear (w/o open-ended evolution)", () => {
  it("always continues from the latest head, even when it is worse", () => {
    let round = 0;
    // Generation 1 worsens the prompt; later ones improve it.
    const proposer: Proposer = (job) => (round++ < 2 ? `${job.parentPrompt.replace("alpha", "")} worse${round}` : `${job.parentPrompt} gamma${round}`);
    const input = makeInput({ config: { search: "linear" }, tasks: [makeTask({ seedPrompt: "Use alpha." })] });
    const { events, state } = drive(createRun(input, 0), { proposer });
    const created = ofType(events, "candidate.created").map((e) => e.candidate);
    const gen = (g: number) => created.filter((c) => c.generation === g);
    expect(new Set(gen(1).map((c) => c.parentId))).toEqual(new Set(["run_1:c0"]));
    expect(ofType(events, "candidate.rejected").map((e) => e.candidateId)).toEqual(gen(1).map((c) => c.id));
    // The head moved to a rejected generation-1 child: generation 2 comes from it.
    const g2Parents = new Set(gen(2).map((c) => c.parentId));
    expect(g2Parents.size).toBe(1);
    expect(gen(1).map((c) => c.id)).toContain([...g2Parents][0]);
    expect(new Set(gen(3).map((c) => c.parentId)).size).toBe(1);
    expect(state.heads).toHaveLength(4);
    // Validation covered the seed and every head.
    const valScored = ofType(events, "candidate.scored").filter((e) => e.split === "val").map((e) => e.candidateId);
    expect(new Set(valScored)).toEqual(new Set(state.heads));
    expect(state.status).toBe("completed");
  });
});

describe("Manual-CoT baseline (G = 0)", () => {
  it("scores the seed on train, val and test and finishes with it as champion", () => {
    const { events, jobs, state } = drive(createRun(makeInput({ config: { generations: 0 } }), 0));
    expect(jobs.every((j) => j.type === "evaluate")).toBe(true);
    const report = ofType(events, "run.finished")[0]!.report;
    expect(report.championId).toBe("run_1:c0");
    expect(report.tasks[0]!.seed).toEqual({ train: 0.2, val: 0.2, test: 0.2 });
    expect(report.tasks[0]!.champion).toEqual(report.tasks[0]!.seed);
    expect(ofType(events, "generation.started")).toHaveLength(0);
    expect(state.status).toBe("completed");
  });

  it("skips a split with no examples", () => {
    const { state } = drive(createRun(makeInput({ config: { generations: 0 }, tasks: [makeTask({ test: 0, val: 0 })] }), 0));
    expect(state.status).toBe("completed");
    expect(state.report?.tasks[0]?.seed).toEqual({ train: 0.2 });
  });
});

describe("cancel, failures, odd results", () => {
  it("cancels: status cancelled, no more jobs, results afterwards ignored", () => {
    const start = createRun(makeInput(), 0);
    const cancelled = step(start.state, { type: "cancel", reason: "user asked" }, 5);
    expect(cancelled.state.status).toBe("cancelled");
    expect(cancelled.jobs).toEqual([]);
    expect(cancelled.events.at(-1)).toMatchObject({ type: "run.finished", status: "cancelled", reason: "user asked", report: { championId: "run_1:c0" } });
    const job = start.jobs[0]!;
    const late = step(cancelled.state, { type: "job.failed", jobId: job.jobId, reason: "x" }, 6);
    expect(late.ignored).toBe(true);
    expect(late.state).toBe(cancelled.state);
    expect(step(cancelled.state, { type: "cancel", reason: "again" }, 7).ignored).toBe(true);
  });

  it("halts on a systemic failure: status failed with the reason, nothing more dispatched", () => {
    const start = createRun(makeInput(), 0);
    const halted = step(start.state, { type: "halt", reason: "auth: invalid API key" }, 5);
    expect(halted.state.status).toBe("failed");
    expect(halted.jobs).toEqual([]);
    expect(halted.events.at(-1)).toMatchObject({ type: "run.finished", status: "failed", reason: "auth: invalid API key" });
    expect(step(halted.state, { type: "job.failed", jobId: start.jobs[0]!.jobId, reason: "x" }, 6).ignored).toBe(true);
  });

  it("ignores unknown job ids and replays (idempotence)", () => {
    const start = createRun(makeInput(), 0);
    const job = start.jobs[0]!;
    if (job.type !== "evaluate") throw new Error("expected an evaluation first");
    const result = { type: "evaluate" as const, rows: [], usage: { calls: 1, promptTokens: 1, completionTokens: 1 } };
    const first = step(start.state, { type: "job.succeeded", jobId: job.jobId, result }, 1);
    expect(first.ignored).toBe(false);
    const before = JSON.stringify(first.state);
    const again = step(first.state, { type: "job.succeeded", jobId: job.jobId, result }, 2);
    expect(again).toEqual({ state: first.state, jobs: [], events: [], ignored: true });
    expect(JSON.stringify(first.state)).toBe(before);
    expect(step(first.state, { type: "job.succeeded", jobId: "nope", result }, 3).ignored).toBe(true);
  });

  it("scores missing rows and failed evaluations 0 with a reason, and keeps going", () => {
    const start = createRun(makeInput({ config: { generations: 0 } }), 0);
    const [a, b] = start.jobs;
    if (a?.type !== "evaluate" || b?.type !== "evaluate") throw new Error("expected evaluations");
    const usage = { calls: 0, promptTokens: 0, completionTokens: 0 };
    const rows = [{ exampleId: a.exampleIds[0]!, output: "x", score: 1, feedback: "ok", promptTokens: 0, completionTokens: 0 }, { exampleId: "stranger", output: "", score: 1, feedback: "", promptTokens: 0, completionTokens: 0 }];
    const one = step(start.state, { type: "job.succeeded", jobId: a.jobId, result: { type: "evaluate", rows, usage } }, 1);
    const recorded = one.events.find((e) => e.type === "evaluation.recorded");
    expect(recorded?.type === "evaluation.recorded" && recorded.rows.map((r) => [r.exampleId, r.score, r.feedback])).toEqual(
      a.exampleIds.map((id, i) => [id, i === 0 ? 1 : 0, i === 0 ? "ok" : "missing result"]),
    );
    const two = step(one.state, { type: "job.failed", jobId: b.jobId, reason: "provider said no", usage: { calls: 2, promptTokens: 5, completionTokens: 5 } }, 2);
    const rec2 = two.events.find((e) => e.type === "evaluation.recorded");
    expect(rec2?.type === "evaluation.recorded" && rec2.rows.every((r) => r.score === 0 && r.feedback === "provider said no")).toBe(true);
    expect(two.events[0]).toMatchObject({ type: "job.settled", jobId: b.jobId, usage: { calls: 2 } });
    expect(two.state.budget.spent.calls).toBe(2);
    const mismatch = step(two.state, { type: "job.succeeded", jobId: start.jobs[2]!.jobId, result: { type: "propose", text: "x", raw: "", usage } }, 3);
    expect(mismatch.ignored).toBe(false);
    const rec3 = mismatch.events.find((e) => e.type === "evaluation.recorded");
    expect(rec3?.type === "evaluation.recorded" && rec3.rows.every((r) => r.feedback === "missing result")).toBe(true);
  });

  it("completes even when many jobs fail", () => {
    for (const seed of [1, 2, 3]) {
      const { state } = drive(createRun(makeInput(), 0), { failRate: 0.3, seed, order: "random" });
      expect(state.status).toBe("completed");
      expect(state.pending).toEqual([]);
    }
  });

  it("refuses an input it cannot run", () => {
    expect(() => createRun(makeInput({ tasks: [makeTask(), makeTask({ taskId: "t2" })] }), 0)).toThrow(/exactly one task/);
    expect(() => createRun(makeInput({ tasks: [makeTask({ train: 0 })] }), 0)).toThrow(/no train examples/);
  });
});
