/**
 * One generation of the evolution loop, for both kinds of run and every method: choose K
 * parents, propose one child from each, score the children, admit those within tolerance
 * of their parent (MetaSPO: those that beat it).
 */
import { isAdmitted, isImprovement } from "./admission";
import { addCandidate, archiveMembers, getCandidate } from "./candidates";
import { enqueueEvaluation } from "./evaluation";
import { epsilonFor, normalizedFitness } from "./fitness";
import { startInnerRuns } from "./inner-finetune";
import { composePrompt, sharedPromptOf, taskPartOf } from "./metaspo";
import { chainRule, childrenPerGeneration } from "./method";
import { selectParents } from "./parent-selection";
import { agentProposalJob, critiqueJob, metaspoTaskJob, proposalProblem, systemProposalJob, taskProposalJob } from "./proposals";
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
    // TextGrad's child takes two calls: the critique first, then the rewrite (textgrad.ts).
    if (s.config.method === "textgrad") enqueueJob(ctx, (jobId) => critiqueJob(s, jobId, parent), { type: "critique", slot });
    else enqueueJob(ctx, (jobId) => childProposalJob(s, jobId, parent), { type: "propose-child", slot });
  }
}

/** DGM selection over the archive; a linear chain always continues from the head. */
function chooseParents(s: RunState): string[] {
  const k = childrenPerGeneration(s.config);
  if (chainRule(s.config) !== "archive") return Array.from({ length: k }, () => s.head);
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
  const metaspo = s.config.method === "metaspo";
  if (s.kind === "pretrain") return metaspo ? systemProposalJob(s, jobId, parent) : agentProposalJob(s, jobId, parent);
  if (metaspo) return metaspoTaskJob(s, jobId, parent, parent.taskId ?? "", s.sharedPrompt);
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
  // MetaSPO fine-tuning edits the task part under the fixed shared prompt; otherwise shared is null.
  const shared = s.kind === "finetune" ? sharedPromptOf(s, null) : null;
  const problem = failure ?? proposalProblem(text, taskPartOf(shared, parent.text), s.config.maxPromptChars);
  if (problem !== null || text === null) {
    failSlot(ctx, slotIndex, problem ?? "no prompt in answer");
    return;
  }
  const isTask = s.kind === "finetune";
  const child = addCandidate(ctx, {
    kind: isTask ? "task" : "agent",
    taskId: isTask ? parent.taskId : null,
    parentId: parent.id,
    generation: s.generation,
    text: composePrompt(shared, text),
    status: "evaluating",
  });
  slot.childId = child.id;
  if (isTask) enqueueEvaluation(ctx, child, child.taskId ?? "", "train");
  else startInnerRuns(ctx, child);
}

/** A slot whose proposal (or TextGrad critique) produced no child: a failed proposal. */
export function failSlot(ctx: StepContext, slotIndex: number, reason: string): void {
  const s = ctx.s;
  const slot = s.slots[slotIndex];
  if (!slot) throw new Error(`engine invariant: unknown slot ${slotIndex}`);
  s.failedProposals++;
  slot.outcome = "failed";
  ctx.events.push({ type: "proposal.failed", at: ctx.now, parentId: slot.parentId, reason });
}

/**
 * Admission of a generation child whose fitness just became known. MetaSPO is greedy:
 * a child is kept only when it beats its parent (epsilon 0, strict).
 */
export function admitChild(ctx: StepContext, child: Candidate): void {
  const s = ctx.s;
  const parent = getCandidate(s, child.parentId ?? "");
  const fitness = child.fitness ?? 0;
  const parentFitness = parent.fitness ?? 0;
  const greedy = chainRule(s.config) === "greedy";
  const epsilon = greedy ? 0 : epsilonFor(s, parent);
  const admitted = greedy ? isImprovement(fitness, parentFitness) : isAdmitted(fitness, parentFitness, epsilon);
  child.status = admitted ? "admitted" : "rejected";
  const slot = s.slots.find((sl) => sl.childId === child.id);
  if (slot) slot.outcome = admitted ? "admitted" : "rejected";
  const type = admitted ? "candidate.admitted" : "candidate.rejected";
  ctx.events.push({ type, at: ctx.now, candidateId: child.id, fitness, parentFitness, epsilon });
}

export function isGenerationComplete(s: RunState): boolean {
  return s.slots.every((slot) => slot.outcome !== "pending");
}

/** Closes the generation: moves a linear chain's head, reports the archive's best. */
export function completeGeneration(ctx: StepContext): void {
  const s = ctx.s;
  if (chainRule(s.config) !== "archive") moveHead(s);
  s.completedGenerations++;
  const best = bestByFitness(archiveMembers(s));
  if (best) {
    ctx.events.push({ type: "generation.completed", at: ctx.now, generation: s.generation, bestId: best.id, bestFitness: best.fitness ?? 0 });
  }
}

/**
 * Linear search (and TextGrad) continues from this generation's best-scored child even
 * when it is worse than the head: it always mutates the latest prompt. MetaSPO's greedy
 * chain moves only to an admitted child, i.e. one that beat the head. With no such child
 * the head stays.
 */
function moveHead(s: RunState): void {
  const greedy = chainRule(s.config) === "greedy";
  const children = s.slots.flatMap((slot) => (slot.childId && (!greedy || slot.outcome === "admitted") ? [getCandidate(s, slot.childId)] : []));
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
