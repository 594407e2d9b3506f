import { describe, expect, it } from "vitest";
import { capsFor } from "../../../src/budgets/reserve-run-budget";
import { type Amounts, PutBudgetSchema, periodWindow, type ProjectBudget, reachedThresholds, remainingOf } from "../../../src/budgets/project-budget";
import { AppError } from "../../../src/errors";
import { makeInput } from "../engine/fake-executor";

const amounts = (o: Partial<Amounts> = {}): Amounts => ({ calls: 0, tokens: 0, usd: 0, ...o });
const budget = (limits: Partial<ProjectBudget["limits"]>, period: ProjectBudget["period"] = "month"): ProjectBudget => ({
  projectId: "p",
  limits: { calls: null, tokens: null, usd: null, ...limits },
  period,
  createdAt: 0,
  updatedAt: 0,
});
const usage = (spent: Partial<Amounts> = {}, reserved: Partial<Amounts> = {}, activeRuns = 0) => ({ spent: amounts(spent), reserved: amounts(reserved), activeRuns });
const month = periodWindow("month", Date.UTC(2026, 6, 15));
const prices = { "task-model": { inputPerMTok: 1, outputPerMTok: 2 }, "agent-model": { inputPerMTok: 1, outputPerMTok: 2 } };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("periodWindow", () => {
  it("is the UTC calendar month, across a year's end, or everything", () => {
    expect(periodWindow("month", Date.UTC(2026, 6, 31, 23, 59, 59, 999))).toEqual({ key: "2026-07", start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 7, 1) });
    expect(periodWindow("month", Date.UTC(2026, 7, 1))).toMatchObject({ key: "2026-08" });
    expect(periodWindow("month", Date.UTC(2026, 11, 5))).toEqual({ key: "2026-12", start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
    expect(periodWindow("total", Date.UTC(2026, 6, 15))).toEqual({ key: "total", start: 0, end: null });
  });
});

describe("remaining and thresholds", () => {
  it("leaves limit - spent - reserved, never below 0, and null where there is no limit", () => {
    expect(remainingOf({ calls: 100, tokens: null, usd: 1 }, amounts({ calls: 30, usd: 0.25 }), amounts({ calls: 50, usd: 0.5 }))).toEqual({ calls: 20, tokens: null, usd: 0.25 });
    expect(remainingOf({ calls: 100, tokens: 10, usd: 0.3 }, amounts({ calls: 90, tokens: 12, usd: 0.1 + 0.2 }), amounts({ calls: 20 }))).toEqual({ calls: 0, tokens: 0, usd: 0 });
  });

  it("reaches 50/80/100 % on the most-spent limited dimension only", () => {
    expect(reachedThresholds({ calls: 100, tokens: null, usd: null }, amounts({ calls: 49, tokens: 10 ** 9 }))).toEqual([]);
    expect(reachedThresholds({ calls: 100, tokens: 1000, usd: null }, amounts({ calls: 50, tokens: 100 }))).toEqual([0.5]);
    expect(reachedThresholds({ calls: 100, tokens: 1000, usd: 1 }, amounts({ calls: 10, tokens: 100, usd: 0.1 + 0.7 }))).toEqual([0.5, 0.8]);
    expect(reachedThresholds({ calls: 100, tokens: null, usd: null }, amounts({ calls: 130 }))).toEqual([0.5, 0.8, 1]);
  });

  it("validates PUT bodies: at least one limit, positive, calls and tokens whole", () => {
    expect(PutBudgetSchema.parse({ limits: { usd: 2.5 } })).toEqual({ limits: { usd: 2.5 }, period: "month" });
    for (const bad of [{ limits: {} }, { limits: { calls: 0 } }, { limits: { tokens: 2.5 } }, { limits: { usd: 0 } }, { limits: { calls: 1 }, period: "year" }]) {
      expect(PutBudgetSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("capsFor: a run's caps against what the project has left", () => {
  it("keeps caps that fit and fills in the ones left out with what is left", () => {
    const input = makeInput({ config: { budget: { maxCalls: 40, maxTaskCalls: 30 } } });
    expect(capsFor(budget({ calls: 100, tokens: 5000 }), usage({ calls: 20, tokens: 1000 }, { calls: 30, tokens: 500 }), input, month)).toEqual({ maxCalls: 40, maxTaskCalls: 30, maxTokens: 3500 });
    // Dimensions the project does not limit are left as the run gave them.
    expect(capsFor(budget({ tokens: 5000 }), usage(), makeInput(), month)).toEqual({ maxTokens: 5000 });
  });

  it("refuses (409) a cap larger than what is left, naming the field and the numbers", () => {
    const error = refusal(() => capsFor(budget({ calls: 100 }), usage({ calls: 60 }, { calls: 30 }, 2), makeInput({ config: { budget: { maxCalls: 11 } } }), month));
    expect(error.code).toBe("conflict");
    expect(error.issues).toEqual([{ path: "config.budget.maxCalls", message: expect.stringContaining("is 11 but the project's budget has 10 calls left this month (2026-07): limit 100, spent 60, held by 2 running run(s) 30") }]);
    expect(capsFor(budget({ calls: 100 }), usage({ calls: 60 }, { calls: 30 }), makeInput({ config: { budget: { maxCalls: 10 } } }), month)).toEqual({ maxCalls: 10 });
  });

  it("refuses (409) a run when nothing is left to fill in", () => {
    const error = refusal(() => capsFor(budget({ calls: 100 }, "total"), usage({ calls: 99.5 }), makeInput(), periodWindow("total", 0)));
    expect(error.code).toBe("conflict");
    expect(error.issues[0]).toMatchObject({ path: "config.budget.maxCalls", message: expect.stringMatching(/^is not set, and the project's budget has 1 calls left in total/) });
    expect(refusal(() => capsFor(budget({ usd: 1 }), usage({ usd: 1 }), makeInput({ config: { prices } }), month)).issues[0]?.path).toBe("config.budget.maxUsd");
  });

  it("with a USD limit, needs a price for every model the run calls (400)", () => {
    const error = refusal(() => capsFor(budget({ usd: 5 }), usage(), makeInput({ config: { prices: { "task-model": prices["task-model"] } } }), month));
    expect(error.code).toBe("invalid_request");
    expect(error.issues).toEqual([{ path: "config.prices", message: expect.stringContaining("'agent-model'") }]);
    expect(capsFor(budget({ usd: 5 }), usage({ usd: 1.25 }), makeInput({ config: { prices } }), month)).toEqual({ maxUsd: 3.75 });
  });
});
