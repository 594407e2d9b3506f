/** The MetaSPO-style baseline (method "metaspo") on the fake executor: pre-training a shared system prompt, and fine-tuning under it. */
import { describe, expect, it } from "vitest";
import { createRun, decodeRunState, type DomainEvent, type Job, METASPO_OPTIMIZER_PROMPT, METASPO_SEED_SYSTEM_PROMPT, summarizeRun } from "../../../src/engine";
import { drive, makeInput, makeTask, type Proposer } from "./fake-executor";

type Of<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;
const ofType = <T extends DomainEvent["type"]>(events: DomainEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);
type Propose = Extract<Job, { type: "propose" }>;
const proposals = (jobs: Job[], mode: Propose["mode"]) => jobs.filter((j): j is Propose => j.type === "propose" && j.mode === mode);

const pretrain = (config = {}, sharedPrompt?: string) => ({
  ...makeInput({ kind: "pretrain", config: { method: "metaspo", generations: 4, ...config } }),
  ...(sharedPrompt ? { sharedPrompt } : {}),
});

describe("MetaSPO-style pre-training", () => {
  it("keeps a new shared prompt only when the mean validation score over the pool improves", () => {
    let generation = 0;
    // Outer steps: better, equal, worse, better. Inner steps fail, so fitness = mean start score.
    const proposer: Proposer = (job) => {
      if (job.mode !== "system") return null;
      generation++;
      if (generation === 1) return `${job.parentPrompt} alpha`;
      if (generation === 2) return `${job.parentPrompt} noise`;
      if (generation === 3) return job.parentPrompt.replace(" alpha", " worse");
      return `${job.parentPrompt} beta`;
    };
    const { state, events, jobs } = drive(createRun(pretrain(), 0), { proposer });
    expect(state.status).toBe("completed");
    const shared = ofType(events, "candidate.created").map((e) => e.candidate).filter((c) => c.kind === "agent");
    expect(shared.map((c) => c.text)).toEqual([
      METASPO_SEED_SYSTEM_PROMPT,
      `${METASPO_SEED_SYSTEM_PROMPT} alpha`,
      `${METASPO_SEED_SYSTEM_PROMPT} alpha noise`,
      `${METASPO_SEED_SYSTEM_PROMPT} worse`,
      `${METASPO_SEED_SYSTEM_PROMPT} alpha beta`,
    ]);
    const [s0, s1, s2, s3, s4] = shared.map((c) => state.candidates[c.id]!);
    expect([s0, s1, s2, s3, s4].map((c) => c!.fitness)).toEqual([0.2, 0.4, 0.4, 0.2, 0.6]);
    // Greedy and strict: the equal and the worse one are discarded, the chain stays on s1.
    expect([s1, s2, s3, s4].map((c) => c!.status)).toEqual(["admitted", "rejected", "rejected", "admitted"]);
    expect(ofType(events, "candidate.rejected").every((e) => e.epsilon === 0)).toBe(true);
    expect([s2, s3, s4].map((c) => c!.parentId)).toEqual([s1!.id, s1!.id, s1!.id]);
    expect(state.heads).toEqual([s0!.id, s1!.id, s4!.id]);
    expect(proposals(jobs, "system").map((j) => j.parentPrompt)).toEqual([s0!.text, s1!.text, s1!.text, s1!.text]);
    // The product is the shared system prompt.
    const snapshot = ofType(events, "snapshot.created");
    expect(snapshot).toHaveLength(1);
    expect(snapshot[0]).toMatchObject({ agentCandidateId: s4!.id, text: s4!.text, fitness: 0.6, lineage: [s0!.id, s1!.id, s4!.id] });
    expect(state.report?.agentFitness).toEqual({ seed: 0.2, champion: 0.6 });
  });

  it("scores every task's seed prompt under each shared prompt, then adapts only the task part", () => {
    const { state, jobs } = drive(createRun(pretrain({ generations: 2 }), 0));
    expect(state.status).toBe("completed");
    const inner = proposals(jobs, "task");
    expect(inner).toHaveLength(3 * 2);
    for (const job of inner) {
      expect(job.systemPrompt).toBe(METASPO_OPTIMIZER_PROMPT);
      expect(job.parentPrompt).toBe("Solve the task.");
      expect(job.sharedPrompt).toBeDefined();
      // The feedback is the start's: the shared prompt + the task's seed prompt, scored on train first.
      const start = state.candidates[job.feedback[0]!.candidateId]!;
      expect(start.text).toBe(`${job.sharedPrompt}\n\nSolve the task.`);
      expect(start.scores[job.taskId!]?.val?.every((x) => x !== null)).toBe(true);
    }
    for (const child of Object.values(state.candidates).filter((c) => c.kind === "task" && c.parentId !== null && c.text.endsWith("alpha"))) {
      const run = Object.values(state.innerRuns).find((r) => r.bestChildId === child.id)!;
      expect(child.text).toBe(`${state.candidates[run.agentId]!.text}\n\nSolve the task. alpha`);
    }
    const outer = proposals(jobs, "system");
    expect(outer).toHaveLength(2);
    for (const job of outer) {
      expect(job.systemPrompt).toBe(METASPO_OPTIMIZER_PROMPT);
      expect(job.trackRecord.map((t) => t.taskId)).toEqual(["p1", "p2"]);
      for (const t of job.trackRecord) expect(t.producedPrompt.startsWith(`${job.parentPrompt}\n\n`)).toBe(true);
    }
    // Fitness is the level reached after adaptation (0.2 at the start, 0.4 after one keyword), not the gain.
    expect(state.candidates[state.seedId]!.fitness).toBeCloseTo(0.4);
    expect(summarizeRun(state).archive[0]!.gains).toEqual({ p1: expect.closeTo(0.2), p2: expect.closeTo(0.2) });
  });

  it("starts from the given shared prompt", () => {
    const { state } = drive(createRun(pretrain({ generations: 1 }, "Be exact. gamma"), 0));
    expect(state.candidates[state.seedId]!.text).toBe("Be exact. gamma");
    expect(state.candidates[state.seedTasks.p1!]!.text).toBe("Be exact. gamma\n\nSolve the task.");
    expect(state.report?.tasks.map((t) => t.seed.val)).toEqual([0.4, 0.4]);
  });
});

describe("MetaSPO-style fine-tuning", () => {
  const input = (config = {}) => ({
    ...makeInput({ config: { method: "metaspo", generations: 3, childrenPerGeneration: 4, ...config } }),
    sharedPrompt: "Shared alpha.",
  });

  it("prefixes the seed with the shared prompt and keeps a rewrite of the task part only when it is better", () => {
    const adds = ["beta", "alpha", "gamma"];
    let n = 0;
    const proposer: Proposer = (job) => `${job.parentPrompt} ${adds[n++]}`;
    const { state, events, jobs } = drive(createRun(input(), 0), { proposer });
    expect(state.status).toBe("completed");
    const created = ofType(events, "candidate.created").map((e) => e.candidate);
    expect(created.map((c) => c.text)).toEqual([
      "Shared alpha.\n\nSolve the task.",
      "Shared alpha.\n\nSolve the task. beta",
      // alpha is already in the shared prompt: no better, so discarded; gamma comes from the beta child.
      "Shared alpha.\n\nSolve the task. beta alpha",
      "Shared alpha.\n\nSolve the task. beta gamma",
    ]);
    expect(created.slice(1).map((c) => state.candidates[c.id]!.status)).toEqual(["admitted", "rejected", "admitted"]);
    const calls = proposals(jobs, "task");
    expect(calls).toHaveLength(3);
    for (const job of calls) {
      expect(job.systemPrompt).toBe(METASPO_OPTIMIZER_PROMPT);
      expect(job.sharedPrompt).toBe("Shared alpha.");
      expect(job.parentPrompt.startsWith("Solve the task.")).toBe(true);
    }
    expect(state.heads).toEqual([created[0]!.id, created[1]!.id, created[3]!.id]);
    expect(state.report?.championText).toBe("Shared alpha.\n\nSolve the task. beta gamma");
    expect(state.report?.tasks[0]?.seed.train).toBeCloseTo(0.4);
    expect(state.report?.tasks[0]?.champion.train).toBeCloseTo(0.8);
  });

  it("without a shared prompt is a greedy linear fine-tuning with the fixed optimizer", () => {
    const { state, jobs } = drive(createRun(makeInput({ config: { method: "metaspo", generations: 2 } }), 0));
    expect(state.candidates[state.seedId]!.text).toBe("Solve the task.");
    expect(proposals(jobs, "task").every((j) => j.sharedPrompt === undefined && j.systemPrompt === METASPO_OPTIMIZER_PROMPT)).toBe(true);
    expect(state.report?.championText).toBe("Solve the task. alpha beta");
  });

  it("is deterministic across a JSON round trip (and decode) between steps", () => {
    const options = { order: "random" as const, seed: 11, usage: "random" as const, failRate: 0.1 };
    for (const start of [input({ seed: 4 }), pretrain({ innerSteps: 2, seed: 4 })]) {
      const plain = drive(createRun(start, 0), options);
      const stored = drive(createRun(start, 0), { ...options, between: (s) => JSON.parse(JSON.stringify(s)) });
      const decoded = drive(createRun(start, 0), { ...options, between: (s) => decodeRunState(JSON.parse(JSON.stringify(s))) });
      expect(plain.state.status).toBe("completed");
      expect(JSON.stringify(stored.events)).toBe(JSON.stringify(plain.events));
      expect(JSON.stringify(stored.state)).toBe(JSON.stringify(plain.state));
      expect(decoded.events).toEqual(plain.events);
      expect(decoded.state).toEqual(plain.state);
    }
  });

  it("decodes a state stored before methods existed as a SePO run", () => {
    const { state } = drive(createRun(makeInput(), 0));
    const old = JSON.parse(JSON.stringify(state));
    delete old.sharedPrompt;
    delete old.config.method;
    const decoded = decodeRunState(old);
    expect(decoded.sharedPrompt).toBeNull();
    expect(decoded.config.method).toBe("sepo");
  });
});
