import { describe, expect, it } from "vitest";
import { createRun, estimateJob, estimateRun, type CreateRunInput, type Job, type RunState, step } from "../../../src/engine";
import { makeInput, makeTask } from "./fake-executor";

/**
 * The most expensive run the engine can make: every proposal succeeds with a prompt at
 * the maximum length (3-byte characters), every example scores 0, so every child ties its parent and is admitted, and every track record has failures to show.
 */
function simulateWorstCase(input: CreateRunInput) {
  let out = createRun(input, 0);
  const queue: Job[] = [...out.jobs];
  const total = { calls: 0, tokens: 0, usd: 0 };
  const tally = (state: RunState, jobs: Job[]) => {
    for (const job of jobs) {
      const e = estimateJob(state, job);
      total.calls += e.calls;
      total.tokens += e.promptTokens + e.completionTokens;
      total.usd += e.usd;
    }
  };
  tally(out.state, out.jobs);
  let n = 0;
  const usage = { calls: 0, promptTokens: 0, completionTokens: 0 };
  while (queue.length > 0) {
    const job = queue.shift()!;
    const tag = `${n++}:`;
    const text = tag + "\u0800".repeat(input.config.maxPromptChars - tag.length);
    const result =
      job.type === "propose"
        ? { type: "propose" as const, text, raw: "", usage }
        : { type: "evaluate" as const, rows: job.exampleIds.map((exampleId) => ({ exampleId, output: "", score: 0, feedback: "", promptTokens: 0, completionTokens: 0 })), usage };
    out = step(out.state, { type: "job.succeeded", jobId: job.jobId, result }, 0);
    tally(out.state, out.jobs);
    queue.push(...out.jobs);
  }
  expect(out.state.status).toBe("completed");
  return total;
}

const prices = { "task-model": { inputPerMTok: 0.5, outputPerMTok: 1.5 }, "agent-model": { inputPerMTok: 3, outputPerMTok: 15 } };

describe("estimateRun", () => {
  const cases = [
    ["fine-tuning", makeInput({ config: { prices, maxPromptChars: 300 } })],
    ["linear fine-tuning", makeInput({ config: { prices, search: "linear", maxPromptChars: 300 } })],
    ["baseline", makeInput({ config: { prices, generations: 0 } })],
    ["pre-training", makeInput({ kind: "pretrain", config: { prices, innerSteps: 2, maxPromptChars: 300 } })],
    ["pre-training, fixed optimizer", makeInput({ kind: "pretrain", config: { prices, selfImprove: false, maxPromptChars: 300 } })],
  ] as const;

  for (const [name, input] of cases) {
    it(`${name}: bounds the worst-case run the engine actually makes`, () => {
      const estimate = estimateRun(input);
      const simulated = simulateWorstCase(input);
      expect(estimate.calls).toBeGreaterThanOrEqual(simulated.calls);
      // The closed form only adds the champion's test split, which the simulation gives to the seed.
      expect(estimate.calls).toBeLessThanOrEqual(simulated.calls + 5);
      expect(estimate.tokensUpperBound).toBeGreaterThanOrEqual(simulated.tokens);
      expect(estimate.tokensUpperBound).toBeLessThan(simulated.tokens * 1.5);
      expect(estimate.usdUpperBound).toBeGreaterThanOrEqual(simulated.usd * (1 - 1e-12));
      expect(estimate.usdUpperBound).toBeGreaterThan(0);
    });
  }

  it("ignores the budget", () => {
    const capped = makeInput({ config: { prices, budget: { maxCalls: 5 } } });
    expect(estimateRun(capped)).toEqual(estimateRun(makeInput({ config: { prices } })));
  });
});

describe("pass@k attempts", () => {
  it("evaluate jobs carry the task's attempts, and the budget reserves every attempt", () => {
    const task = { ...makeTask({ train: 8 }), attempts: 3 };
    const start = createRun(makeInput({ tasks: [task], config: { evalChunkSize: 4 } }), 0);
    const job = start.jobs[0]!;
    expect(job).toMatchObject({ type: "evaluate", attempts: 3 });
    expect(estimateJob(start.state, job).calls).toBe(12);
    expect(start.state.budget.reserved.calls).toBe(24);
  });
});
