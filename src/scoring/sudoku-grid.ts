/**
 * Reading a 9x9 Sudoku grid out of free text. Models print grids in many layouts (rows
 * of digits with spaces or `|`, box rules of `-` and `+`, markdown tables, "Row 1: ...",
 * JSON arrays, LaTeX arrays, one 81-digit string), usually after reasoning that also
 * contains digits, so the reader looks for the last block that holds exactly one grid.
 */

/** A grid as 81 digits, row-major; "0" marks a cell the output left empty. */
export type Grid = string;

/** The outcome of reading: the last grid, or the longest grid-like block when none is complete. */
export type GridRead = { grid: Grid } | { grid: null; partialDigits: number };

// A row label ("Row 3:", "R3 |", "3)") or an answer label ("Final answer:") before the digits.
const ROW_LABEL = /^[\s*#>|-]*(?:row|r)\s*[1-9]\s*[:.)|\]-]?|^[\s*#>-]*[1-9]\s*[:)]\s|^[^\d:]*:/i;
// LaTeX layout commands (\hline, \begin{array}{ccc}, \\) carry no cells.
const LATEX = /\\[a-zA-Z]+(?:\{[^}]*\})*|\\\\/g;
// Exactly 81 digits, not part of a longer number or a decimal; a sentence's period may follow.
const COMPACT = /(?<!\d|\d\.)[0-9]{81}(?!\d|\.\d)/g;

interface Line {
  kind: "digits" | "neutral" | "text";
  digits: string;
}

function classify(raw: string): Line {
  const body = raw.replace(LATEX, " ");
  const unlabeled = body.replace(ROW_LABEL, " ");
  const hasLetters = /\p{L}/u.test(unlabeled);
  const digits = unlabeled.replace(/[^0-9]/g, "");
  if (hasLetters) return { kind: "text", digits: "" };
  return digits ? { kind: "digits", digits } : { kind: "neutral", digits: "" };
}

/**
 * The grid of one block of consecutive digit lines (blank and rule lines between them
 * allowed): exactly 81 digits; or, when a block holds several grids (the puzzle echoed,
 * then the solution), the last 9 rows of 9 digits, or the last 81 of a multiple of 81.
 */
function blockGrid(rows: string[]): Grid | null {
  const all = rows.join("");
  if (all.length === 81) return all;
  if (rows.length >= 9 && rows.slice(-9).every((row) => row.length === 9)) return rows.slice(-9).join("");
  if (all.length > 0 && all.length % 81 === 0) return all.slice(-81);
  return null;
}

/**
 * The last 9x9 grid in `text`, by position. A line with letters ends a block (so prose
 * numbers never join a grid) unless the letters are a row or answer label; an 81-digit
 * run inside prose ("The solution is 5346...") is a grid too.
 */
export function readLastGrid(text: string): GridRead {
  // Lines are visited in order, so the grid assigned last is the last one in the text.
  let last: Grid | null = null;
  let partialDigits = 0;
  let block: string[] = [];
  const flush = () => {
    if (block.length === 0) return;
    const grid = blockGrid(block);
    if (grid) last = grid;
    else partialDigits = Math.max(partialDigits, block.join("").length);
    block = [];
  };
  for (const raw of text.split("\n")) {
    const line = classify(raw);
    if (line.kind === "digits") block.push(line.digits);
    else if (line.kind === "text") {
      flush();
      for (const match of raw.matchAll(COMPACT)) last = match[0];
    }
  }
  flush();
  return last === null ? { grid: null, partialDigits } : { grid: last };
}

/** A problem with a grid, located for feedback ("duplicate 7 in row 2"). */
export type GridProblem = string;

/**
 * Every way `grid` fails to solve `puzzle` (81 chars, digits for givens, anything else
 * empty): an empty cell, a changed given, a digit twice in a row, column or box. Empty
 * means solved: a complete grid with every unit a permutation of 1-9 that keeps the givens.
 */
export function gridProblems(puzzle: string, grid: Grid): GridProblem[] {
  const problems: GridProblem[] = [];
  const cell = (i: number) => `r${Math.floor(i / 9) + 1}c${(i % 9) + 1}`;
  const empty = [...grid].flatMap((d, i) => (d === "0" ? [cell(i)] : []));
  if (empty.length > 0) problems.push(`${empty.length} empty cell(s) (0) e.g. at ${empty[0]}`);
  for (let i = 0; i < 81; i++) {
    const given = puzzle[i]!;
    if (/[1-9]/.test(given) && grid[i] !== given) problems.push(`changed a given at ${cell(i)} (${given} -> ${grid[i]})`);
  }
  const units: Array<[string, number[]]> = [];
  for (let k = 0; k < 9; k++) {
    units.push([`row ${k + 1}`, Array.from({ length: 9 }, (_, j) => k * 9 + j)]);
    units.push([`column ${k + 1}`, Array.from({ length: 9 }, (_, j) => j * 9 + k)]);
    const top = Math.floor(k / 3) * 27 + (k % 3) * 3;
    units.push([`box ${k + 1}`, Array.from({ length: 9 }, (_, j) => top + Math.floor(j / 3) * 9 + (j % 3))]);
  }
  for (const [name, cells] of units) {
    const seen = new Set<string>();
    for (const i of cells) {
      const d = grid[i]!;
      if (d === "0") continue;
      if (seen.has(d)) {
        problems.push(`duplicate ${d} in ${name}`);
        break;
      }
      seen.add(d);
    }
  }
  return problems;
}
