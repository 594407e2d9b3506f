/** Choosing the run's champion among its finalists, and tracing its lineage. */
import { finalists, getCandidate, splitMean } from "./candidates";
import type { Candidate, RunState } from "./run-state";

/**
 * Fine-tuning: the best validation mean (a finalist without a complete validation score
 * ranks below every one with it), then the best train fitness, then the earlier one.
 * Pre-training: the best F~, which is already measured on validation data.
 */
export function pickChampion(s: RunState): Candidate {
  let best: Candidate | null = null;
  for (const c of finalists(s)) if (!best || ranksAbove(s, c, best)) best = c;
  return best ?? getCandidate(s, s.seedId);
}

function ranksAbove(s: RunState, a: Candidate, b: Candidate): boolean {
  if (s.kind === "finetune") {
    const valA = valOrFloor(s, a);
    const valB = valOrFloor(s, b);
    if (valA !== valB) return valA > valB;
  }
  const fitA = a.fitness ?? Number.NEGATIVE_INFINITY;
  const fitB = b.fitness ?? Number.NEGATIVE_INFINITY;
  if (fitA !== fitB) return fitA > fitB;
  return a.seq < b.seq;
}

function valOrFloor(s: RunState, c: Candidate): number {
  return splitMean(c, c.taskId ?? "", "val") ?? Number.NEGATIVE_INFINITY;
}

/** Candidate ids from the root (the seed) down to `id`. */
export function lineage(s: RunState, id: string): string[] {
  const ids: string[] = [];
  for (let c: Candidate | undefined = s.candidates[id]; c; c = c.parentId ? s.candidates[c.parentId] : undefined) ids.push(c.id);
  return ids.reverse();
}
