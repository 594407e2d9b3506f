/**
 * How a run's progress reads on a terminal: pure functions of a RunSummary (the JSON of
 * `GET /v1/runs/:id`), so the watch loop only decides when to print them.
 */
import type { ArchiveMemberSummary, RunSummary } from "../engine";
import { count, score, usd } from "./format";

/**
 * The last generation whose results are in: -1 while the seed is being scored, 0 once it
 * is (the seed is generation 0); during evolution `generation` is the one in progress;
 * after the last one the run stays at G through the final phase.
 */
export function lastFinishedGeneration(run: RunSummary): number {
  if (run.phase === "seed") return -1;
  // Also for a run cancelled or failed mid-generation: that generation never finished.
  if (run.phase === "evolve") return run.generation - 1;
  return Math.min(run.generation, run.generations);
}

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width;
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/** One line of state: redrawn in place on a terminal, printed on change otherwise. */
export function statusLine(run: RunSummary, withBar: boolean): string {
  const c = run.counts;
  const spent = run.budget.spent;
  const gen = run.phase === "seed" ? "seed" : `gen ${Math.min(run.generation, run.generations)}/${run.generations}`;
  const parts = [
    `${run.kind} ${run.status}`,
    gen,
    `phase ${run.phase}`,
    `best ${score(run.best?.fitness)}`,
    `candidates ${c.candidates} (admitted ${c.admitted}, rejected ${c.rejected}, failed ${c.failedProposals})`,
    `LLM calls ${count(spent.calls)}, tokens ${count(spent.promptTokens + spent.completionTokens)}`,
  ];
  const line = parts.join(" | ");
  return withBar ? `${progressBar(Math.max(0, lastFinishedGeneration(run)), run.generations)} ${line}` : line;
}

/** The best fitness among archive members born at or before generation `g`. */
function bestUpTo(archive: ArchiveMemberSummary[], g: number): number | null {
  let best: number | null = null;
  for (const m of archive) if (m.generation <= g && m.fitness !== null && (best === null || m.fitness > best)) best = m.fitness;
  return best;
}

/**
 * The line for a finished generation (0 = the seed): the best fitness so far, its change,
 * and what this generation added to the archive.
 */
export function generationLine(run: RunSummary, g: number): string {
  const label = g === 0 ? "seed" : `gen ${g}/${run.generations}`;
  const best = bestUpTo(run.archive, g);
  if (g === 0) return `${label.padEnd(10)} fitness ${score(best)}`;
  const before = bestUpTo(run.archive, g - 1);
  const delta = best !== null && before !== null ? ` (${best - before >= 0 ? "+" : ""}${(best - before).toFixed(3)})` : "";
  const admitted = run.archive.filter((m) => m.generation === g);
  const scores = admitted.map((m) => score(m.fitness)).join(", ");
  return `${label.padEnd(10)} best ${score(best)}${delta}  admitted ${admitted.length}${scores ? `: ${scores}` : ""}`;
}

/** The summary printed when a run has ended (and by `runs get`). */
export function describeRun(run: RunSummary): string[] {
  const spent = run.budget.spent;
  const lines = [
    `${run.runId}  ${run.kind}  ${run.status}${run.stopReason && run.stopReason !== run.status ? ` (${run.stopReason})` : ""}`,
    `progress  ${run.phase === "seed" ? "scoring the seed" : `generation ${Math.min(run.generation, run.generations)}/${run.generations}`}, phase ${run.phase}`,
    `candidates ${run.counts.candidates} (admitted ${run.counts.admitted}, rejected ${run.counts.rejected}, failed proposals ${run.counts.failedProposals})` +
      (run.counts.innerCandidates ? `, inner task prompts ${run.counts.innerCandidates}` : ""),
    `best      ${run.best ? `${run.best.id} (fitness ${score(run.best.fitness)}; the champion is chosen on val)` : "-"}`,
    `LLM       ${count(spent.calls)} calls, ${count(spent.promptTokens + spent.completionTokens)} tokens, ${usd(spent.usd)}`,
  ];
  const report = run.report;
  if (report) {
    for (const t of report.tasks) {
      // Pre-training scores no test split; show only the splits that were scored.
      const splits = (["val", "test"] as const).filter((s) => t.seed[s] !== undefined || t.champion[s] !== undefined);
      const parts = splits.map((s) => `${s} ${score(t.seed[s])} -> ${score(t.champion[s])}`);
      lines.push(`task ${t.taskId}: ${parts.join(", ") || "not scored"} (seed -> champion)`);
    }
    if (report.agentFitness) lines.push(`agent fitness (mean val gain): seed ${score(report.agentFitness.seed)} -> ${score(report.agentFitness.champion)}`);
    if (report.championText) lines.push(`champion ${report.championId ?? ""}:`, ...report.championText.split("\n").map((l) => `  ${l}`));
  }
  return lines;
}
