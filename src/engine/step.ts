/**
 * The engine's transition function: one event in, the next state out, with the facts to
 * record and the jobs to dispatch. Pure: the state passed in is never modified.
 */
import { advance } from "./advance";
import { chargeUsage } from "./budget";
import { getCandidate, splitMean } from "./candidates";
import { type EvaluationOutcome, recordEvaluation } from "./evaluation";
import { stepRetrying } from "./retried-attempt";
import { finishRun } from "./finish";
import { admitChild, onChildProposal } from "./generation";
import { innerRunOfChild, onInnerChildScored, onInnerProposal, onInnerStartScored } from "./inner-finetune";
import { ZERO_USAGE } from "./jobs";
import type { Candidate, PendingJob, RunState } from "./run-state";
import { beginStep, endStep, ignoredStep, type StepContext } from "./step-context";
import { onCritique } from "./textgrad";
import type { EngineEvent, Split, StepOutput } from "./types";
import { pump, takePending } from "./work-queue";

type JobEvent = Extract<EngineEvent, { type: "job.succeeded" | "job.failed" }>;

/**
 * Applies one event. A result for a job that is not in flight (a redelivery, an unknown
 * id) and anything after the run finished is ignored: `ignored: true`, state unchanged.
 */
export function step(state: RunState, event: EngineEvent, now: number): StepOutput<RunState> {
  if (state.status !== "running") return ignoredStep(state);
  if (event.type === "cancel" || event.type === "halt") {
    const ctx = beginStep(state, now);
    if (event.type === "cancel") finishRun(ctx, "cancelled", event.reason || "cancelled");
    else finishRun(ctx, "failed", event.reason);
    return endStep(ctx);
  }
  if (!state.pending.some((p) => p.job.jobId === event.jobId)) return ignoredStep(state);
  if (event.type === "job.retrying") return stepRetrying(state, event, now, step);
  const ctx = beginStep(state, now);
  const pending = takePending(ctx, event.jobId) as PendingJob;
  chargeUsage(ctx, pending, event.type === "job.succeeded" ? event.result.usage : (event.usage ?? ZERO_USAGE));
  applyOutcome(ctx, pending, event);
  advance(ctx);
  pump(ctx);
  if (ctx.s.status === "running" && ctx.s.queue.length === 0 && ctx.s.pending.length === 0) {
    // Unreachable by design; ending the run beats leaving it waiting forever.
    finishRun(ctx, "failed", "engine stalled with no work left");
  }
  return endStep(ctx);
}

function applyOutcome(ctx: StepContext, pending: PendingJob, event: JobEvent): void {
  const { purpose } = pending;
  if (purpose.type === "evaluate") {
    const scored = recordEvaluation(ctx, pending, evaluationOutcome(event));
    if (scored) onSplitScored(ctx, scored, purpose.taskId, purpose.split);
    return;
  }
  const { text, failure } = proposalOutcome(event);
  if (purpose.type === "propose-child") onChildProposal(ctx, purpose.slot, text, failure);
  else if (purpose.type === "critique") onCritique(ctx, purpose.slot, pending.job, text, failure);
  else onAgentFitness(ctx, onInnerProposal(ctx, purpose.key, text, failure));
}

/** A result of the wrong type carries no rows: every example then scores 0 as "missing result". */
function evaluationOutcome(event: JobEvent): EvaluationOutcome {
  if (event.type === "job.failed") return { reason: event.reason };
  return event.result.type === "evaluate" ? { rows: event.result.rows } : { rows: [] };
}

function proposalOutcome(event: JobEvent): { text: string | null; failure: string | null } {
  if (event.type === "job.failed") return { text: null, failure: event.reason || "job failed" };
  if (event.result.type !== "propose") return { text: null, failure: "result type mismatch" };
  return { text: event.result.text, failure: null };
}

/** A split of `c` is fully scored: fine-tuning fitness, an inner fine-tuning's next step, or (MetaSPO) its start. */
function onSplitScored(ctx: StepContext, c: Candidate, taskId: string, split: Split): void {
  const s = ctx.s;
  if (s.kind === "finetune") {
    if (split !== "train") return;
    c.fitness = splitMean(c, taskId, "train");
    if (c.status === "evaluating") admitChild(ctx, c);
    else if (c.status === "seed") reportSeedFitness(ctx, c);
    return;
  }
  const run = innerRunOfChild(ctx, c.id);
  if (run) onAgentFitness(ctx, onInnerChildScored(ctx, run));
  else onInnerStartScored(ctx, c);
}

/** An agent's fitness is complete: a generation child is admitted or rejected; the seed's is reported. */
function onAgentFitness(ctx: StepContext, agentId: string | null): void {
  if (agentId === null) return;
  const agent = getCandidate(ctx.s, agentId);
  if (agent.status === "evaluating") admitChild(ctx, agent);
  else if (agent.status === "seed") reportSeedFitness(ctx, agent);
}

function reportSeedFitness(ctx: StepContext, seed: Candidate): void {
  if (seed.fitness !== null) ctx.events.push({ type: "candidate.fitness", at: ctx.now, candidateId: seed.id, fitness: seed.fitness });
}
