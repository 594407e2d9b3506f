/**
 * One generation of the evolution loop, for both kinds of run: choose K parents, propose
 * one child from each, score the children, admit those within tolerance of their parent.
 */
import { isAdmitted } from "./admission";
import { addCandidate, archiveMembers, getCandidate } from "./candidates";
import { enqueueEvaluation } from "./evaluation";
import { epsilonFor, normalizedFitness } from "./fitness";
import { startInnerRuns } from "./inner-finetune";
import { selectParents } from "./parent-selection";
import { agentProposalJob, proposalProblem, taskProposalJob } from "./proposals";
import type { Candidate, RunState } from "./run-state";
import type { StepContext } from "./step-context";
import { enqueueJob } from "./work-queue";

/** Starts the next generation: parents are chosen and their proposals queued. */
export function startGeneration(ctx: StepContext): void {
  const s = ctx.s;
  s.phase = "evolve";
  s.generation++;
  s.slots = [];
  ctx.events.push({ type: "generation.started", at: ctx.now, generation: s.generation });
  for (const parentId of chooseParents(s)) {
    const parent = getCandidate(s, parentId);
    parent.children++;
    const slot = s.slots.length;
    s.slots.push({ parentId, childId: null, outcome: "pending" });
    enqueueJob(ctx, (jobId) => childProposalJob(s, jobId, parent), { type: "propose-child", slot });
  }
}

/** DGM selection over the archive; linear search always continues from the head. */
function chooseParents(s: RunState): string[] {
  const k = s.config.childrenPerGeneration;
  if (s.config.search === "linear") return Array.from({ length: k }, () => s.head);
  const members = archiveMembers(s).filter((c) => c.fitness !== null);
  const picks = selectParents(
    s.rng,
    members.map((c) => ({ fitness: normalizedFitness(s, c), children: c.children })),
    k,
    { lambda: s.config.selectionLambda, top: s.config.selectionTop },
  );
  return picks.map((i) => (members[i] as Candidate).id);
}

function childProposalJob(s: RunState, jobId: string, parent: Candidate) {
  if (s.kind === "pretrain") return agentProposalJob(s, jobId, parent);
  return taskProposalJob(s, jobId, s.agentPrompt, parent, parent.taskId ?? "");
}

/**
 * Applies a generation proposal: a usable text becomes a child and its scoring starts
 * (train evaluation, or the agent's inner fine-tunings); anything else resolves the slot
 * as a failed proposal.
 */
export function onChildProposal(ctx: StepContext, slotIndex: number, text: string | null, failure: string | null): void {
  const s = ctx.s;
  const slot = s.slots[slotIndex];
  if (!slot) throw new Error(`engine invariant: unknown slot ${slotIndex}`);
  const parent = getCandidate(s, slot.parentId);
  const problem = failure ?? proposalProblem(text, parent.text, s.config.maxPromptChars);
  if (problem !== null || text === null) {
    s.failedProposals++;
    slot.outcome = "failed";
    ctx.events.push({ type: "proposal.failed", at: ctx.now, parentId: parent.id, reason: problem ?? "no prompt in answer" });
    return;
  }
  const isTask = s.kind === "finetune";
  const child = addCandidate(ctx, {
    kind: isTask ? "task" : "agent",
    taskId: isTask ? parent.taskId : null,
    parentId: parent.id,
    generation: s.generation,
    text,
    status: "evaluating",
  });
  slot.childId = child.id;
  if (isTask) enqueueEvaluation(ctx, child, child.taskId ?? "", "train");
  else startInnerRuns(ctx, child);
}

/** Admission of a generation child whose fitness just became known. */
export function admitChild(ctx: StepContext, child: Candidate): void {
  const s = ctx.s;
  const parent = getCandidate(s, child.parentId ?? "");
  const fitness = child.fitness ?? 0;
  const parentFitness = parent.fitness ?? 0;
  const epsilon = epsilonFor(s, parent);
  const admitted = isAdmitted(fitness, parentFitness, epsilon);
  child.status = admitted ? "admitted" : "rejected";
  const slot = s.slots.find((sl) => sl.childId === child.id);
  if (slot) slot.outcome = admitted ? "admitted" : "rejected";
  const type = admitted ? "candidate.admitted" : "candidate.rejected";
  ctx.events.push({ type, at: ctx.now, candidateId: child.id, fitness, parentFitness, epsilon });
}

export function isGenerationComplete(s: RunState): boolean {
  return s.slots.every((slot) => slot.outcome !== "pending");
}

/** Closes the generation: moves the linear head, reports the archive's best. */
export function completeGeneration(ctx: StepContext): void {
  const s = ctx.s;
  if (s.config.search === "linear") moveHead(s);
  s.completedGenerations++;
  const best = bestByFitness(archiveMembers(s));
  if (best) {
    ctx.events.push({ type: "generation.completed", at: ctx.now, generation: s.generation, bestId: best.id, bestFitness: best.fitness ?? 0 });
  }
}

/**
 * Linear search continues from this generation's best-scored child even when it is worse
 * than the head: the ablation always mutates the latest prompt. With no scored child the
 * head stays.
 */
function moveHead(s: RunState): void {
  const children = s.slots.flatMap((slot) => (slot.childId ? [getCandidate(s, slot.childId)] : []));
  const next = bestByFitness(children);
  if (!next) return;
  s.head = next.id;
  if (!s.heads.includes(next.id)) s.heads.push(next.id);
}

/** Highest fitness, ties to the earlier candidate; candidates without fitness are skipped. */
export function bestByFitness(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (c.fitness === null) continue;
    if (!best || (best.fitness ?? 0) < c.fitness || (best.fitness === c.fitness && c.seq < best.seq)) best = c;
  }
  return best;
}
