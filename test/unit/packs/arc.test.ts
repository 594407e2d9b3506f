import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { arcAgi1Pack, parseArcTask } from "../../../src/packs/arc/arc-pack";
import { ARC_EVALUATION_IDS } from "../../../src/packs/arc/evaluation-ids";
import { CreateTaskSchema } from "../../../src/routes/task-input";
import { passAtK } from "../../../src/scoring/pass-at-k";
import { readLastGrid, renderGrid } from "../../../src/scoring/read-grid";
import { scoreOutput } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";
import { packTaskBody } from "../../../src/packs/load";

const FIXTURES = fileURLToPath(new URL("./fixtures/arc/", import.meta.url));
const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const REAL_DIR = `${DATASETS}arc-agi-1/evaluation/`;
const HAS_REAL = existsSync(REAL_DIR);

const readDir = (dir: string) =>
  Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => [f, new Uint8Array(readFileSync(`${dir}${f}`))]));
const score = (output: string, expected: string) => scoreOutput(arcAgi1Pack.scorer, output, expected);

describe("readLastGrid", () => {
  it.each([
    ["rows of digits", "Answer:\n012\n340", [[0, 1, 2], [3, 4, 0]]],
    ["spaced and comma rows", "so:\n0 1 2\n3,4,0", [[0, 1, 2], [3, 4, 0]]],
    ["bracketed rows", "[0, 1]\n[2, 3]", [[0, 1], [2, 3]]],
    ["a fenced block", "```\n01\n23\n```\nDone.", [[0, 1], [2, 3]]],
    ["one-line JSON", "Answer: [[5, 5], [0, 6]]", [[5, 5], [0, 6]]],
    ["pretty JSON", "[\n  [1, 2],\n  [3, 4]\n]", [[1, 2], [3, 4]]],
    ["the last of several", "Example output:\n11\n11\n\nAnswer:\n22\n22", [[2, 2], [2, 2]]],
    ["JSON after rows", "11\n11\nso [[3]]", [[3]]],
  ])("reads %s", (_label, text, grid) => {
    expect(readLastGrid(text)).toEqual({ grid });
  });

  it("says why when there is no usable grid", () => {
    expect(readLastGrid("I cannot tell.")).toEqual({ grid: null, problem: "no grid found" });
    expect(readLastGrid("Answer:\n012\n34")).toMatchObject({ grid: null, problem: expect.stringContaining("not rectangular") });
    expect(readLastGrid("[[1, 10]]")).toMatchObject({ grid: null });
  });
});

describe("arc-grid scorer", () => {
  const expected = "[[1,2],[3,4]]";
  it("scores an exact match 1 and anything else 0 with specific feedback", () => {
    expect(score("Answer:\n12\n34", expected)).toEqual({ score: 1, feedback: "Correct: the 2x2 grid matches exactly." });
    expect(score("Answer:\n12\n34\n56", expected).feedback).toBe("Wrong size: the answer grid is 3x2, the expected one 2x2 (rows x columns).");
    expect(score("[[1, 2], [3, 5]]", expected)).toEqual({
      score: 0,
      feedback: "Right size (2x2) but 1 of 4 cells differ; first at row 2, column 2: got 5, expected 4.",
    });
    expect(score("no idea", expected).feedback).toMatch(/^No usable answer grid: no grid found/);
    expect(score("12\n34", "not a grid").feedback).toMatch(/is not a JSON grid/);
  });

  it("has a spec that validates", () => {
    expect(ScorerSpecSchema.parse({ type: "arc-grid" })).toEqual(arcAgi1Pack.scorer);
  });
});

describe("passAtK", () => {
  it("with k = n attempts, passes when any attempt does", () => {
    expect(passAtK([0, 0, 1])).toBe(1);
    expect(passAtK([0, 0, 0])).toBe(0);
    expect(passAtK([1])).toBe(1);
    expect(passAtK([])).toBe(0);
  });

  it("with k < n, is the unbiased estimator 1 - C(n-c,k)/C(n,k)", () => {
    expect(passAtK([1, 0, 0, 0, 0], 3)).toBeCloseTo(1 - 4 / 10, 12);
    expect(passAtK([1, 1, 0, 0, 0], 1)).toBeCloseTo(2 / 5, 12);
    expect(passAtK([1, 1, 1, 1, 0], 2)).toBe(1);
    expect(() => passAtK([1, 0], 3)).toThrow(RangeError);
  });
});

describe("arc-agi-1 pack on fixtures", () => {
  const examples = arcAgi1Pack.parse(readDir(FIXTURES), { seed: 0 });

  it("makes one example per test input, in task id order", () => {
    expect(examples.map((e) => e.meta)).toEqual([
      { taskId: "f1a0c0de", testIndex: 0, testCount: 1, demonstrations: 2 },
      { taskId: "f2b0c0de", testIndex: 0, testCount: 2, demonstrations: 2 },
      { taskId: "f2b0c0de", testIndex: 1, testCount: 2, demonstrations: 2 },
    ]);
    expect(examples.map((e) => e.expected)).toEqual(["[[7,0],[0,8],[9,9]]", "[[2]]", "[[2,0,0,2],[0,2,2,0]]"]);
  });

  it("renders the demonstrations and the test input, never the test output", () => {
    expect(examples[0]!.input).toMatchInlineSnapshot(`
      "Find the rule that turns each input grid into its output grid, then apply it to the test input.

      Example 1
      Input (2x3):
      100
      020
      Output (2x3):
      001
      020

      Example 2
      Input (3x4):
      3300
      0004
      5000
      Output (3x4):
      0033
      4000
      0005

      Test input (3x2):
      07
      80
      99"
    `);
    expect(examples[2]!.input.endsWith("Test input (2x4):\n1001\n0110")).toBe(true);
  });

  it("gives gold answers that score 1, in either grid form", () => {
    for (const example of examples) {
      const grid = JSON.parse(example.expected) as number[][];
      expect(score(`Thinking...\nAnswer:\n${renderGrid(grid)}`, example.expected).score).toBe(1);
      expect(score(`Answer: ${JSON.stringify(grid)}`, example.expected).score).toBe(1);
    }
  });

  it("builds a valid POST /v1/tasks body and honours limit", () => {
    expect(CreateTaskSchema.safeParse(packTaskBody(arcAgi1Pack, examples, 0)).success).toBe(true);
    expect(arcAgi1Pack.parse(readDir(FIXTURES), { seed: 0, limit: 2 })).toEqual(examples.slice(0, 2));
  });

  it("names the file and place of malformed data", () => {
    expect(() => parseArcTask("x.json", "{")).toThrow(/^x.json: not JSON/);
    expect(() => parseArcTask("x.json", '{"train": [], "test": []}')).toThrow('x.json: "train" is not a non-empty array');
    const ragged = '{"train": [{"input": [[1], [1, 2]], "output": [[1]]}], "test": [{"input": [[1]], "output": [[1]]}]}';
    expect(() => parseArcTask("x.json", ragged)).toThrow("x.json: train[0].input is not a non-empty rectangle of integers 0-9");
    const noAnswer = '{"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[1]]}]}';
    expect(() => parseArcTask("x.json", noAnswer)).toThrow("x.json: test[0].output");
    expect(() => arcAgi1Pack.parse({}, { seed: 0 })).toThrow(/no task file given/);
  });

  it("lists the 400 evaluation files as sources", () => {
    expect(ARC_EVALUATION_IDS).toHaveLength(400);
    expect(new Set(ARC_EVALUATION_IDS).size).toBe(400);
    expect(arcAgi1Pack.sources[0]!.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/fchollet\/ARC-AGI\/[0-9a-f]{40}\/data\/evaluation\/[0-9a-f]{8}\.json$/);
  });
});

describe.skipIf(!HAS_REAL)(`arc-agi-1 against the real data at ${REAL_DIR}${HAS_REAL ? "" : " (absent: skipped)"}`, () => {
  it("parses 419 examples from the 400 evaluation tasks; every gold answer scores 1, a one-cell change 0", () => {
    const files = readDir(REAL_DIR);
    expect(Object.keys(files).sort()).toEqual([...ARC_EVALUATION_IDS].map((id) => `${id}.json`));
    const examples = arcAgi1Pack.parse(files, { seed: 0 });
    expect(examples).toHaveLength(419);
    expect(new Set(examples.map((e) => e.meta?.["taskId"])).size).toBe(400);
    let gold = 0;
    let wrongCaught = 0;
    for (const example of examples) {
      const grid = JSON.parse(example.expected) as number[][];
      if (score(`Answer:\n${renderGrid(grid)}`, example.expected).score === 1) gold += 1;
      grid[0]![0] = (grid[0]![0]! + 1) % 10;
      if (score(`Answer:\n${renderGrid(grid)}`, example.expected).score === 0) wrongCaught += 1;
    }
    console.log(`arc-agi-1 real data: gold answers score 1 for ${gold}/${examples.length}; one-cell changes caught ${wrongCaught}/${examples.length}`);
    expect(gold).toBe(examples.length);
    expect(wrongCaught).toBe(examples.length);
    expect(Math.max(...examples.map((e) => e.input.length))).toBeLessThan(20_000);
    expect(CreateTaskSchema.safeParse(packTaskBody(arcAgi1Pack, examples, 0)).success).toBe(true);
  });
});
