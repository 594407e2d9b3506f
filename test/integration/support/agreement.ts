/**
 * Checks that what D1 recorded about a finished run agrees with what its Durable Object
 * knows: the same candidates and statuses, one evaluation row per scored example, one
 * ledger row per settled job, and the same spend.
 */
import { expect } from "vitest";
import type { RunSummary } from "../../../src/engine";
import { api } from "./api";
import { runHistory } from "./history";
import { storedState } from "./run-object";

export async function expectHistoryMatchesRun(summary: RunSummary): Promise<void> {
  const state = await storedState(summary.runId);
  const history = await runHistory(summary.runId);
  if (!state) throw new Error(`run ${summary.runId} has no state`);

  expect(history.run).toMatchObject({ status: summary.status, reason: summary.stopReason });
  expect(history.run?.report).toEqual(summary.report);

  // The API lists candidates in creation order, so a lineage reads parent before child.
  const candidates = Object.values(state.candidates).sort((a, b) => a.seq - b.seq);
  const listed = (await api("GET", `/v1/runs/${summary.runId}/candidates?limit=500`)).body.items;
  expect(listed.map((c: any) => [c.id, c.kind, c.status])).toEqual(candidates.map((c) => [c.id, c.kind, c.status]));
  expect(history.candidates).toHaveLength(summary.counts.candidates + summary.counts.innerCandidates);
  const evolving = summary.kind === "finetune" ? "task" : "agent";
  for (const status of ["admitted", "rejected"] as const) {
    expect(history.candidates.filter((c) => c.kind === evolving && c.status === status)).toHaveLength(summary.counts[status]);
  }
  // Admission decisions carry the fitness they were made on.
  for (const c of candidates.filter((c) => c.status === "admitted" || c.status === "rejected")) {
    expect(history.candidates.find((h) => h.id === c.id)?.fitness).toBeCloseTo(c.fitness ?? Number.NaN, 12);
  }

  // One row per scored example; each complete split is summarised on its candidate row.
  let scored = 0;
  for (const c of candidates) {
    for (const [taskId, splits] of Object.entries(c.scores)) {
      for (const [split, scores] of Object.entries(splits)) {
        const done = (scores ?? []).filter((x): x is number => x !== null);
        scored += done.length;
        if (scores && done.length === scores.length) {
          const row = history.candidates.find((h) => h.id === c.id)?.scores[`${taskId}/${split}`];
          expect(row?.n).toBe(done.length);
          expect(row?.score).toBeCloseTo(done.reduce((a, b) => a + b, 0) / done.length, 12);
        }
      }
    }
  }
  expect(history.evaluations).toBe(scored);

  // Every job was settled, and charged, exactly once (a run cut short drops the jobs it had not sent).
  if (summary.stopReason === "completed") expect(history.ledger.rows).toBe(state.counters.job);
  else expect(history.ledger.rows).toBeLessThanOrEqual(state.counters.job);
  expect(history.ledger).toMatchObject({
    calls: summary.budget.spent.calls,
    promptTokens: summary.budget.spent.promptTokens,
    completionTokens: summary.budget.spent.completionTokens,
  });
}

/**
 * A fine-tuning champion becomes the task's live prompt exactly when it beat the seed on
 * validation; otherwise the seed stays live. Returns whether it was promoted.
 */
export async function expectLivePromptFollows(summary: RunSummary): Promise<boolean> {
  const report = summary.report;
  const task = report?.tasks[0];
  if (!report || !task) throw new Error(`run ${summary.runId} has no report`);
  // The engine's promotion gate decides; a promotion is always a real validation gain.
  const promoted = report.promotion?.promote === true;
  if (promoted) expect(task.champion.val!).toBeGreaterThan(task.seed.val!);
  const live = (await api("GET", `/v1/tasks/${task.taskId}/prompt`)).body;
  if (promoted) {
    expect(live).toMatchObject({ version: 2, text: report.championText, source: "run", runId: summary.runId, candidateId: report.championId, scores: task.champion });
  } else {
    const seedPrompt = (await api("GET", `/v1/tasks/${task.taskId}`)).body.seedPrompt;
    expect(live).toMatchObject({ version: 1, text: seedPrompt, source: "seed" });
  }
  return promoted;
}
