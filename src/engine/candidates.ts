/** Creating, finding and reading candidates and their scores. */
import { chainRule } from "./method";
import type { Candidate, RunState } from "./run-state";
import { mean } from "./stats";
import type { StepContext } from "./step-context";
import type { CandidateView, Split } from "./types";

export type NewCandidate = Pick<Candidate, "kind" | "taskId" | "parentId" | "generation" | "text" | "status">;

/** Adds a candidate with the next deterministic id and records `candidate.created`. */
export function addCandidate(ctx: StepContext, fields: NewCandidate): Candidate {
  const s = ctx.s;
  const seq = s.counters.candidate++;
  const candidate: Candidate = {
    id: `${s.runId}:c${seq}`,
    seq,
    kind: fields.kind,
    taskId: fields.taskId,
    parentId: fields.parentId,
    generation: fields.generation,
    text: fields.text,
    status: fields.status,
    children: 0,
    createdAt: ctx.now,
    scores: {},
    fitness: null,
  };
  s.candidates[candidate.id] = candidate;
  ctx.events.push({ type: "candidate.created", at: ctx.now, candidate: candidateView(candidate) });
  return candidate;
}

/** The candidate with this id; a missing one is an engine bug, not an input error. */
export function getCandidate(s: RunState, id: string): Candidate {
  const candidate = s.candidates[id];
  if (!candidate) throw new Error(`engine invariant: unknown candidate ${id}`);
  return candidate;
}

/** All candidates in creation order (object key order is never relied on). */
export function listCandidates(s: RunState): Candidate[] {
  return Object.values(s.candidates).sort((a, b) => a.seq - b.seq);
}

export function candidateView(c: Candidate): CandidateView {
  return { id: c.id, kind: c.kind, taskId: c.taskId, parentId: c.parentId, generation: c.generation, text: c.text, status: c.status };
}

/** The per-example scores when every example of the split is scored, else null. */
export function completeScores(c: Candidate, taskId: string, split: Split): number[] | null {
  const scores = c.scores[taskId]?.[split];
  if (!scores || scores.some((x) => x === null)) return null;
  return scores as number[];
}

/** Mean score of a fully scored split, else null. */
export function splitMean(c: Candidate, taskId: string, split: Split): number | null {
  const scores = completeScores(c, taskId, split);
  return scores ? mean(scores) : null;
}

/** True when the split has no examples in this run or every one is scored. */
export function isSplitDone(s: RunState, c: Candidate, taskId: string, split: Split): boolean {
  return exampleIdsOf(s, taskId, split).length === 0 || completeScores(c, taskId, split) !== null;
}

export function exampleIdsOf(s: RunState, taskId: string, split: Split): string[] {
  return s.exampleSets[taskId]?.[split] ?? [];
}

/** Archive members: the seed and every admitted candidate of the evolving kind, in creation order. */
export function archiveMembers(s: RunState): Candidate[] {
  return listCandidates(s).filter((c) => c.id === s.seedId || c.status === "admitted");
}

/**
 * Who may become champion: the archive, or for a linear chain (linear search, TextGrad,
 * MetaSPO) the seed and every head (the chain does not use the archive to choose
 * parents, so not to choose winners).
 */
export function finalists(s: RunState): Candidate[] {
  if (chainRule(s.config) !== "archive") {
    const ids = [s.seedId, ...s.heads.filter((id) => id !== s.seedId)];
    return [...new Set(ids)].map((id) => getCandidate(s, id));
  }
  return archiveMembers(s);
}
