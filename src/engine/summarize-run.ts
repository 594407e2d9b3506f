/** The JSON view of a run for `GET /v1/runs/:id`: where it is, what it found, what it cost. */
import { archiveMembers, listCandidates } from "./candidates";
import { bestByFitness } from "./generation";
import { type BudgetLedger, type Candidate, innerKey, type RunPhase, type RunState } from "./run-state";
import { mean } from "./stats";
import type { RunKind, RunReport, RunStatus, Split } from "./types";

/** A split's score as shown: the mean over the examples scored so far (final once scored = n). */
export interface SplitSummary {
  mean: number | null;
  scored: number;
  n: number;
}

export interface ArchiveMemberSummary {
  id: string;
  kind: "task" | "agent";
  parentId: string | null;
  generation: number;
  status: Candidate["status"];
  fitness: number | null;
  children: number;
  /** Per task id, per split that was started. */
  scores: Record<string, Partial<Record<Split, SplitSummary>>>;
  /** Pre-training agents: validation gain per pool task whose inner fine-tuning finished. */
  gains?: Record<string, number>;
}

export interface RunSummary {
  runId: string;
  kind: RunKind;
  status: RunStatus;
  stopReason: string | null;
  /** The generation in progress (or the last one started). */
  generation: number;
  /** G, the generations the run was configured with. */
  generations: number;
  phase: RunPhase;
  archive: ArchiveMemberSummary[];
  counts: {
    /** Candidates of the evolving kind (task prompts, or agent prompts in pre-training). */
    candidates: number;
    /** Pre-training: task prompts written by inner fine-tunings (with each task's seed prompt). */
    innerCandidates: number;
    admitted: number;
    rejected: number;
    failedProposals: number;
    jobsPending: number;
    jobsQueued: number;
  };
  budget: Pick<BudgetLedger, "limits" | "spent" | "reserved" | "spentByRole">;
  best: { id: string; fitness: number; text: string } | null;
  report: RunReport | null;
}

export function summarizeRun(s: RunState): RunSummary {
  const itemKind = s.kind === "finetune" ? "task" : "agent";
  const all = listCandidates(s);
  const items = all.filter((c) => c.kind === itemKind);
  const archive = archiveMembers(s);
  const best = bestByFitness(archive);
  return {
    runId: s.runId,
    kind: s.kind,
    status: s.status,
    stopReason: s.stopReason,
    generation: s.generation,
    generations: s.config.generations,
    phase: s.phase,
    archive: archive.map((c) => memberSummary(s, c)),
    counts: {
      candidates: items.length,
      innerCandidates: all.length - items.length,
      admitted: items.filter((c) => c.status === "admitted").length,
      rejected: items.filter((c) => c.status === "rejected").length,
      failedProposals: s.failedProposals,
      jobsPending: s.pending.length,
      jobsQueued: s.queue.length,
    },
    budget: { limits: s.budget.limits, spent: s.budget.spent, reserved: s.budget.reserved, spentByRole: s.budget.spentByRole },
    best: best ? { id: best.id, fitness: best.fitness ?? 0, text: best.text } : null,
    report: s.report,
  };
}

function memberSummary(s: RunState, c: Candidate): ArchiveMemberSummary {
  const summary: ArchiveMemberSummary = {
    id: c.id,
    kind: c.kind,
    parentId: c.parentId,
    generation: c.generation,
    status: c.status,
    fitness: c.fitness,
    children: c.children,
    scores: scoreSummaries(c),
  };
  if (c.kind === "agent") {
    const gains: Record<string, number> = {};
    for (const task of s.tasks) {
      const gain = s.innerRuns[innerKey(c.id, task.taskId)]?.gain;
      if (gain !== undefined && gain !== null) gains[task.taskId] = gain;
    }
    summary.gains = gains;
  }
  return summary;
}

function scoreSummaries(c: Candidate): ArchiveMemberSummary["scores"] {
  const out: ArchiveMemberSummary["scores"] = {};
  for (const [taskId, splits] of Object.entries(c.scores)) {
    const perTask: Partial<Record<Split, SplitSummary>> = {};
    for (const split of ["train", "val", "test"] as const) {
      const scores = splits[split];
      if (!scores) continue;
      const done = scores.filter((x): x is number => x !== null);
      perTask[split] = { mean: done.length > 0 ? mean(done) : null, scored: done.length, n: scores.length };
    }
    out[taskId] = perTask;
  }
  return out;
}
