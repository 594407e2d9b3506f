/**
 * Pre-training fitness: each agent candidate runs a short fine-tuning on every pool task
 * (`innerSteps` sequential proposals from the task's seed prompt), and its fitness is the
 * mean validation gain of the best task prompt it produced over the seed task prompt.
 * MetaSPO: the candidate is a shared system prompt; every run starts from the task's seed
 * prompt under it (scored first), the fixed optimizer edits the task part only, and the
 * fitness is the mean best validation score itself rather than a gain.
 */
import { addCandidate, getCandidate, isSplitDone, splitMean } from "./candidates";
import { enqueueEvaluation } from "./evaluation";
import { adaptedPrompt, composePrompt, innerRunAwaitingStart, isMetaspo, sharedPromptOf, taskPartOf } from "./metaspo";
import { metaspoTaskJob, proposalProblem, taskProposalJob } from "./proposals";
import { type Candidate, type InnerRun, innerKey } from "./run-state";
import { mean } from "./stats";
import type { StepContext } from "./step-context";
import { enqueueJob } from "./work-queue";

/** Starts the inner fine-tuning of `agent` on every pool task; the first proposals fan out at once. */
export function startInnerRuns(ctx: StepContext, agent: Candidate): void {
  const s = ctx.s;
  for (const task of s.tasks) {
    const seedCandidateId = s.seedTasks[task.taskId];
    if (!seedCandidateId) throw new Error(`engine invariant: no seed task candidate for ${task.taskId}`);
    const start = isMetaspo(s) && agent.id !== s.seedId ? addStart(ctx, agent, getCandidate(s, seedCandidateId), task.seedPrompt) : getCandidate(s, seedCandidateId);
    const run: InnerRun = {
      agentId: agent.id,
      taskId: task.taskId,
      seedCandidateId: start.id,
      parentId: start.id,
      stepsDone: 0,
      childId: null,
      bestChildId: null,
      done: false,
      gain: null,
    };
    s.innerRuns[innerKey(agent.id, task.taskId)] = run;
    if (isStartScored(ctx, run)) proposeInnerStep(ctx, run);
    else {
      enqueueEvaluation(ctx, start, task.taskId, "train");
      enqueueEvaluation(ctx, start, task.taskId, "val");
    }
  }
}

/** MetaSPO: the task's seed prompt under a new shared prompt, to be scored before the run proposes. */
function addStart(ctx: StepContext, agent: Candidate, seedTask: Candidate, seedPrompt: string): Candidate {
  const text = composePrompt(agent.text, seedPrompt);
  return addCandidate(ctx, { kind: "task", taskId: seedTask.taskId, parentId: seedTask.id, generation: agent.generation, text, status: "inner" });
}

function isStartScored(ctx: StepContext, run: InnerRun): boolean {
  const start = getCandidate(ctx.s, run.seedCandidateId);
  return isSplitDone(ctx.s, start, run.taskId, "train") && isSplitDone(ctx.s, start, run.taskId, "val");
}

/** MetaSPO: a split of a start candidate is scored; once both are, its run makes its first proposal. */
export function onInnerStartScored(ctx: StepContext, start: Candidate): void {
  if (!isMetaspo(ctx.s)) return;
  const run = innerRunAwaitingStart(ctx.s, start);
  if (run && isStartScored(ctx, run)) proposeInnerStep(ctx, run);
}

function proposeInnerStep(ctx: StepContext, run: InnerRun): void {
  const s = ctx.s;
  const agent = getCandidate(s, run.agentId);
  const parent = getCandidate(s, run.parentId);
  const build = isMetaspo(s)
    ? (jobId: string) => metaspoTaskJob(s, jobId, parent, run.taskId, agent.text)
    : (jobId: string) => taskProposalJob(s, jobId, agent.text, parent, run.taskId);
  enqueueJob(ctx, build, { type: "propose-inner", key: innerKey(run.agentId, run.taskId) });
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
  const shared = sharedPromptOf(s, run);
  const problem = failure ?? proposalProblem(text, taskPartOf(shared, parent.text), s.config.maxPromptChars);
  if (problem !== null || text === null) {
    s.innerFailedProposals++;
    ctx.events.push({ type: "proposal.failed", at: ctx.now, parentId: parent.id, reason: problem ?? "no prompt in answer" });
    run.stepsDone++;
    return continueOrFinish(ctx, run);
  }
  const agent = getCandidate(s, run.agentId);
  const child = addCandidate(ctx, { kind: "task", taskId: run.taskId, parentId: parent.id, generation: agent.generation, text: composePrompt(shared, text), status: "inner" });
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

/** SePO: mean gain over the pool. MetaSPO: mean validation score of the adapted prompts (a level, not a gain). */
function completeAgentFitness(ctx: StepContext, agentId: string): string | null {
  const runs = ctx.s.tasks.map((task) => ctx.s.innerRuns[innerKey(agentId, task.taskId)]);
  if (!runs.every((run) => run?.done)) return null;
  const agent = getCandidate(ctx.s, agentId);
  const score = (run: InnerRun | undefined) => (!run ? 0 : isMetaspo(ctx.s) ? valOf(ctx, adaptedPrompt(ctx.s, run), run.taskId) : (run.gain ?? 0));
  agent.fitness = mean(runs.map(score));
  return agentId;
}

function valOf(ctx: StepContext, c: Candidate, taskId: string): number {
  return splitMean(c, taskId, "val") ?? 0;
}
