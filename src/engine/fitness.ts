/** Fitness as selection and admission see it, for both kinds of run. */
import { admissionEpsilon } from "./admission";
import { completeScores } from "./candidates";
import { type Candidate, innerKey, type RunState } from "./run-state";

/**
 * Fitness on [0, 1] for DGM selection: fine-tuning fitness is a mean score already;
 * a pre-training gain lies in [-1, 1] and is mapped by (F + 1) / 2.
 */
export function normalizedFitness(s: RunState, c: Candidate): number {
  const fitness = c.fitness ?? 0;
  return s.kind === "finetune" ? fitness : (fitness + 1) / 2;
}

/** An agent candidate's gain per pool task, in pool order; only finished inner runs count. */
export function agentGains(s: RunState, agentId: string): number[] {
  const gains: number[] = [];
  for (const task of s.tasks) {
    const gain = s.innerRuns[innerKey(agentId, task.taskId)]?.gain;
    if (gain !== undefined && gain !== null) gains.push(gain);
  }
  return gains;
}

/**
 * The admission tolerance for children of `parent`: the standard error of its train
 * scores (fine-tuning) or of its per-task gains (pre-training), floored.
 */
export function epsilonFor(s: RunState, parent: Candidate): number {
  const items = s.kind === "finetune" ? (completeScores(parent, parent.taskId ?? "", "train") ?? []) : agentGains(s, parent.id);
  return admissionEpsilon(items, s.config.epsilonFloor);
}
