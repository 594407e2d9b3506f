/** The end-of-run report: seed against champion, and what the run cost. */
import { getCandidate, listCandidates, splitMean } from "./candidates";
import type { Candidate, RunState } from "./run-state";
import { innerKey } from "./run-state";
import { adaptedPrompt, isMetaspo } from "./metaspo";
import { decidePromotion } from "./promotion-gate";
import type { RunReport, Split } from "./types";

type SplitMeans = Partial<Record<Split, number>>;

export function buildReport(s: RunState, champion: Candidate): RunReport {
  const seed = getCandidate(s, s.seedId);
  const items = listCandidates(s).filter((c) => c.kind === (s.kind === "finetune" ? "task" : "agent"));
  const report: RunReport = {
    kind: s.kind,
    championId: champion.id,
    championText: champion.text,
    tasks: s.kind === "finetune" ? finetuneTasks(s, seed, champion) : pretrainTasks(s, champion),
    generations: s.completedGenerations,
    candidates: items.length,
    admitted: items.filter((c) => c.status === "admitted").length,
    failedProposals: s.failedProposals,
    spent: { ...s.budget.spent },
    spentByRole: { task: { ...s.budget.spentByRole.task }, agent: { ...s.budget.spentByRole.agent } },
  };
  if (s.kind === "finetune") report.promotion = decidePromotion(s, seed, champion);
  if (s.kind === "pretrain" && seed.fitness !== null && champion.fitness !== null) {
    report.agentFitness = { seed: seed.fitness, champion: champion.fitness };
  }
  return report;
}

function finetuneTasks(s: RunState, seed: Candidate, champion: Candidate): RunReport["tasks"] {
  const taskId = seed.taskId ?? "";
  return [{ taskId, seed: splitMeans(seed, taskId), champion: splitMeans(champion, taskId) }];
}

/**
 * Per pool task: the seed task prompt's validation score, and the best one the champion
 * agent produced (MetaSPO: the adapted prompt under the champion shared prompt).
 */
function pretrainTasks(s: RunState, champion: Candidate): RunReport["tasks"] {
  return s.tasks.map((task) => {
    const seedTask = s.candidates[s.seedTasks[task.taskId] ?? ""];
    const seedVal = seedTask ? splitMean(seedTask, task.taskId, "val") : null;
    const run = s.innerRuns[innerKey(champion.id, task.taskId)];
    const bestChild = run?.bestChildId ? s.candidates[run.bestChildId] : undefined;
    const produced = run && isMetaspo(s) ? adaptedPrompt(s, run) : bestChild;
    const producedVal = run?.done ? (produced ? splitMean(produced, task.taskId, "val") : seedVal) : null;
    return {
      taskId: task.taskId,
      seed: seedVal === null ? {} : { val: seedVal },
      champion: producedVal === null ? {} : { val: producedVal },
    };
  });
}

/** Means of the splits that are fully scored; others are left out rather than guessed. */
function splitMeans(c: Candidate, taskId: string): SplitMeans {
  const means: SplitMeans = {};
  for (const split of ["train", "val", "test"] as const) {
    const m = splitMean(c, taskId, split);
    if (m !== null) means[split] = m;
  }
  return means;
}
