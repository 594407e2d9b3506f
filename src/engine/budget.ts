/**
 * The budget ledger: limits, what was spent, and what jobs in flight may still spend.
 * A job is dispatched only when spent + reserved + its upper-bound estimate fits every
 * limit, so spending can never pass a limit as long as a job stays within its estimate.
 */
import { pushBudgetThresholds, spendPosition } from "./budget-thresholds";
import type { Job, Usage } from "./jobs";
import type { BudgetLedger, PendingJob } from "./run-state";
import type { StepContext } from "./step-context";
import type { BudgetLimits, Price, Spend } from "./types";

export function zeroSpend(): Spend {
  return { calls: 0, promptTokens: 0, completionTokens: 0, usd: 0 };
}

export function addSpend(a: Spend, b: Spend): Spend {
  return {
    calls: a.calls + b.calls,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    usd: a.usd + b.usd,
  };
}

/** USD of token counts at a price per million tokens; a model with no price costs 0. */
export function usdOf(tokens: { promptTokens: number; completionTokens: number }, price: Price | undefined): number {
  if (!price) return 0;
  return (tokens.promptTokens * price.inputPerMTok + tokens.completionTokens * price.outputPerMTok) / 1_000_000;
}

/**
 * True when `total` is within every limit that is set. `taskCalls` (the task model's
 * share of `total.calls`) is checked against `maxTaskCalls` when given.
 */
export function withinLimits(limits: BudgetLimits, total: Spend, taskCalls?: number): boolean {
  if (limits.maxCalls !== undefined && total.calls > limits.maxCalls) return false;
  if (limits.maxTokens !== undefined && total.promptTokens + total.completionTokens > limits.maxTokens) return false;
  if (limits.maxUsd !== undefined && total.usd > limits.maxUsd) return false;
  if (limits.maxTaskCalls !== undefined && taskCalls !== undefined && taskCalls > limits.maxTaskCalls) return false;
  return true;
}

export function canAfford(ledger: BudgetLedger, estimate: Spend): boolean {
  return withinLimits(ledger.limits, addSpend(addSpend(ledger.spent, ledger.reserved), estimate));
}

/**
 * Whether `job` may be dispatched now: its estimate fits every limit on top of what was
 * spent and what jobs in flight hold, and a task-model job also fits `maxTaskCalls` on
 * top of the task calls spent and held.
 */
export function canDispatch(ledger: BudgetLedger, pending: readonly PendingJob[], job: Job, estimate: Spend): boolean {
  if (!canAfford(ledger, estimate)) return false;
  if (ledger.limits.maxTaskCalls === undefined || job.model.role !== "task") return true;
  const held = pending.reduce((sum, p) => sum + (p.job.model.role === "task" ? p.estimate.calls : 0), 0);
  return ledger.spentByRole.task.calls + held + estimate.calls <= ledger.limits.maxTaskCalls;
}

/**
 * Recomputes the reservation from the jobs in flight rather than adding and subtracting,
 * so float rounding cannot leave a phantom reservation behind.
 */
export function recomputeReserved(ledger: BudgetLedger, pending: readonly PendingJob[]): void {
  ledger.reserved = pending.reduce((sum, p) => addSpend(sum, p.estimate), zeroSpend());
}

/**
 * Charges a settled job's actual usage (its reservation must already be released) and records `job.settled`.
 * A failed attempt of a job still in flight is charged the same way under its own ledger id (`<jobId>#<n>`).
 */
export function chargeUsage(ctx: StepContext, settled: PendingJob, usage: Usage, ledgerId: string = settled.job.jobId): void {
  const { job } = settled;
  const usd = usdOf(usage, ctx.s.config.prices[job.model.model]);
  const spend: Spend = { ...usage, usd };
  const ledger = ctx.s.budget;
  const before = spendPosition(ledger);
  ledger.spent = addSpend(ledger.spent, spend);
  ledger.spentByRole[job.model.role] = addSpend(ledger.spentByRole[job.model.role], spend);
  ctx.events.push({ type: "job.settled", at: ctx.now, jobId: ledgerId, role: job.model.role, model: job.model.model, usage, usd });
  pushBudgetThresholds(ctx, before);
}
