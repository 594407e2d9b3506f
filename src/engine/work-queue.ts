/**
 * The work queue: every job the engine wants goes through it, so budget deferral is one
 * rule in one place. Jobs leave in order; the first one that does not fit the budget
 * waits for a settlement, and when nothing is in flight to settle, the budget is spent.
 */
import { canDispatch, recomputeReserved } from "./budget";
import { finishRun } from "./finish";
import type { Job } from "./jobs";
import { estimateJob } from "./job-estimate";
import type { JobPurpose, PendingJob } from "./run-state";
import type { StepContext } from "./step-context";

/** Queues a job under the next deterministic id (`<runId>:j<n>`). */
export function enqueueJob(ctx: StepContext, build: (jobId: string) => Job, purpose: JobPurpose): void {
  const s = ctx.s;
  const jobId = `${s.runId}:j${s.counters.job++}`;
  s.queue.push({ job: build(jobId), purpose });
}

/**
 * Dispatches queued jobs while the budget allows. Order is kept strictly (no smaller job
 * jumps the line) so that what runs never depends on the size of what waits.
 */
export function pump(ctx: StepContext): void {
  const s = ctx.s;
  while (s.status === "running" && s.queue.length > 0) {
    const next = s.queue[0] as (typeof s.queue)[number];
    const estimate = estimateJob(s, next.job);
    if (!canDispatch(s.budget, s.pending, next.job, estimate)) {
      if (s.pending.length === 0) exhaustBudget(ctx);
      return; // otherwise a settlement may free what this job needs
    }
    s.queue.shift();
    s.pending.push({ ...next, estimate });
    recomputeReserved(s.budget, s.pending);
    ctx.jobs.push(next.job);
  }
}

/** Removes a dispatched job and releases its reservation; null when the id is not in flight. */
export function takePending(ctx: StepContext, jobId: string): PendingJob | null {
  const s = ctx.s;
  const index = s.pending.findIndex((p) => p.job.jobId === jobId);
  if (index < 0) return null;
  const [taken] = s.pending.splice(index, 1);
  recomputeReserved(s.budget, s.pending);
  return taken ?? null;
}

function exhaustBudget(ctx: StepContext): void {
  const s = ctx.s;
  s.exhausted = true;
  ctx.events.push({ type: "budget.exhausted", at: ctx.now, spent: { ...s.budget.spent }, limits: { ...s.budget.limits } });
  finishRun(ctx, "completed", "budget exhausted");
}
