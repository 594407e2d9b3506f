/**
 * Reading an ARC answer grid (cells 0-9) out of free text. Models write grids two ways:
 * rows of digits, one row per line ("0120", "0 1 2 0", "0,1,2,0", "[0, 1, 2, 0]"), or a
 * JSON array of arrays, possibly spread over lines. The answer is the grid that ends
 * last in the output, since reasoning usually shows the demonstration grids first.
 */

/** A grid: rows of cells 0-9. */
export type Grid = number[][];

/** The last grid in a text, or why there is none usable. */
export type GridRead = { grid: Grid } | { grid: null; problem: string };

interface Candidate {
  end: number;
  grid: Grid | null;
  problem?: string;
}

const LABEL = /^(?:final\s+)?(?:answer|output|test\s+output|grid|result)\s*[:=]\s*/i;

/** The cells of one line when it is a grid row, else null. */
function rowCells(line: string): number[] | null {
  let text = line.trim().replace(LABEL, "").replace(/^`+|`+$/g, "").trim();
  text = text.replace(/^\|\s*|\s*\|$/g, "").replace(/,$/, "").trim();
  if (/^\[[\d\s,]*\]$/.test(text)) text = text.slice(1, -1).trim();
  if (/^\d+$/.test(text)) return [...text].map(Number);
  if (/^\d(?:\s*[, ]\s*\d)+$/.test(text)) return text.split(/[\s,]+/).map(Number);
  return null;
}

/** Blocks of consecutive row lines, each ending where its last row ends. */
function rowBlocks(text: string): Candidate[] {
  const found: Candidate[] = [];
  let rows: number[][] = [];
  let end = 0;
  const close = () => {
    if (rows.length === 0) return;
    const widths = new Set(rows.map((r) => r.length));
    found.push(
      widths.size === 1
        ? { end, grid: rows }
        : { end, grid: null, problem: `the last grid is not rectangular (row lengths ${[...widths].join(", ")})` },
    );
    rows = [];
  };
  let offset = 0;
  for (const line of text.split("\n")) {
    const cells = rowCells(line);
    if (cells) {
      rows.push(cells);
      end = offset + line.length;
    } else {
      close();
    }
    offset += line.length + 1;
  }
  close();
  return found;
}

/** The index just past the bracket that closes the one at `start`, or -1. */
function matchBracket(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === "[") depth += 1;
    else if (c === "]") {
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (!/[\s\d,.-]/.test(c)) return -1; // not a numeric array: stop early
  }
  return -1;
}

/** Parses a JSON grid; anything but a non-empty rectangle of integers 0-9 is null. */
export function toGrid(value: unknown): Grid | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  if (!value.every((row) => Array.isArray(row) && row.length > 0 && row.every((c) => Number.isInteger(c) && c >= 0 && c <= 9))) {
    return null;
  }
  const width = (value[0] as unknown[]).length;
  return value.every((row: unknown[]) => row.length === width) ? (value as Grid) : null;
}

/** JSON arrays of arrays, outermost only. */
function jsonGrids(text: string): Candidate[] {
  const found: Candidate[] = [];
  const opener = /\[\s*\[/g;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const end = matchBracket(text, m.index);
    if (end < 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(m.index, end));
    } catch {
      continue;
    }
    const grid = toGrid(value);
    found.push(grid ? { end, grid } : { end, grid: null, problem: "the last JSON grid is not a rectangle of digits 0-9" });
    opener.lastIndex = end;
  }
  return found;
}

/** The grid that ends last in `text` (see the file comment for the accepted forms). */
export function readLastGrid(text: string): GridRead {
  const normalized = text.replace(/\r\n?/g, "\n");
  const candidates = [...rowBlocks(normalized), ...jsonGrids(normalized)];
  if (candidates.length === 0) return { grid: null, problem: "no grid found" };
  // Rows of a pretty-printed JSON grid also read as a row block that ends inside it;
  // the later end wins, and on a tie the JSON reading (it has the brackets) does.
  const last = candidates.reduce((best, c) => (c.end >= best.end ? c : best));
  return last.grid ? { grid: last.grid } : { grid: null, problem: last.problem ?? "no grid found" };
}

/** "3x4" (rows x columns). */
export function gridSize(grid: Grid): string {
  return `${grid.length}x${grid[0]?.length ?? 0}`;
}

/** A grid as the model reads it: one row of digits per line. */
export function renderGrid(grid: Grid): string {
  return grid.map((row) => row.join("")).join("\n");
}
