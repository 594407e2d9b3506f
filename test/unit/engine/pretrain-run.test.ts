import { describe, expect, it } from "vitest";
import { createRun, type DomainEvent, FIXED_META_OPTIMIZER_PROMPT, summarizeRun } from "../../../src/engine";
import { drive, makeInput, makeTask } from "./fake-executor";

type Of<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;
const ofType = <T extends DomainEvent["type"]>(events: DomainEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);

describe("pre-training", () => {
  const run = (config = {}) => drive(createRun(makeInput({ kind: "pretrain", config }), 0));

  it("evolves the prompt agent and ends with a snapshot", () => {
    const { state, events } = run();
    expect(state.status).toBe("completed");
    const report = ofType(events, "run.finished")[0]!.report;
    expect(report.kind).toBe("pretrain");
    // The seed agent adds one keyword: gain 0.2 on each pool task.
    expect(report.agentFitness?.seed).toBeCloseTo(0.2);
    expect(report.agentFitness!.champion).toBeGreaterThan(report.agentFitness!.seed);
    expect(report.championText).toMatch(/RULE/);
    expect(report.tasks.map((t) => t.taskId)).toEqual(["p1", "p2"]);
    for (const t of report.tasks) {
      expect(t.seed.val).toBeCloseTo(0.2);
      expect(t.champion.val!).toBeGreaterThan(0.4);
    }
    const snapshot = ofType(events, "snapshot.created");
    expect(snapshot).toHaveLength(1);
    expect(snapshot[0]).toMatchObject({ agentCandidateId: report.championId, text: report.championText, fitness: report.agentFitness!.champion });
    expect(snapshot[0]!.lineage[0]).toBe("run_1:c0");
    expect(snapshot[0]!.lineage.at(-1)).toBe(report.championId);
    const kinds = events.map((e) => e.type);
    expect(kinds.indexOf("snapshot.created")).toBe(kinds.length - 2);
  });

  it("scores each pool task's seed prompt once, on train and val", () => {
    const { jobs, events } = run();
    const created = ofType(events, "candidate.created").map((e) => e.candidate);
    const seedTasks = created.filter((c) => c.kind === "task" && c.parentId === null);
    expect(seedTasks.map((c) => c.taskId)).toEqual(["p1", "p2"]);
    for (const c of seedTasks) {
      const splits = jobs.filter((j) => j.type === "evaluate" && j.candidateId === c.id).map((j) => (j.type === "evaluate" ? j.split : ""));
      expect(new Set(splits)).toEqual(new Set(["train", "val"]));
    }
    expect(created.filter((c) => c.kind === "agent").every((c) => c.taskId === null)).toBe(true);
  });

  it("self-referential proposals: parent as system prompt, a track record per pool task", () => {
    const { jobs, state } = run();
    const agentProposals = jobs.filter((j) => j.type === "propose" && j.mode === "agent");
    expect(agentProposals).toHaveLength(6);
    for (const p of agentProposals) {
      if (p.type !== "propose") continue;
      expect(p.systemPrompt).toBe(p.parentPrompt);
      expect(p.feedback).toEqual([]);
      expect(p.trackRecord.map((t) => t.taskId)).toEqual(["p1", "p2"]);
      for (const t of p.trackRecord) {
        expect(t.seedPrompt).toBe("Solve the task.");
        expect(t.producedScore).toBeGreaterThan(t.seedScore);
        expect(t.failures.length).toBeLessThanOrEqual(4);
        for (const f of t.failures) expect(state.candidates[f.candidateId]?.text).toBe(t.producedPrompt);
      }
    }
    const inner = jobs.filter((j) => j.type === "propose" && j.mode === "task");
    for (const p of inner) if (p.type === "propose") expect(p.taskId).toMatch(/^p[12]$/);
  });

  it("uses the fixed meta-optimizer when self-improvement is off", () => {
    const { jobs, state } = run({ selfImprove: false });
    const agentProposals = jobs.filter((j) => j.type === "propose" && j.mode === "agent");
    expect(agentProposals.every((p) => p.type === "propose" && p.systemPrompt === FIXED_META_OPTIMIZER_PROMPT)).toBe(true);
    expect(state.status).toBe("completed");
  });

  it("runs several sequential inner steps from the best prompt so far", () => {
    const { state, jobs } = run({ innerSteps: 2, generations: 1, childrenPerGeneration: 1 });
    expect(state.status).toBe("completed");
    const seedRun = state.innerRuns["run_1:c0|p1"]!;
    expect(seedRun.stepsDone).toBe(2);
    // Step 2 proposed from step 1's child, which needed train scores for its feedback.
    const step1Child = Object.values(state.candidates).find((c) => c.parentId === seedRun.seedCandidateId && c.generation === 0 && c.taskId === "p1")!;
    expect(state.candidates[seedRun.bestChildId!]!.parentId).toBe(step1Child.id);
    expect(jobs.some((j) => j.type === "evaluate" && j.candidateId === step1Child.id && j.split === "train")).toBe(true);
    expect(seedRun.gain).toBeCloseTo(0.4);
  });

  it("a failed inner proposal contributes gain 0", () => {
    const { state } = drive(createRun(makeInput({ kind: "pretrain", config: { generations: 0 } }), 0), { proposer: () => null });
    expect(state.candidates["run_1:c0"]!.fitness).toBe(0);
    expect(state.report?.agentFitness).toEqual({ seed: 0, champion: 0 });
    expect(state.innerFailedProposals).toBe(2);
  });

  it("admits with the floor when the pool has one task", () => {
    const input = makeInput({ kind: "pretrain", tasks: [makeTask({ taskId: "solo" })], config: { epsilonFloor: 0.05 } });
    const { events } = drive(createRun(input, 0));
    const verdicts = [...ofType(events, "candidate.admitted"), ...ofType(events, "candidate.rejected")];
    expect(verdicts.length).toBe(6);
    expect(verdicts.every((v) => v.epsilon === 0.05)).toBe(true);
  });

  it("linear pre-training continues from the head and picks the champion among heads", () => {
    const { state } = run({ search: "linear" });
    expect(state.status).toBe("completed");
    expect(state.heads).toHaveLength(4);
    expect(state.heads).toContain(state.report?.championId);
  });

  it("summarizes agents with their per-task gains", () => {
    const summary = summarizeRun(run().state);
    expect(summary.archive[0]).toMatchObject({ kind: "agent", status: "seed" });
    expect(summary.archive[0]!.gains?.p1).toBeCloseTo(0.2);
    expect(summary.counts.candidates).toBe(7);
    expect(summary.counts.innerCandidates).toBeGreaterThan(0);
  });
});
