/**
 * The determinism check: the engine and SimLM are deterministic, so the same cell (method,
 * task, seed, same data and budget) must give the same numbers in any re-run, on any
 * fresh stack, whatever order concurrent cells ran in.
 */
import type { BenchResults, CellRecord } from "./results-store";

export interface Comparison {
  compared: number;
  mismatches: string[];
}

/** What must match: the scores and the work done (calls and tokens per role). */
function fingerprint(c: CellRecord): string {
  const f = c.finetune;
  return JSON.stringify([c.score, c.seedScore, c.splits, c.budgetTaskCalls, f?.task.calls, f?.task.promptTokens, f?.task.completionTokens, f?.agent.calls, f?.agent.promptTokens, f?.agent.completionTokens]);
}

/** Compares every cell completed in both files. */
export function compareResults(current: BenchResults, reference: BenchResults): Comparison {
  const mismatches: string[] = [];
  let compared = 0;
  for (const [key, cell] of Object.entries(current.cells)) {
    const other = reference.cells[key];
    if (cell.status !== "completed" || other?.status !== "completed") continue;
    compared++;
    if (fingerprint(cell) !== fingerprint(other)) mismatches.push(`${key}: ${fingerprint(cell)} vs ${fingerprint(other)}`);
  }
  return { compared, mismatches };
}
