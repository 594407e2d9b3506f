/**
 * A run's share of its project's budget, taken when the run starts (every way a run
 * starts goes through runs/start-run.ts). The run's caps (`config.budget`) are held
 * against what the project has left; the engine then keeps the run within them, so the
 * project's spending stays within its budget.
 *
 * A run that gives no cap for a dimension the project limits gets what is left of it
 * as its cap: so a scheduled or webhook-started run with a stored config still starts,
 * and holds the rest of the budget until it finishes (a concurrent run is then refused
 * with the reason). A cap larger than what is left is refused (409), never cut down, so
 * a run does not silently do less than was asked.
 */
import type { BudgetLimits, CreateRunInput } from "../engine/types";
import { AppError } from "../errors";
import { type BudgetUsage, getProjectBudget, readBudgetUsage, releaseReservation, tryReserve } from "../storage/budget-repo";
import { type PeriodWindow, periodWindow, type ProjectBudget, type ProjectDimension, PROJECT_DIMENSIONS, remainingOf } from "./project-budget";

/** Concurrent starts can take the budget between the read and the reservation: read again this often. */
const RESERVE_ATTEMPTS = 3;

const CAP_FIELD: Record<ProjectDimension, "maxCalls" | "maxTokens" | "maxUsd"> = { calls: "maxCalls", tokens: "maxTokens", usd: "maxUsd" };
const UNIT: Record<ProjectDimension, string> = { calls: "calls", tokens: "tokens", usd: "USD" };

/**
 * Reserves the run's caps against the project's budget and returns the caps the run must
 * use (with missing ones filled in). Without a project budget, the caps as given and no
 * reservation. Throws 409 when they do not fit, 400 when USD is limited and a model of
 * the run has no price (its spending could not be counted).
 */
export async function reserveRunBudget(db: D1Database, projectId: string, input: CreateRunInput, now: number): Promise<BudgetLimits> {
  for (let attempt = 1; ; attempt++) {
    const budget = await getProjectBudget(db, projectId);
    if (!budget) return input.config.budget;
    const month = periodWindow("month", now);
    const usage = await readBudgetUsage(db, projectId, month.start, now);
    const caps = capsFor(budget, usage, input, periodWindow(budget.period, now));
    const reserved = await tryReserve(db, {
      runId: input.runId,
      projectId,
      caps: { calls: caps.maxCalls ?? null, tokens: caps.maxTokens ?? null, usd: caps.maxUsd ?? null },
      monthStart: month.start,
      now,
    });
    if (reserved) return caps;
    if (attempt >= RESERVE_ATTEMPTS) {
      throw new AppError("conflict", "The project's budget was taken by runs starting at the same time; try again.", [{ path: "config.budget", message: "did not fit the project's budget" }]);
    }
  }
}

/** Gives back the reservation of a run that did not start. */
export async function releaseRunBudget(db: D1Database, runId: string): Promise<void> {
  await releaseReservation(db, runId);
}

/** The run's caps within what the project has left (throws when they cannot fit). */
export function capsFor(budget: ProjectBudget, usage: BudgetUsage, input: CreateRunInput, period: PeriodWindow): BudgetLimits {
  const caps: BudgetLimits = { ...input.config.budget };
  const remaining = remainingOf(budget.limits, usage.spent, usage.reserved);
  if (budget.limits.usd !== null) requirePrices(input);
  for (const dimension of PROJECT_DIMENSIONS) {
    const limit = budget.limits[dimension];
    const left = remaining[dimension];
    if (limit === null || left === null) continue;
    const field = CAP_FIELD[dimension];
    const asked = caps[field];
    const context = `the project's budget has ${format(dimension, left)} ${UNIT[dimension]} left ${period.key === "total" ? "in total" : `this month (${period.key})`}: limit ${format(dimension, limit)}, spent ${format(dimension, usage.spent[dimension])}, held by ${usage.activeRuns} running run(s) ${format(dimension, usage.reserved[dimension])}`;
    if (asked !== undefined) {
      if (asked > left + (dimension === "usd" ? 1e-9 : 0)) throw notEnough(field, `is ${asked} but ${context}; lower it, wait for running runs to finish, or raise the budget with PUT /v1/budget`);
      continue;
    }
    const filled = dimension === "usd" ? left : Math.floor(left);
    if (filled <= 0 || (dimension !== "usd" && filled < 1)) throw notEnough(field, `is not set, and ${context}; nothing is left for this run`);
    caps[field] = filled;
  }
  return caps;
}

/** A USD limit counts only priced calls: every model of the run needs a price in `config.prices`. */
function requirePrices(input: CreateRunInput): void {
  const models = new Set([input.agentModel.model, ...input.tasks.map((t) => t.model.model)]);
  const missing = [...models].filter((m) => !input.config.prices[m]);
  if (missing.length === 0) return;
  const message = `needs a price for ${missing.map((m) => `'${m}'`).join(", ")}: the project has a USD budget, and calls of a model without a price would not be counted in it`;
  throw new AppError("invalid_request", `Invalid request body: config.prices: ${message}`, [{ path: "config.prices", message }]);
}

function notEnough(field: string, message: string): AppError {
  const path = `config.budget.${field}`;
  return new AppError("conflict", `The run does not fit the project's budget: ${path}: ${message}.`, [{ path, message }]);
}

function format(dimension: ProjectDimension, value: number): string {
  return dimension === "usd" ? String(Math.round(value * 1e6) / 1e6) : String(Math.round(value));
}
