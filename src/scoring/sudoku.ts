/**
 * `sudoku`: the last 9x9 grid in the output solves the puzzle: it keeps every given and
 * every row, column and box holds 1-9 once. The check needs the puzzle, and a scorer
 * sees only (output, expected), so the expected answer carries it:
 * `{"puzzle": "<81 chars, digits for givens, '.' or '0' for empty>", "solution": "<81 digits>"}`.
 * Validity, not equality with `solution`, decides the score, so a puzzle with several
 * solutions still accepts any of them; `solution` only sharpens the feedback.
 */
import { z } from "zod";
import { quote } from "./feedback";
import type { Scorer } from "./scorer";
import { gridProblems, readLastGrid } from "./sudoku-grid";

export const SudokuSpecSchema = z.strictObject({
  type: z.literal("sudoku"),
});
export type SudokuSpec = z.infer<typeof SudokuSpecSchema>;

const ExpectedSchema = z.object({
  puzzle: z.string().regex(/^[0-9.]{81}$/),
  solution: z.string().regex(/^[1-9]{81}$/).optional(),
});

/** The expected answer the sudoku scorer reads, as a JSON string. */
export function sudokuExpected(puzzle: string, solution: string): string {
  return JSON.stringify({ puzzle, solution });
}

// Only the first few problems: a wrong grid often has dozens, and feedback must stay short.
const MAX_PROBLEMS = 4;

export const sudokuScorer: Scorer<SudokuSpec> = {
  score(output, expected) {
    const want = parseExpected(expected);
    if (!want) {
      return { score: 0, feedback: `The expected value ${quote(expected)} is not {"puzzle": 81 chars, "solution": 81 digits}; fix the example.` };
    }
    const read = readLastGrid(output);
    if (read.grid === null) {
      const partial = read.partialDigits > 0 ? ` (the largest grid-like block has ${read.partialDigits} digits)` : "";
      return { score: 0, feedback: `No complete 9x9 grid found${partial}; end with the solved grid as 9 lines of 9 digits.` };
    }
    const problems = gridProblems(want.puzzle, read.grid);
    if (problems.length === 0) return { score: 1, feedback: "Correct: a valid solution that keeps every given." };
    const shown = problems.slice(0, MAX_PROBLEMS).join("; ");
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : "";
    const off = want.solution ? ` ${countDiffs(read.grid, want.solution)} of 81 cells differ from the solution.` : "";
    return { score: 0, feedback: `Not a solution: ${shown}${more}.${off}` };
  },
};

function parseExpected(expected: string): { puzzle: string; solution?: string | undefined } | null {
  try {
    const parsed = ExpectedSchema.safeParse(JSON.parse(expected));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function countDiffs(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < 81; i++) if (a[i] !== b[i]) n++;
  return n;
}
