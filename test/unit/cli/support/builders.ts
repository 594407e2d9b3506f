/** Builders for API records with overrides: makeRun({ status: "failed" }). */
import type { ArchiveMemberSummary, RunSummary } from "../../../../src/engine";
import type { Task } from "../../../../src/storage/task-repo";

export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: "task_1",
    name: "Capitals",
    description: "",
    seedPrompt: "Answer.",
    scorer: { type: "exact", caseSensitive: false },
    model: { model: "gpt-test" },
    splitSeed: 0,
    attempts: 1,
    counts: { train: 4, val: 2, test: 2 },
    liveVersion: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

export function member(generation: number, fitness: number | null, overrides: Partial<ArchiveMemberSummary> = {}): ArchiveMemberSummary {
  return { id: `cand_${generation}_${fitness}`, kind: "task", parentId: generation === 0 ? null : "cand_seed", generation, status: generation === 0 ? "seed" : "admitted", fitness, children: 0, scores: {}, ...overrides };
}

export function makeRun(overrides: Partial<RunSummary> = {}): RunSummary {
  const spend = { calls: 0, promptTokens: 0, completionTokens: 0, usd: 0 };
  return {
    runId: "run_0123456789abcdef0123456789abcdef",
    kind: "finetune",
    status: "running",
    stopReason: null,
    generation: 0,
    generations: 3,
    phase: "seed",
    archive: [],
    counts: { candidates: 1, innerCandidates: 0, admitted: 0, rejected: 0, failedProposals: 0, jobsPending: 0, jobsQueued: 0 },
    budget: { limits: {}, spent: spend, reserved: spend, spentByRole: { task: spend, agent: spend } },
    best: null,
    report: null,
    ...overrides,
  } as RunSummary;
}
