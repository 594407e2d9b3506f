/** The TextGrad-style baseline (method "textgrad") on the fake executor. */
import { describe, expect, it } from "vitest";
import { checkRunInput, createRun, decodeRunState, type DomainEvent, type Job, TEXTGRAD_OPTIMIZER_PROMPT } from "../../../src/engine";
import { drive, KEYWORDS, makeInput, makeTask, type Proposer } from "./fake-executor";

type Of<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;
const ofType = <T extends DomainEvent["type"]>(events: DomainEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);
type Propose = Extract<Job, { type: "propose" }>;
const proposals = (jobs: Job[]) => jobs.filter((j): j is Propose => j.type === "propose");

/** A critique names the next missing keyword; the rewrite adds what the critique names. */
const critiqueProposer: Proposer = (job) => {
  if (job.mode === "critique") return `Missing: ${KEYWORDS.find((k) => !job.parentPrompt.includes(k)) ?? "nothing"}`;
  const named = job.critique?.match(/Missing: (\w+)/)?.[1];
  return named && named !== "nothing" ? `${job.parentPrompt} ${named}` : `${job.parentPrompt} again`;
};

const textgrad = (config = {}, o: { seedPrompt?: string } = {}) =>
  makeInput({ config: { method: "textgrad", generations: 4, ...config }, tasks: [makeTask({ seedPrompt: o.seedPrompt ?? "Solve the task." })] });

describe("TextGrad-style fine-tuning", () => {
  it("runs a critique, then a rewrite that acts on it, per iteration; one child per iteration", () => {
    const { state, jobs, events } = drive(createRun(textgrad({ childrenPerGeneration: 3 }), 0), { proposer: critiqueProposer });
    expect(state.status).toBe("completed");
    const calls = proposals(jobs);
    expect(calls.map((j) => j.mode)).toEqual(["critique", "task", "critique", "task", "critique", "task", "critique", "task"]);
    for (let i = 0; i < calls.length; i += 2) {
      const [critique, rewrite] = [calls[i]!, calls[i + 1]!];
      expect(critique.systemPrompt).toBe(TEXTGRAD_OPTIMIZER_PROMPT);
      expect(rewrite.systemPrompt).toBe(TEXTGRAD_OPTIMIZER_PROMPT);
      expect(critique.critique).toBeUndefined();
      expect(rewrite.parentPrompt).toBe(critique.parentPrompt);
      // The rewrite sees the critique and the same minibatch.
      expect(rewrite.feedback).toEqual(critique.feedback);
      expect(rewrite.critique).toMatch(/^Missing: /);
    }
    expect(ofType(events, "generation.started")).toHaveLength(4);
    expect(state.report?.candidates).toBe(1 + 4);
    // Each rewrite added the keyword its critique named: the chain reaches the full prompt.
    expect(state.report?.tasks[0]?.champion.val).toBeCloseTo(1);
    expect(state.report?.championText).toBe("Solve the task. alpha beta gamma delta");
  });

  it("always continues from the latest prompt, even when it is worse", () => {
    let round = 0;
    // Rewrites alternate: worse (a keyword dropped), better (two keywords added).
    const proposer: Proposer = (job) => {
      if (job.mode === "critique") return "Some critique.";
      round++;
      return round % 2 === 1 ? `${job.parentPrompt.replace(/alpha|beta/, "")} worse${round}` : `${job.parentPrompt} gamma delta${round}`;
    };
    const { state, events } = drive(createRun(textgrad({}, { seedPrompt: "Use alpha beta." }), 0), { proposer });
    const children = ofType(events, "candidate.created").map((e) => e.candidate).slice(1);
    expect(children).toHaveLength(4);
    // A linear chain: every child's parent is the previous child, whatever its score.
    expect(children[0]!.parentId).toBe("run_1:c0");
    for (let i = 1; i < children.length; i++) expect(children[i]!.parentId).toBe(children[i - 1]!.id);
    expect(ofType(events, "candidate.rejected").map((e) => e.candidateId)).toContain(children[0]!.id);
    expect(state.heads).toEqual(["run_1:c0", ...children.map((c) => c.id)]);
    // The champion is chosen on validation among the seed and the whole chain.
    const valScored = new Set(ofType(events, "candidate.scored").filter((e) => e.split === "val").map((e) => e.candidateId));
    expect(valScored).toEqual(new Set(state.heads));
  });

  it("a failed critique or rewrite leaves the chain where it is", () => {
    let n = 0;
    const proposer: Proposer = (job) => {
      n++;
      if (n === 1) return null; // the first critique comes back empty
      if (job.mode === "critique") return "Add a keyword.";
      return n === 3 ? job.parentPrompt : `${job.parentPrompt} ${KEYWORDS[n % 4]}`; // the second rewrite is unchanged
    };
    const { state, events, jobs } = drive(createRun(textgrad({ generations: 3 }), 0), { proposer });
    const failed = ofType(events, "proposal.failed").map((e) => e.reason);
    expect(failed).toEqual(["critique: empty critique", "unchanged"]);
    expect(state.report?.failedProposals).toBe(2);
    // Generations 1 and 2 produced no child: generation 3 still starts from the seed.
    const calls = proposals(jobs);
    expect(calls.map((j) => j.mode)).toEqual(["critique", "critique", "task", "critique", "task"]);
    expect(calls.at(-1)!.parentPrompt).toBe("Solve the task.");
    expect(state.heads).toHaveLength(2);
    expect(state.status).toBe("completed");
  });

  it("is a fine-tuning baseline only, and takes no shared prompt", () => {
    expect(checkRunInput(makeInput({ kind: "pretrain", config: { method: "textgrad" } }))).toEqual(['method "textgrad" is a fine-tuning baseline: kind must be "finetune"']);
    expect(checkRunInput({ ...textgrad(), sharedPrompt: "Be good." })).toEqual(['sharedPrompt is only used by method "metaspo"']);
    expect(() => createRun(makeInput({ kind: "pretrain", config: { method: "textgrad" } }), 0)).toThrow(/kind must be "finetune"/);
  });

  it("is deterministic, also when the state is stored and decoded between steps", () => {
    const options = { order: "random" as const, seed: 5, usage: "random" as const, failRate: 0.1 };
    const a = drive(createRun(textgrad({ seed: 3 }), 0), options);
    const b = drive(createRun(textgrad({ seed: 3 }), 0), options);
    const decoded = drive(createRun(textgrad({ seed: 3 }), 0), { ...options, between: (s) => decodeRunState(JSON.parse(JSON.stringify(s))) });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(decoded.events).toEqual(a.events);
    expect(decoded.state).toEqual(a.state);
    expect(a.state.status).toBe("completed");
  });
});
