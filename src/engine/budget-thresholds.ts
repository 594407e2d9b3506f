/**
 * Budget alerts of one run: when spending crosses 50, 80 or 100 % of a cap, the run says
 * so once with a `budget.threshold` event (webhook subscribers and live watchers hear it).
 *
 * Nothing is remembered in the run state: the events are derived from the spend before
 * and after each settlement. Spending only grows, and the share of the most-spent
 * dimension is a maximum of growing shares, so it grows too; each threshold is therefore
 * crossed by exactly one settlement, and a replayed or ignored step crosses nothing.
 */
import type { BudgetLedger } from "./run-state";
import type { StepContext } from "./step-context";
import type { BudgetLimits, Spend } from "./types";

/** The shares of a cap that are announced, in increasing order. */
export const BUDGET_THRESHOLDS = [0.5, 0.8, 1] as const;

/**
 * USD totals are float sums (0.1 + 0.7 is 0.7999999999999999): a share this close below a
 * threshold counts as reached. Applied the same way before and after, so still once.
 */
const SHARE_TOLERANCE = 1e-9;

export type BudgetDimension = "calls" | "taskCalls" | "tokens" | "usd";

/** What the thresholds are judged on: the run's total spend and its task-model calls. */
export interface SpendPosition {
  spent: Spend;
  taskCalls: number;
}

export interface DimensionShare {
  dimension: BudgetDimension;
  /** spent / limit: 1 is the cap. */
  share: number;
}

export function spendPosition(ledger: BudgetLedger): SpendPosition {
  return { spent: { ...ledger.spent }, taskCalls: ledger.spentByRole.task.calls };
}

/** spent / limit for each dimension that has a limit, in a fixed order (calls, taskCalls, tokens, usd). */
export function dimensionShares(limits: BudgetLimits, position: SpendPosition): DimensionShare[] {
  const { spent, taskCalls } = position;
  const shares: DimensionShare[] = [];
  if (limits.maxCalls !== undefined) shares.push({ dimension: "calls", share: spent.calls / limits.maxCalls });
  if (limits.maxTaskCalls !== undefined) shares.push({ dimension: "taskCalls", share: taskCalls / limits.maxTaskCalls });
  if (limits.maxTokens !== undefined) shares.push({ dimension: "tokens", share: (spent.promptTokens + spent.completionTokens) / limits.maxTokens });
  if (limits.maxUsd !== undefined) shares.push({ dimension: "usd", share: spent.usd / limits.maxUsd });
  return shares;
}

/** The dimension closest to its cap (the first in `dimensionShares` order on a tie), or null without limits. */
export function mostSpent(limits: BudgetLimits, position: SpendPosition): DimensionShare | null {
  let best: DimensionShare | null = null;
  for (const entry of dimensionShares(limits, position)) if (!best || entry.share > best.share) best = entry;
  return best;
}

/** The thresholds a share moving from `before` to `after` crosses (reaching one exactly counts). */
export function crossedThresholds(before: number, after: number): number[] {
  const reached = (share: number, t: number) => share >= t - SHARE_TOLERANCE;
  return BUDGET_THRESHOLDS.filter((t) => !reached(before, t) && reached(after, t));
}

/**
 * Records a `budget.threshold` event for each threshold the settlement just charged has
 * crossed, naming the dimension that is now the most spent. `before` is the position
 * taken before the charge.
 */
export function pushBudgetThresholds(ctx: StepContext, before: SpendPosition): void {
  const { limits } = ctx.s.budget;
  const after = mostSpent(limits, spendPosition(ctx.s.budget));
  if (!after) return;
  const previous = mostSpent(limits, before)?.share ?? 0;
  for (const threshold of crossedThresholds(previous, after.share)) {
    ctx.events.push({ type: "budget.threshold", at: ctx.now, threshold, dimension: after.dimension, spent: { ...ctx.s.budget.spent }, limits: { ...limits } });
  }
}
