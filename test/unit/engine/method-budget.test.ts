/**
 * Budgets for every method: the property (spent never passes a limit, `maxTaskCalls`
 * included) over random configs, and the dry-run estimate bounding the worst-case run.
 */
import { describe, expect, it } from "vitest";
import {
  type BudgetLimits,
  type CreateRunInput,
  createRng,
  createRun,
  estimateJob,
  estimateRun,
  type Job,
  nextFloat,
  nextInt,
  type RngState,
  type RunConfigInput,
  type RunState,
  type Spend,
  step,
  withinLimits,
} from "../../../src/engine";
import { drive, exampleIndex, makeInput, makeTask } from "./fake-executor";

const prices = { "task-model": { inputPerMTok: 0.3, outputPerMTok: 1.2 }, "agent-model": { inputPerMTok: 2, outputPerMTok: 8 } };

function randomLimits(rng: RngState): BudgetLimits {
  const limits: BudgetLimits = {};
  if (nextFloat(rng) < 0.4) limits.maxCalls = 5 + nextInt(rng, 150);
  if (nextFloat(rng) < 0.3) limits.maxTokens = 20_000 + nextInt(rng, 600_000);
  if (nextFloat(rng) < 0.3) limits.maxUsd = 0.001 + nextFloat(rng) * 0.5;
  if (nextFloat(rng) < 0.6) limits.maxTaskCalls = 5 + nextInt(rng, 150);
  return limits;
}

/** A random valid (kind, method) pair with a random config. */
function randomInput(rng: RngState): CreateRunInput {
  const pick = nextInt(rng, 4);
  const kind = pick < 2 ? "finetune" : "pretrain";
  const method = (["textgrad", "metaspo", "metaspo", "sepo"] as const)[pick];
  const config: RunConfigInput = {
    method,
    generations: nextInt(rng, 5),
    childrenPerGeneration: 1 + nextInt(rng, 3),
    evalChunkSize: 1 + nextInt(rng, 5),
    feedbackSize: 1 + nextInt(rng, 6),
    innerSteps: 1 + nextInt(rng, 2),
    seed: nextInt(rng, 1000),
    budget: randomLimits(rng),
    prices,
  };
  const input = makeInput({ kind, config });
  return method === "metaspo" && nextFloat(rng) < 0.5 ? { ...input, sharedPrompt: "Shared instructions." } : input;
}

const plus = (a: Spend, b: Spend): Spend => ({
  calls: a.calls + b.calls,
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  usd: a.usd + b.usd,
});

/** Task calls spent, and spent plus held by task jobs in flight. */
function taskCalls(s: RunState): { spent: number; committed: number } {
  const held = s.pending.reduce((sum, p) => sum + (p.job.model.role === "task" ? p.estimate.calls : 0), 0);
  return { spent: s.budget.spentByRole.task.calls, committed: s.budget.spentByRole.task.calls + held };
}

describe("budget, for every method", () => {
  it("never passes a limit, maxTaskCalls included, across random methods, configs and usage", () => {
    let exhausted = 0;
    let taskCapped = 0;
    for (let seed = 1; seed <= 160; seed++) {
      const rng = createRng(1000 + seed);
      const input = randomInput(rng);
      const limits = input.config.budget;
      const check = (s: RunState, label: string) => {
        const calls = taskCalls(s);
        expect(withinLimits(limits, s.budget.spent, calls.spent), `seed ${seed}: spent (${label})`).toBe(true);
        expect(withinLimits(limits, plus(s.budget.spent, s.budget.reserved), calls.committed), `seed ${seed}: spent + reserved (${label})`).toBe(true);
      };
      const start = createRun(input, 0);
      check(start.state, "start");
      const { state, events } = drive(start, { seed, order: "random", usage: "random", failRate: 0.1, onStep: ({ state: s }) => check(s, "step") });
      expect(state.status, `seed ${seed}`).toBe("completed");
      const budgetEvents = events.filter((e) => e.type === "budget.exhausted");
      expect(budgetEvents.length).toBeLessThanOrEqual(1);
      if (budgetEvents.length === 1) {
        exhausted++;
        const cap = limits.maxTaskCalls;
        // The task cap was what stopped the run when one more evaluate chunk would not fit under it.
        if (cap !== undefined && state.budget.spentByRole.task.calls + input.config.evalChunkSize > cap) taskCapped++;
      }
    }
    expect(exhausted).toBeGreaterThan(20);
    expect(exhausted).toBeLessThan(160);
    expect(taskCapped).toBeGreaterThan(5);
  });

  it("maxTaskCalls stops task-model work but not the count of agent calls", () => {
    const input = makeInput({ config: { method: "textgrad", generations: 10, evalChunkSize: 5, budget: { maxTaskCalls: 45 } } });
    const { state, events } = drive(createRun(input, 0), { usage: 1 });
    expect(state.stopReason).toBe("budget exhausted");
    expect(state.budget.spentByRole.task.calls).toBeLessThanOrEqual(45);
    // 10 seed + 3 children x 10 train examples + the 4th child's first chunk of 5; its second would pass 45.
    expect(state.budget.spentByRole.task.calls).toBe(45);
    expect(events.filter((e) => e.type === "budget.exhausted")).toHaveLength(1);
    expect(state.budget.spentByRole.agent.calls).toBe(8);
  });
});

/**
 * The most expensive run: every proposal (and critique) at the maximum length in 3-byte
 * characters, tagged with its order among proposals; an example scores 1 when its index is below the
 * largest tag in the prompt, so every later child beats its parent and every linear chain
 * moves (validation then covers every head).
 */
function simulateWorstCase(input: CreateRunInput) {
  let out = createRun(input, 0);
  const queue: Job[] = [...out.jobs];
  const total = { calls: 0, taskCalls: 0, tokens: 0, usd: 0 };
  const tally = (state: RunState, jobs: Job[]) => {
    for (const job of jobs) {
      const e = estimateJob(state, job);
      total.calls += e.calls;
      if (job.model.role === "task") total.taskCalls += e.calls;
      total.tokens += e.promptTokens + e.completionTokens;
      total.usd += e.usd;
    }
  };
  tally(out.state, out.jobs);
  let proposed = 0;
  const usage = { calls: 0, promptTokens: 0, completionTokens: 0 };
  const level = (prompt: string) => Math.max(0, ...[...prompt.matchAll(/(\d+):/g)].map((m) => Number(m[1])));
  while (queue.length > 0) {
    const job = queue.shift()!;
    const tag = `${job.type === "propose" ? ++proposed : 0}:`;
    const text = tag + "\u0800".repeat(input.config.maxPromptChars - tag.length);
    const result =
      job.type === "propose"
        ? { type: "propose" as const, text, raw: "", usage }
        : {
            type: "evaluate" as const,
            rows: job.exampleIds.map((exampleId) => ({ exampleId, output: "", score: exampleIndex(exampleId) < level(job.prompt) ? 1 : 0, feedback: "", promptTokens: 0, completionTokens: 0 })),
            usage,
          };
    out = step(out.state, { type: "job.succeeded", jobId: job.jobId, result }, 0);
    tally(out.state, out.jobs);
    queue.push(...out.jobs);
  }
  expect(out.state.status).toBe("completed");
  return total;
}

describe("estimateRun, for the baselines", () => {
  const cases = [
    ["TextGrad", makeInput({ config: { prices, method: "textgrad", generations: 4, maxPromptChars: 300 } })],
    ["MetaSPO fine-tuning", { ...makeInput({ config: { prices, method: "metaspo", generations: 4, maxPromptChars: 300 } }), sharedPrompt: "Shared \u0800 prefix." }],
    ["MetaSPO fine-tuning, no shared prompt", makeInput({ config: { prices, method: "metaspo", maxPromptChars: 300 } })],
    ["MetaSPO pre-training", makeInput({ kind: "pretrain", config: { prices, method: "metaspo", innerSteps: 2, maxPromptChars: 300 } })],
    ["SePO fine-tuning (unchanged)", makeInput({ config: { prices, maxPromptChars: 300 } })],
  ] as const;

  for (const [name, input] of cases) {
    it(`${name}: bounds the worst-case run the engine actually makes`, () => {
      const estimate = estimateRun(input);
      const simulated = simulateWorstCase(input);
      expect(estimate.calls).toBeGreaterThanOrEqual(simulated.calls);
      // The closed form only adds the champion's test split, which may be the seed's.
      expect(estimate.calls).toBeLessThanOrEqual(simulated.calls + 5);
      expect(estimate.taskCalls).toBeGreaterThanOrEqual(simulated.taskCalls);
      expect(estimate.taskCalls).toBeLessThanOrEqual(simulated.taskCalls + 5);
      expect(estimate.tokensUpperBound).toBeGreaterThanOrEqual(simulated.tokens);
      expect(estimate.tokensUpperBound).toBeLessThan(simulated.tokens * 1.6);
      expect(estimate.usdUpperBound).toBeGreaterThanOrEqual(simulated.usd * (1 - 1e-12));
    });
  }

  it("matches TextGrad's and SePO's task-model calls at 10 x 16 (the paper's budget match)", () => {
    const big = (config: RunConfigInput) => makeInput({ config: { fitnessExamples: 16, ...config }, tasks: [makeTask({ train: 24, val: 18, test: 18 })] });
    const textgrad = estimateRun(big({ method: "textgrad", generations: 10 }));
    const sepo = estimateRun(big({ generations: 5, childrenPerGeneration: 2 }));
    expect(textgrad.taskCalls).toBe(sepo.taskCalls);
    expect(textgrad.calls - textgrad.taskCalls).toBe(20);
    expect(sepo.calls - sepo.taskCalls).toBe(10);
  });
});
