/**
 * A failed attempt of a job still in flight: the queue will try the job again. The
 * provider billed the attempt's completions even though their answers were thrown away,
 * so they are charged now, under a ledger id of their own (`<jobId>#<n>`), and the job
 * stays in flight holding its reservation for the next attempt.
 *
 * Why the cap still holds: when the job was dispatched, spent + reserved (its estimate
 * included) fitted every limit, and one attempt costs at most the job's estimate, so the
 * charge itself fits. Whether the *next* attempt still fits is checked here; when it does
 * not, the job fails now (as a failed job does) instead of letting a retry spend past the cap.
 */
import { addSpend, chargeUsage, withinLimits } from "./budget";
import type { Usage } from "./jobs";
import type { BudgetLedger, PendingJob, RunState } from "./run-state";
import { beginStep, endStep, ignoredStep } from "./step-context";
import type { EngineEvent, StepOutput } from "./types";

type Retrying = Extract<EngineEvent, { type: "job.retrying" }>;
type Step = (state: RunState, event: EngineEvent, now: number) => StepOutput<RunState>;

/**
 * Applies `job.retrying` to a running state in which the job is in flight. `settle` is
 * the engine's step, which fails the job when no further attempt fits the budget.
 */
export function stepRetrying(state: RunState, event: Retrying, now: number, settle: Step): StepOutput<RunState> {
  // Nothing was served (the attempt failed before any answer): nothing to charge or change.
  if (isZero(event.usage)) return ignoredStep(state);
  const ctx = beginStep(state, now);
  const pending = ctx.s.pending.find((p) => p.job.jobId === event.jobId) as PendingJob;
  pending.chargedAttempts = (pending.chargedAttempts ?? 0) + 1;
  chargeUsage(ctx, pending, event.usage, `${event.jobId}#${pending.chargedAttempts}`);
  if (nextAttemptFits(ctx.s.budget, ctx.s.pending, pending)) return endStep(ctx);
  const reason = `${event.reason}; not tried again: the budget has no room for another attempt`;
  const failed = settle(ctx.s, { type: "job.failed", jobId: event.jobId, reason }, now);
  return { ...failed, events: [...ctx.events, ...failed.events], jobs: [...ctx.jobs, ...failed.jobs] };
}

/** The job's reservation (still held, so part of `reserved`) fits on top of what is spent now. */
function nextAttemptFits(ledger: BudgetLedger, pending: readonly PendingJob[], job: PendingJob): boolean {
  if (!withinLimits(ledger.limits, addSpend(ledger.spent, ledger.reserved))) return false;
  if (ledger.limits.maxTaskCalls === undefined || job.job.model.role !== "task") return true;
  const held = pending.reduce((sum, p) => sum + (p.job.model.role === "task" ? p.estimate.calls : 0), 0);
  return ledger.spentByRole.task.calls + held <= ledger.limits.maxTaskCalls;
}

function isZero(usage: Usage): boolean {
  return usage.calls === 0 && usage.promptTokens === 0 && usage.completionTokens === 0;
}
