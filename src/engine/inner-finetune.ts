/**
 * Pre-training fitness: each agent candidate runs a short fine-tuning on every pool task
 * (`innerSteps` sequential proposals from the task's seed prompt), and its fitness is the
 * mean validation gain of the best task prompt it produced over the seed task prompt.
 */
import { addCandidate, getCandidate, isSplitDone, splitMean } from "./candidates";
import { enqueueEvaluation } from "./evaluation";
import { proposalProblem, taskProposalJob } from "./proposals";
import { type Candidate, type InnerRun, innerKey } from "./run-state";
import { mean } from "./stats";
import type { StepContext } from "./step-context";
import { enqueueJob } from "./work-queue";

/** Starts the inner fine-tuning of `agent` on every pool task; the first proposals fan out at once. */
export function startInnerRuns(ctx: StepContext, agent: Candidate): void {
  for (const task of ctx.s.tasks) {
    const seedCandidateId = ctx.s.seedTasks[task.taskId];
    if (!seedCandidateId) throw new Error(`engine invariant: no seed task candidate for ${task.taskId}`);
    const run: InnerRun = {
      agentId: agent.id,
      taskId: task.taskId,
      seedCandidateId,
      parentId: seedCandidateId,
      stepsDone: 0,
      childId: null,
      bestChildId: null,
      done: false,
      gain: null,
    };
    ctx.s.innerRuns[innerKey(agent.id, task.taskId)] = run;
    proposeInnerStep(ctx, run);
  }
}

function proposeInnerStep(ctx: StepContext, run: InnerRun): void {
  const s = ctx.s;
  const agent = getCandidate(s, run.agentId);
  const parent = getCandidate(s, run.parentId);
  enqueueJob(ctx, (jobId) => taskProposalJob(s, jobId, agent.text, parent, run.taskId), {
    type: "propose-inner",
    key: innerKey(run.agentId, run.taskId),
  });
}

/**
 * Applies an inner proposal. A usable prompt becomes an inner task candidate, scored on
 * val (and on train when a later step needs its feedback); anything else uses up the
 * step. Returns the agent id when this completed the agent's fitness, else null.
 */
export function onInnerProposal(ctx: StepContext, key: string, text: string | null, failure: string | null): string | null {
  const s = ctx.s;
  const run = s.innerRuns[key];
  if (!run) throw new Error(`engine invariant: unknown inner run ${key}`);
  const parent = getCandidate(s, run.parentId);
  const problem = failure ?? proposalProblem(text, parent.text, s.config.maxPromptChars);
  if (problem !== null || text === null) {
    s.innerFailedProposals++;
    ctx.events.push({ type: "proposal.failed", at: ctx.now, parentId: parent.id, reason: problem ?? "no prompt in answer" });
    run.stepsDone++;
    return continueOrFinish(ctx, run);
  }
  const agent = getCandidate(s, run.agentId);
  const child = addCandidate(ctx, { kind: "task", taskId: run.taskId, parentId: parent.id, generation: agent.generation, text, status: "inner" });
  run.childId = child.id;
  enqueueEvaluation(ctx, child, run.taskId, "val");
  if (needsTrainScores(ctx, run)) enqueueEvaluation(ctx, child, run.taskId, "train");
  return null;
}

/** The inner run whose current step's child is `candidateId`, if any. */
export function innerRunOfChild(ctx: StepContext, candidateId: string): InnerRun | null {
  return Object.values(ctx.s.innerRuns).find((run) => run.childId === candidateId) ?? null;
}

/**
 * Called when a split of the run's current child is complete. Once everything the step
 * needs is scored, the child competes for best and the run moves on. Returns the agent
 * id when this completed the agent's fitness, else null.
 */
export function onInnerChildScored(ctx: StepContext, run: InnerRun): string | null {
  const s = ctx.s;
  if (run.childId === null) return null;
  const child = getCandidate(s, run.childId);
  if (!isSplitDone(s, child, run.taskId, "val")) return null;
  if (needsTrainScores(ctx, run) && !isSplitDone(s, child, run.taskId, "train")) return null;
  const best = run.bestChildId ? getCandidate(s, run.bestChildId) : null;
  if (!best || valOf(ctx, child, run.taskId) > valOf(ctx, best, run.taskId)) run.bestChildId = child.id;
  run.childId = null;
  run.stepsDone++;
  return continueOrFinish(ctx, run);
}

/** A child is scored on train only when a later step will propose from it and show its feedback. */
function needsTrainScores(ctx: StepContext, run: InnerRun): boolean {
  return run.stepsDone + 1 < ctx.s.config.innerSteps;
}

function continueOrFinish(ctx: StepContext, run: InnerRun): string | null {
  const s = ctx.s;
  const seed = getCandidate(s, run.seedCandidateId);
  const best = run.bestChildId ? getCandidate(s, run.bestChildId) : null;
  if (run.stepsDone < s.config.innerSteps) {
    // The next step starts from the best prompt so far, which may still be the seed.
    run.parentId = best && valOf(ctx, best, run.taskId) > valOf(ctx, seed, run.taskId) ? best.id : seed.id;
    proposeInnerStep(ctx, run);
    return null;
  }
  run.done = true;
  run.gain = best ? valOf(ctx, best, run.taskId) - valOf(ctx, seed, run.taskId) : 0;
  return completeAgentFitness(ctx, run.agentId);
}

function completeAgentFitness(ctx: StepContext, agentId: string): string | null {
  const runs = ctx.s.tasks.map((task) => ctx.s.innerRuns[innerKey(agentId, task.taskId)]);
  if (!runs.every((run) => run?.done)) return null;
  const agent = getCandidate(ctx.s, agentId);
  agent.fitness = mean(runs.map((run) => run?.gain ?? 0));
  return agentId;
}

function valOf(ctx: StepContext, c: Candidate, taskId: string): number {
  return splitMean(c, taskId, "val") ?? 0;
}
