import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadPack, packTaskBody } from "../../../src/packs/load";
import { CreateTaskSchema } from "../../../src/routes/task-input";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";
import { renderPuzzle, sudokuPack } from "../../../src/packs/sudoku/sudoku-pack";
import { scoreOutput } from "../../../src/scoring/registry";
import { gridProblems, readLastGrid } from "../../../src/scoring/sudoku-grid";
import { sudokuExpected } from "../../../src/scoring/sudoku";

const FIXTURE = fileURLToPath(new URL("./fixtures/sudoku/sudoku_mini.csv", import.meta.url));
const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const REAL_DIR = `${DATASETS}sudoku`;
const HAS_REAL = existsSync(`${REAL_DIR}/sudoku_curated_5000.csv`);

// The first fixture puzzle (made up for these tests from a pattern grid).
const PUZZLE = "5.7.8...2...5719...9..34.75.5.8....3....12597.21.9.6...7...83...359...2.4.21.3...";
const SOLUTION = "517689432243571986698234175759846213864312597321795648976428351135967824482153769";
const EXPECTED = sudokuExpected(PUZZLE, SOLUTION);
const rows = (grid: string) => grid.match(/.{9}/g)!;
const score = (output: string, expected = EXPECTED) => scoreOutput(sudokuPack.scorer, output, expected);

/** The solution with cells i and j swapped: rows stay permutations, columns or boxes break. */
function swap(grid: string, i: number, j: number): string {
  const cells = [...grid];
  [cells[i], cells[j]] = [cells[j]!, cells[i]!];
  return cells.join("");
}

describe("readLastGrid: the layouts models print", () => {
  const r = rows(SOLUTION);
  it.each([
    ["9 lines of digits", r.join("\n")],
    ["spaced digits with box rules", renderPuzzle(SOLUTION).split("\n\n")[1]!],
    ["a markdown table", `| c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 |\n|---|---|---|---|---|---|---|---|---|\n${r.map((x) => `| ${[...x].join(" | ")} |`).join("\n")}`],
    ["row labels", r.map((x, k) => `Row ${k + 1}: ${[...x].join(" ")}`).join("\n")],
    ["numbered rows", r.map((x, k) => `${k + 1}) ${x}`).join("\n")],
    ["a one-line JSON array", `Answer: ${JSON.stringify(r.map((x) => [...x].map(Number)))}`],
    ["a multi-line JSON object", `{\n  "grid": [\n${r.map((x) => `    [${[...x].join(", ")}]`).join(",\n")}\n  ]\n}`],
    ["a LaTeX array in a box", `\\boxed{\\begin{array}{ccc|ccc|ccc}\n${r.map((x) => [...x].join(" & ")).join(" \\\\\n")}\n\\end{array}}`],
    ["an 81-digit string inside prose", `The completed grid is ${SOLUTION}, which I checked.`],
    ["an 81-digit string ending a sentence", `So the answer is ${SOLUTION}.`],
    ["a code fence after an Answer line", `Answer:\n\`\`\`\n${r.join("\n")}\n\`\`\``],
    ["the puzzle echoed right above the solution", `${rows(PUZZLE.replace(/\./g, "0")).join("\n")}\n\n${r.join("\n")}`],
  ])("reads %s", (_, output) => {
    expect(readLastGrid(`Let me work through rows 1 to 9 and columns 3, 4.\n${output}\nDone.`)).toEqual({ grid: SOLUTION });
  });

  it("takes the last grid when there are several, and reports a partial one", () => {
    const first = swap(SOLUTION, 0, 1);
    expect(readLastGrid(`Draft:\n${rows(first).join("\n")}\nFixed:\n${rows(SOLUTION).join("\n")}`)).toEqual({ grid: SOLUTION });
    expect(readLastGrid(`${rows(SOLUTION).slice(0, 8).join("\n")}\nI ran out of time.`)).toEqual({ grid: null, partialDigits: 72 });
    expect(readLastGrid("No idea, sorry.")).toEqual({ grid: null, partialDigits: 0 });
  });
});

describe("gridProblems", () => {
  it("is empty for the solution and locates what is wrong otherwise", () => {
    expect(gridProblems(PUZZLE, SOLUTION)).toEqual([]);
    // r1c1 is a given (5); swapping it with r1c2 changes it and breaks two columns.
    expect(gridProblems(PUZZLE, swap(SOLUTION, 0, 1))).toEqual(expect.arrayContaining(["changed a given at r1c1 (5 -> 1)", "duplicate 1 in column 1"]));
    // r2c5 holds 7; writing 7 at r2c4 (not a given) duplicates it in row 2.
    const duplicate = `${SOLUTION.slice(0, 12)}7${SOLUTION.slice(13)}`;
    expect(gridProblems(PUZZLE, duplicate)).toContain("duplicate 7 in row 2");
    expect(gridProblems(PUZZLE, `0${SOLUTION.slice(1)}`)[0]).toBe("1 empty cell(s) (0) e.g. at r1c1");
  });
});

describe("sudoku scorer", () => {
  it("scores a valid solution 1 in any layout", () => {
    expect(score(`Filling in the singles...\nAnswer:\n${rows(SOLUTION).join("\n")}`)).toEqual({ score: 1, feedback: "Correct: a valid solution that keeps every given." });
  });

  it("accepts a valid grid other than the stored solution, since validity decides", () => {
    // Relabelling 1 <-> 2 keeps a grid valid; with the 1 and 2 givens blanked it fits the puzzle too.
    const swapped = SOLUTION.replace(/[12]/g, (d) => (d === "1" ? "2" : "1"));
    const puzzle = [...PUZZLE].map((c, i) => (/[12]/.test(SOLUTION[i]!) ? "." : c)).join("");
    expect(score(swapped, sudokuExpected(puzzle, SOLUTION)).score).toBe(1);
  });

  it.each([
    ["a changed given", swap(SOLUTION, 0, 1), /^Not a solution: changed a given at r1c1 \(5 -> 1\).*2 of 81 cells differ/],
    ["a duplicate", `${SOLUTION.slice(0, 12)}7${SOLUTION.slice(13)}`, /duplicate 7 in row 2/],
    ["an empty cell", `${SOLUTION.slice(0, 80)}0`, /1 empty cell\(s\) \(0\) e\.g\. at r9c9/],
    ["no grid", "I think the top-left is 5.", /^No complete 9x9 grid found; end with the solved grid/],
    ["a partial grid", rows(SOLUTION).slice(0, 5).join("\n"), /largest grid-like block has 45 digits/],
  ])("scores 0 for %s, saying what is wrong", (_, output, feedback) => {
    const result = score(output.length === 81 ? rows(output).join("\n") : output);
    expect(result.score).toBe(0);
    expect(result.feedback).toMatch(feedback);
    expect(result.feedback.length).toBeLessThanOrEqual(300);
  });

  it("reports a malformed expected value instead of scoring", () => {
    expect(score(SOLUTION, SOLUTION).feedback).toMatch(/is not \{"puzzle": 81 chars/);
    expect(score(SOLUTION, "{").score).toBe(0);
  });
});

describe("sudoku pack: parse", () => {
  const files = async () => ({ "sudoku_curated_5000.csv": new Uint8Array(await readFile(FIXTURE)) });

  it("reads the CRLF CSV, renders the grid, and carries puzzle + solution in expected", async () => {
    const examples = sudokuPack.parse(await files(), { seed: 0 });
    expect(examples).toHaveLength(5);
    const first = examples[0]!;
    expect(JSON.parse(first.expected)).toEqual({ puzzle: PUZZLE, solution: SOLUTION });
    expect(first.meta).toEqual({ index: 1, clues: 36, level: "Beginner", difficulty: 0 });
    expect(first.input).toBe(renderPuzzle(PUZZLE));
    expect(first.input).toMatchInlineSnapshot(`
      "Solve this Sudoku (. marks an empty cell):

      5 . 7 | . 8 . | . . 2
      . . . | 5 7 1 | 9 . .
      . 9 . | . 3 4 | . 7 5
      ------+-------+------
      . 5 . | 8 . . | . . 3
      . . . | . 1 2 | 5 9 7
      . 2 1 | . 9 . | 6 . .
      ------+-------+------
      . 7 . | . . 8 | 3 . .
      . 3 5 | 9 . . | . 2 .
      4 . 2 | 1 . 3 | . . ."
    `);
    expect(examples.every((e) => score(JSON.parse(e.expected).solution, e.expected).score === 1)).toBe(true);
  });

  it("builds a valid POST /v1/tasks body", async () => {
    const body = packTaskBody(sudokuPack, sudokuPack.parse(await files(), { seed: 0 }), 0);
    expect(CreateTaskSchema.safeParse(body).success).toBe(true);
    expect(ScorerSpecSchema.parse(sudokuPack.scorer)).toEqual(sudokuPack.scorer);
  });

  it("interleaves levels so any limit is stratified", async () => {
    const examples = sudokuPack.parse(await files(), { seed: 0 });
    expect(examples.map((e) => e.meta?.["level"])).toEqual(["Beginner", "Easy", "Medium", "Beginner", "Easy"]);
    expect(sudokuPack.parse(await files(), { seed: 0, limit: 3 })).toEqual(examples.slice(0, 3));
  });

  it("refuses a record whose solution does not solve its puzzle", async () => {
    const text = new TextDecoder().decode((await files())["sudoku_curated_5000.csv"]).replace(SOLUTION, swap(SOLUTION, 0, 1));
    expect(() => sudokuPack.parse({ "sudoku_curated_5000.csv": new TextEncoder().encode(text) }, { seed: 0 })).toThrow(
      "sudoku_curated_5000.csv record 1: the solution does not solve the puzzle (changed a given at r1c1 (5 -> 1))",
    );
  });
});

describe("loadPack: the download path, with a fake fetch", () => {
  const url = sudokuPack.sources[0]!.url;

  it("fetches each source by its public URL and inflates gzip in memory", async () => {
    const bytes = gzipSync(await readFile(FIXTURE));
    const requested: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      requested.push(String(input));
      return new Response(bytes);
    }) as typeof fetch;
    const examples = await loadPack("sudoku", { seed: 0, limit: 2, fetch: fakeFetch });
    expect(requested).toEqual([url]);
    expect(examples.map((e) => e.meta?.["level"])).toEqual(["Beginner", "Easy"]);
  });

  it("fails with the file, the URL and the reason", async () => {
    const notFound = (async () => new Response("nope", { status: 404, statusText: "Not Found" })) as typeof fetch;
    await expect(loadPack("sudoku", { seed: 0, fetch: notFound })).rejects.toThrow(
      `sudoku: download of sudoku_curated_5000.csv from ${url} failed: HTTP 404 Not Found (or pass --from-file with a local copy)`,
    );
    const hang = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)))) as typeof fetch;
    await expect(loadPack("sudoku", { seed: 0, fetch: hang, timeoutMs: 20 })).rejects.toThrow(/failed: no answer within 0\.02 s/);
  });

  it("names an unknown pack and a missing local file", async () => {
    await expect(loadPack("nope", { seed: 0 })).rejects.toThrow(/unknown pack "nope"; known packs: .*aime25.*gpqa-diamond.*sudoku/);
    await expect(loadPack("sudoku", { seed: 0, fromFile: `${FIXTURE}.missing` })).rejects.toThrow(/is not a file or directory/);
  });
});

describe.skipIf(!HAS_REAL)(`sudoku against the real data at ${REAL_DIR}${HAS_REAL ? "" : " (absent: skipped)"}`, () => {
  it("scores all 5000 gold solutions 1 and perturbed ones 0", async () => {
    const examples = await loadPack("sudoku", { fromFile: REAL_DIR, seed: 0 });
    const tally = { examples: examples.length, gold: 0, goldCompact: 0, swappedFree: 0, changedGiven: 0 };
    for (const { expected } of examples) {
      const { puzzle, solution } = JSON.parse(expected) as { puzzle: string; solution: string };
      if (score(`Answer:\n${rows(solution).join("\n")}`, expected).score === 1) tally.gold++;
      if (score(`The solution is ${solution}.`, expected).score === 1) tally.goldCompact++;
      // Two empty cells in one row with different digits: the row stays valid, columns break.
      const free = [...puzzle].flatMap((c, i) => (c === "." ? [i] : []));
      const a = free[0]!;
      const b = free.find((i) => i !== a && Math.floor(i / 9) === Math.floor(a / 9) && solution[i] !== solution[a])!;
      if (score(rows(swap(solution, a, b)).join("\n"), expected).score === 0) tally.swappedFree++;
      const given = puzzle.search(/[1-9]/);
      const changed = `${solution.slice(0, given)}${(Number(solution[given]) % 9) + 1}${solution.slice(given + 1)}`;
      const result = score(rows(changed).join("\n"), expected);
      if (result.score === 0 && result.feedback.includes("changed a given")) tally.changedGiven++;
    }
    expect(tally).toEqual({ examples: 5000, gold: 5000, goldCompact: 5000, swappedFree: 5000, changedGiven: 5000 });
  });

  it("stratifies a limited load across the five levels", async () => {
    const examples = await loadPack("sudoku", { fromFile: REAL_DIR, seed: 0, limit: 500 });
    const perLevel = Object.fromEntries(["Beginner", "Easy", "Medium", "Hard", "Expert"].map((l) => [l, examples.filter((e) => e.meta?.["level"] === l).length]));
    expect(perLevel).toEqual({ Beginner: 100, Easy: 100, Medium: 100, Hard: 100, Expert: 100 });
  });
});
