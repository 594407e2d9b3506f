import { describe, expect, it } from "vitest";
import { type BudgetLimits, createRng, createRun, nextFloat, nextInt, type RngState, type RunConfigInput, type Spend, step, withinLimits } from "../../../src/engine";
import { drive, makeInput } from "./fake-executor";

function randomLimits(rng: RngState): BudgetLimits {
  const limits: BudgetLimits = {};
  if (nextFloat(rng) < 0.7) limits.maxCalls = 5 + nextInt(rng, 150);
  if (nextFloat(rng) < 0.5) limits.maxTokens = 20_000 + nextInt(rng, 600_000);
  if (nextFloat(rng) < 0.5) limits.maxUsd = 0.001 + nextFloat(rng) * 0.5;
  return limits;
}

function randomConfig(rng: RngState): RunConfigInput {
  return {
    generations: nextInt(rng, 4),
    childrenPerGeneration: 1 + nextInt(rng, 3),
    evalChunkSize: 1 + nextInt(rng, 5),
    feedbackSize: 1 + nextInt(rng, 6),
    innerSteps: 1 + nextInt(rng, 2),
    search: nextFloat(rng) < 0.5 ? "open-ended" : "linear",
    seed: nextInt(rng, 1000),
    budget: randomLimits(rng),
    prices: { "task-model": { inputPerMTok: 0.3, outputPerMTok: 1.2 }, "agent-model": { inputPerMTok: 2, outputPerMTok: 8 } },
  };
}

const fits = (limits: BudgetLimits, spend: Spend) => withinLimits(limits, spend);
const plus = (a: Spend, b: Spend): Spend => ({
  calls: a.calls + b.calls,
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  usd: a.usd + b.usd,
});

describe("budget", () => {
  it("never exceeds a limit: spent, and spent + reserved, across random configs and usage", () => {
    let exhaustedRuns = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rng = createRng(seed);
      const kind = nextFloat(rng) < 0.5 ? "finetune" : "pretrain";
      const input = makeInput({ kind, config: randomConfig(rng) });
      const limits = input.config.budget;
      const start = createRun(input, 0);
      expect(fits(limits, plus(start.state.budget.spent, start.state.budget.reserved))).toBe(true);
      const { state, events } = drive(start, {
        seed,
        order: "random",
        usage: "random",
        failRate: 0.1,
        onStep: ({ state: s }) => {
          expect(fits(limits, s.budget.spent), `seed ${seed}: spent`).toBe(true);
          expect(fits(limits, plus(s.budget.spent, s.budget.reserved)), `seed ${seed}: spent + reserved`).toBe(true);
        },
      });
      expect(state.status, `seed ${seed}`).toBe("completed");
      const exhausted = events.filter((e) => e.type === "budget.exhausted");
      expect(exhausted.length).toBeLessThanOrEqual(1);
      if (exhausted.length === 1) {
        exhaustedRuns++;
        expect(state.stopReason).toBe("budget exhausted");
        expect(events.at(-1)).toMatchObject({ type: "run.finished", status: "completed", reason: "budget exhausted" });
      }
    }
    // The property must have been exercised on both outcomes.
    expect(exhaustedRuns).toBeGreaterThan(20);
    expect(exhaustedRuns).toBeLessThan(150);
  });

  it("finishes with 'budget exhausted' and the best candidate so far", () => {
    const input = makeInput({ config: { budget: { maxCalls: 40 } } });
    const { state, events } = drive(createRun(input, 0), { usage: 1 });
    expect(state.status).toBe("completed");
    expect(state.stopReason).toBe("budget exhausted");
    expect(state.budget.spent.calls).toBeLessThanOrEqual(40);
    expect(events.filter((e) => e.type === "budget.exhausted")).toHaveLength(1);
    const report = state.report!;
    // No validation scores yet: the champion is the best by train fitness.
    const champion = state.candidates[report.championId!]!;
    const best = Math.max(...Object.values(state.candidates).filter((c) => c.status !== "rejected").map((c) => c.fitness ?? -1));
    expect(champion.fitness).toBe(best);
    expect(best).toBeGreaterThan(0.2);
  });

  it("defers a job that does not fit while others are in flight", () => {
    // 10 train examples in chunks of 4, 4, 2 calls; with 9 calls allowed the third must wait.
    const start = createRun(makeInput({ config: { generations: 0, budget: { maxCalls: 9 } } }), 0);
    expect(start.jobs).toHaveLength(2);
    expect(start.state.queue).toHaveLength(1);
    const waiting = start.state.queue[0]!.job.jobId;
    const usage = { calls: 1, promptTokens: 0, completionTokens: 0 };
    const next = step(start.state, { type: "job.succeeded", jobId: start.jobs[0]!.jobId, result: { type: "evaluate", rows: [], usage } }, 1);
    expect(next.jobs.map((j) => j.jobId)).toEqual([waiting]);
    expect(next.state.queue).toHaveLength(0);
    expect(next.state.budget.reserved.calls).toBe(4 + 2);
  });

  it("exhausts at once when even the first job cannot fit", () => {
    const start = createRun(makeInput({ config: { budget: { maxCalls: 1 } } }), 0);
    expect(start.jobs).toEqual([]);
    expect(start.state.status).toBe("completed");
    expect(start.events.map((e) => e.type)).toEqual(["run.started", "candidate.created", "budget.exhausted", "run.finished"]);
    expect(start.state.report?.championId).toBe("run_1:c0");
  });
});
