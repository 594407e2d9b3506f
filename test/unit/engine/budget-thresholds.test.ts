import { describe, expect, it } from "vitest";
import { createRng, createRun, decodeRunState, type DomainEvent, type EngineEvent, nextFloat, nextInt, type RunState, type Spend, step } from "../../../src/engine";
import { crossedThresholds, dimensionShares, mostSpent, type SpendPosition } from "../../../src/engine/budget-thresholds";
import { drive, fakeEvent, makeInput } from "./fake-executor";

type ThresholdEvent = Extract<DomainEvent, { type: "budget.threshold" }>;

const spend = (o: Partial<Spend> = {}): Spend => ({ calls: 0, promptTokens: 0, completionTokens: 0, usd: 0, ...o });
const at = (o: Partial<Spend> = {}, taskCalls = 0): SpendPosition => ({ spent: spend(o), taskCalls });
const thresholdsOf = (events: DomainEvent[]) => events.filter((e): e is ThresholdEvent => e.type === "budget.threshold");
const prices = { "task-model": { inputPerMTok: 0.3, outputPerMTok: 1.2 }, "agent-model": { inputPerMTok: 2, outputPerMTok: 8 } };

describe("budget thresholds: the pure parts", () => {
  it("crosses each threshold once, counting an exact hit and skipping none on a jump", () => {
    expect(crossedThresholds(0, 0.49)).toEqual([]);
    expect(crossedThresholds(0.49, 0.5)).toEqual([0.5]);
    expect(crossedThresholds(0.5, 0.79)).toEqual([]);
    expect(crossedThresholds(0.3, 1.2)).toEqual([0.5, 0.8, 1]);
    expect(crossedThresholds(0.8, 1)).toEqual([1]);
    expect(crossedThresholds(1, 1.5)).toEqual([]);
    // A float sum a hair below 0.8 has reached it.
    expect(crossedThresholds(0.1, 0.1 + 0.7)).toEqual([0.5, 0.8]);
  });

  it("judges only the dimensions that have a limit", () => {
    const position = at({ calls: 10, promptTokens: 900, completionTokens: 100, usd: 0.3 }, 4);
    expect(dimensionShares({}, position)).toEqual([]);
    expect(mostSpent({}, position)).toBeNull();
    expect(dimensionShares({ maxCalls: 20, maxTaskCalls: 5, maxTokens: 4000, maxUsd: 1 }, position)).toEqual([
      { dimension: "calls", share: 0.5 },
      { dimension: "taskCalls", share: 0.8 },
      { dimension: "tokens", share: 0.25 },
      { dimension: "usd", share: 0.3 },
    ]);
    expect(mostSpent({ maxCalls: 20, maxTaskCalls: 5, maxTokens: 4000, maxUsd: 1 }, position)).toEqual({ dimension: "taskCalls", share: 0.8 });
    expect(mostSpent({ maxTokens: 1250, maxUsd: 1 }, position)).toEqual({ dimension: "tokens", share: 0.8 });
  });
});

describe("budget thresholds in a run", () => {
  it("announces 50 %, 80 % and 100 % once each, in order, after the settlement that crossed them", () => {
    // With a cap of 42 calls this run spends exactly 42 (jobs of 1 and 4 calls, full usage).
    const input = makeInput({ config: { budget: { maxCalls: 42 } } });
    const { events, state } = drive(createRun(input, 0), { usage: 1 });
    const crossed = thresholdsOf(events);
    expect(state.budget.spent.calls).toBe(42);
    expect(crossed.map((e) => e.threshold)).toEqual([0.5, 0.8, 1]);
    for (const event of crossed) {
      expect(event.dimension).toBe("calls");
      expect(event.limits).toEqual({ maxCalls: 42 });
      expect(event.spent.calls / 42).toBeGreaterThanOrEqual(event.threshold);
      // Right after the job.settled whose usage crossed it, and it says what was spent then.
      const index = events.indexOf(event);
      const settledBefore = events.slice(0, index).filter((e) => e.type === "job.settled");
      const callsBefore = settledBefore.reduce((sum, e) => sum + (e.type === "job.settled" ? e.usage.calls : 0), 0);
      expect(callsBefore).toBe(event.spent.calls);
      const lastSettled = settledBefore.at(-1)!;
      expect(lastSettled.type === "job.settled" && (callsBefore - lastSettled.usage.calls) / 42).toBeLessThan(event.threshold);
    }
  });

  it("says nothing for a run without limits, or one that stays under half of them", () => {
    expect(thresholdsOf(drive(createRun(makeInput(), 0), { usage: 1 }).events)).toEqual([]);
    const roomy = drive(createRun(makeInput({ config: { budget: { maxCalls: 100_000, maxUsd: 1000 }, prices } }), 0), { usage: 1 });
    expect(roomy.state.status).toBe("completed");
    expect(roomy.state.stopReason).not.toBe("budget exhausted");
    expect(thresholdsOf(roomy.events)).toEqual([]);
  });

  it("names the most-spent dimension: USD when it is the tightest cap", () => {
    const { events, state } = drive(createRun(makeInput({ config: { budget: { maxCalls: 100_000, maxUsd: 0.02 }, prices } }), 0), { usage: 1 });
    const crossed = thresholdsOf(events);
    expect(crossed.length).toBeGreaterThan(0);
    expect(crossed.every((e) => e.dimension === "usd")).toBe(true);
    expect(crossed.map((e) => e.threshold)).toEqual([0.5, 0.8, 1].filter((t) => state.budget.spent.usd / 0.02 >= t - 1e-9));
  });

  it("never repeats a threshold, across random budgets, failures and orders, with the state stored between steps", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = createRng(seed);
      const budget = { maxCalls: 5 + nextInt(rng, 120), ...(nextFloat(rng) < 0.5 ? { maxTaskCalls: 5 + nextInt(rng, 80) } : {}) };
      const input = makeInput({ kind: nextFloat(rng) < 0.5 ? "finetune" : "pretrain", config: { budget, seed } });
      const run = drive(createRun(input, 0), { seed, order: "random", usage: "random", failRate: 0.1, between: (s: RunState) => decodeRunState(JSON.parse(JSON.stringify(s))) });
      const crossed = thresholdsOf(run.events).map((e) => e.threshold);
      expect(new Set(crossed).size, `seed ${seed}`).toBe(crossed.length);
      expect(crossed, `seed ${seed}`).toEqual([...crossed].sort((a, b) => a - b));
      // Every threshold the final spend reached was announced, and no other.
      const final = mostSpent(budget, { spent: run.state.budget.spent, taskCalls: run.state.budget.spentByRole.task.calls })!;
      expect(crossed, `seed ${seed}`).toEqual([0.5, 0.8, 1].filter((t) => final.share >= t - 1e-9));
    }
  });

  it("a redelivered result crosses nothing again", () => {
    const input = makeInput({ config: { budget: { maxCalls: 40 } } });
    let crossing: { event: EngineEvent; after: RunState } | null = null;
    const start = createRun(input, 0);
    // Steps by hand to keep the event that crossed 50 %, then delivers it again.
    let state = start.state;
    const inFlight = [...start.jobs];
    const rng = createRng(1);
    while (inFlight.length > 0 && state.status === "running") {
      const job = inFlight.shift()!;
      const event = fakeEvent(state, job, rng, { usage: 1 });
      const output = step(state, event, 1);
      if (!crossing && thresholdsOf(output.events).length > 0) crossing = { event, after: output.state };
      state = output.state;
      inFlight.push(...output.jobs);
    }
    expect(crossing).not.toBeNull();
    for (const later of [crossing!.after, state]) {
      const again = step(later, crossing!.event, 2);
      expect(again.ignored).toBe(true);
      expect(again.events).toEqual([]);
    }
  });
});
