/**
 * `arc-grid`: ARC-AGI's rule, one attempt. The last grid in the output (rows of digits or
 * a JSON array of arrays, see ./read-grid) must equal the expected grid exactly,
 * dimensions included. The expected value is the grid as JSON (`[[0,1],[1,0]]`).
 * ARC is usually reported as pass@k over k attempts (the paper: pass@3); attempts are
 * the evaluator's business, and ./pass-at-k combines their scores.
 */
import { z } from "zod";
import { quote } from "./feedback";
import { type Grid, gridSize, readLastGrid, toGrid } from "./read-grid";
import type { Scorer } from "./scorer";

export const ArcGridSpecSchema = z.strictObject({
  type: z.literal("arc-grid"),
});
export type ArcGridSpec = z.infer<typeof ArcGridSpecSchema>;

/** The expected value the arc-grid scorer reads. */
export function arcExpected(grid: Grid): string {
  return JSON.stringify(grid);
}

function parseExpected(expected: string): Grid | null {
  try {
    return toGrid(JSON.parse(expected));
  } catch {
    return null;
  }
}

export const arcGridScorer: Scorer<ArcGridSpec> = {
  score(output, expected) {
    const want = parseExpected(expected);
    if (!want) return { score: 0, feedback: `The expected value ${quote(expected)} is not a JSON grid of digits 0-9; fix the example.` };
    const read = readLastGrid(output);
    if (!read.grid) {
      return { score: 0, feedback: `No usable answer grid: ${read.problem}. End with the output grid, one row of digits per line.` };
    }
    const got = read.grid;
    if (got.length !== want.length || got[0]!.length !== want[0]!.length) {
      return { score: 0, feedback: `Wrong size: the answer grid is ${gridSize(got)}, the expected one ${gridSize(want)} (rows x columns).` };
    }
    const diffs: Array<[number, number]> = [];
    want.forEach((row, r) => row.forEach((cell, c) => cell !== got[r]![c] && diffs.push([r, c])));
    if (diffs.length === 0) return { score: 1, feedback: `Correct: the ${gridSize(want)} grid matches exactly.` };
    const [r, c] = diffs[0]!;
    const cells = want.length * want[0]!.length;
    return {
      score: 0,
      feedback:
        `Right size (${gridSize(want)}) but ${diffs.length} of ${cells} cells differ; ` +
        `first at row ${r + 1}, column ${c + 1}: got ${got[r]![c]}, expected ${want[r]![c]}.`,
    };
  },
};
