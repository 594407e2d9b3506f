/**
 * 9x9 Sudoku: 5000 rated puzzles with unique solutions (1000 per level, Beginner to
 * Expert), from goldenfox-sudoku's curated sample of the Kaggle "3 million Sudoku
 * puzzles with ratings" set. The `sudoku` scorer needs the givens, so an example's
 * expected answer is the JSON {"puzzle", "solution"} (see src/scoring/sudoku.ts); the
 * puzzle is also rendered in the input for the model.
 */
import { gridProblems } from "../../scoring/sudoku-grid";
import { sudokuExpected } from "../../scoring/sudoku";
import { parseCsvObjects } from "../csv";
import { sourceText, takeLimit, type PackExample, type TaskPack } from "../pack";

const SOURCE = "sudoku_curated_5000.csv";
const COMMIT = "be9b0fee4647015d3134ab9d2015eeeb4b6d8431";

const SEED_PROMPT = [
  "You are solving a 9x9 Sudoku puzzle. Fill every empty cell (shown as .) with a digit from 1 to 9 so that each row,",
  "each column and each of the nine 3x3 boxes contains every digit exactly once. Never change a given digit.",
  "",
  "Think step by step: for each empty cell, work out which digits are still possible from its row, column and box;",
  "fill the cells that have only one possibility, and repeat. Before answering, check every row, column and box.",
  "",
  'End your response with the line "Answer:" followed by the completed grid as 9 lines of 9 digits.',
].join("\n");

/** The puzzle as 9 rows with box rules, `.` for an empty cell (the input the model reads). */
export function renderPuzzle(puzzle: string): string {
  const rows: string[] = [];
  for (let r = 0; r < 9; r++) {
    if (r === 3 || r === 6) rows.push("------+-------+------");
    const cells = [...puzzle.slice(r * 9, r * 9 + 9)].map((c) => (/[1-9]/.test(c) ? c : "."));
    rows.push([cells.slice(0, 3), cells.slice(3, 6), cells.slice(6, 9)].map((box) => box.join(" ")).join(" | "));
  }
  return `Solve this Sudoku (. marks an empty cell):\n\n${rows.join("\n")}`;
}

/**
 * One CSV record as an example. Throws (naming the record) when the solution is not a
 * valid grid that keeps the givens, so a corrupted file cannot yield unsolvable items.
 */
function toExample(row: Record<string, string>, position: number): PackExample {
  const where = `${SOURCE} record ${position + 1}`;
  const puzzle = (row["puzzle"] ?? "").trim().replace(/0/g, ".");
  const solution = (row["solution"] ?? "").trim();
  if (!/^[1-9.]{81}$/.test(puzzle)) throw new Error(`${where}: puzzle is not 81 cells of 1-9 or "."`);
  if (!/^[1-9]{81}$/.test(solution)) throw new Error(`${where}: solution is not 81 digits 1-9`);
  const problems = gridProblems(puzzle, solution);
  if (problems.length > 0) throw new Error(`${where}: the solution does not solve the puzzle (${problems[0]})`);
  const meta: Record<string, string | number> = { index: position + 1, clues: puzzle.replace(/\./g, "").length };
  if (row["level"]?.trim()) meta["level"] = row["level"].trim();
  const difficulty = Number(row["difficulty"]);
  if (row["difficulty"]?.trim() && Number.isFinite(difficulty)) meta["difficulty"] = difficulty;
  return { input: renderPuzzle(puzzle), expected: sudokuExpected(puzzle, solution), meta };
}

/**
 * Interleaves the levels (first of each level, then second of each, ...) so any prefix,
 * and so any `limit`, is stratified by difficulty: the file is grouped by level, and a
 * plain prefix of it would be all Beginner.
 */
function interleaveByLevel(examples: PackExample[]): PackExample[] {
  const byLevel = new Map<string, PackExample[]>();
  for (const example of examples) {
    const level = String(example.meta?.["level"] ?? "");
    const group = byLevel.get(level) ?? [];
    group.push(example);
    byLevel.set(level, group);
  }
  const groups = [...byLevel.values()];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  return Array.from({ length: longest }, (_, k) => groups.flatMap((g) => (k < g.length ? [g[k]!] : []))).flat();
}

/** The Sudoku pack; scored by `sudoku` (the last grid must keep the givens and be valid). */
export const sudokuPack: TaskPack = {
  id: "sudoku",
  name: "Sudoku 9x9",
  description: "9x9 Sudoku, 5000 rated puzzles with unique solutions (1000 per level, Beginner to Expert); solved = a valid grid that keeps every given.",
  seedPrompt: SEED_PROMPT,
  scorer: { type: "sudoku" },
  sources: [
    {
      name: SOURCE,
      url: `https://raw.githubusercontent.com/steven004/goldenfox-sudoku/${COMMIT}/Data/${SOURCE}`,
      note: "CSV puzzle,solution,clues,difficulty,level (CRLF); seed-42 sample of Kaggle radcliffe '3 million Sudoku puzzles with ratings' (CC0); repo MIT.",
    },
  ],
  split: { train: 0.5, val: 0.25, test: 0.25 },
  parse(files, options) {
    const rows = parseCsvObjects(sourceText(files, SOURCE));
    return takeLimit(interleaveByLevel(rows.map(toExample)), options.limit);
  },
};
