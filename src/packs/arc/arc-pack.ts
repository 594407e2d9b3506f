/**
 * ARC-AGI-1, public evaluation set: 400 tasks with 419 test inputs. A task is a few
 * demonstration pairs (input grid -> output grid) and one or more test inputs; each test
 * input becomes one example whose input shows every demonstration pair and that test
 * input, and whose expected value is the test output grid as JSON (scored by `arc-grid`:
 * exact match, dimensions included). The test outputs are never put in an input.
 *
 * The paper reports ARC-AGI-1 as pass@3: see src/scoring/pass-at-k.ts for how an
 * evaluator runs the attempts. Examples of one task share its demonstrations; the
 * official task score (fraction of its test inputs solved) is the mean of its examples
 * by `meta.taskId`.
 */
import { arcExpected } from "../../scoring/arc-grid";
import { type Grid, gridSize, renderGrid, toGrid } from "../../scoring/read-grid";
import { type PackExample, type PackSource, type TaskPack, sourceText, takeLimit } from "../pack";
import { ARC_EVALUATION_IDS } from "./evaluation-ids";

const COMMIT = "399030444e0ab0cc8b4e199870fb20b863846f34";
/** The longest input POST /v1/tasks accepts; the largest ARC-AGI-1 example renders to about 8,600. */
const MAX_INPUT_CHARS = 20_000;

const SEED_PROMPT = [
  "You are solving an ARC-AGI puzzle. Grids are rectangles of cells; each digit 0-9 is a colour (0 is usually the background).",
  "Each demonstration pair shows an input grid and the output grid that one hidden rule produces from it.",
  "",
  "Think step by step: describe what changes from input to output in each pair (objects, colours, positions, sizes, symmetry, counts),",
  "state one rule that explains every pair, and check it against each pair before using it. Work out the size of the output grid first,",
  "then apply the rule to the test input cell by cell.",
  "",
  'End your response with the line "Answer:" followed by the output grid, one row per line, digits without spaces.',
].join("\n");

interface ArcPair {
  input: Grid;
  output: Grid;
}

const SOURCES: PackSource[] = ARC_EVALUATION_IDS.map((id) => ({
  name: `${id}.json`,
  url: `https://raw.githubusercontent.com/fchollet/ARC-AGI/${COMMIT}/data/evaluation/${id}.json`,
  note: 'ARC-AGI-1 evaluation task: {"train": [{input, output}], "test": [{input, output}]}, grids of digits 0-9; Apache-2.0.',
}));

/** One grid of a task file, or an Error naming the file and place. */
function gridAt(value: unknown, where: string): Grid {
  const grid = toGrid(value);
  if (!grid) throw new Error(`${where} is not a non-empty rectangle of integers 0-9`);
  return grid;
}

/** The pairs under `key`; test pairs need their outputs too, as they are the answers. */
function pairsAt(value: unknown, file: string, key: "train" | "test"): ArcPair[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${file}: "${key}" is not a non-empty array`);
  return value.map((pair: unknown, i) => {
    const record = (pair ?? {}) as { input?: unknown; output?: unknown };
    return { input: gridAt(record.input, `${file}: ${key}[${i}].input`), output: gridAt(record.output, `${file}: ${key}[${i}].output`) };
  });
}

const block = (label: string, grid: Grid) => `${label} (${gridSize(grid)}):\n${renderGrid(grid)}`;

/** The model's input for one test input: every demonstration pair, then the test input. */
export function renderArcInput(train: ReadonlyArray<{ input: Grid; output: Grid }>, testInput: Grid): string {
  const demos = train.map((pair, i) => `Example ${i + 1}\n${block("Input", pair.input)}\n${block("Output", pair.output)}`);
  return [
    "Find the rule that turns each input grid into its output grid, then apply it to the test input.",
    ...demos,
    block("Test input", testInput),
  ].join("\n\n");
}

/** The examples of one task file (one per test input). Throws naming the file when malformed. */
export function parseArcTask(file: string, text: string): PackExample[] {
  let task: { train?: unknown; test?: unknown };
  try {
    task = JSON.parse(text) as typeof task;
  } catch (error) {
    throw new Error(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const train = pairsAt(task.train, file, "train");
  const tests = pairsAt(task.test, file, "test");
  const taskId = file.replace(/\.json$/, "");
  return tests.map((test, testIndex) => {
    const input = renderArcInput(train, test.input);
    if (input.length > MAX_INPUT_CHARS) throw new Error(`${file}: test ${testIndex} renders to ${input.length} characters (max ${MAX_INPUT_CHARS})`);
    return {
      input,
      expected: arcExpected(test.output),
      meta: { taskId, testIndex, testCount: tests.length, demonstrations: train.length },
    };
  });
}

/**
 * The ARC-AGI-1 pack. `parse` reads every `<id>.json` it is given, in id order: the
 * loader supplies the 400 evaluation tasks; a smaller or different selection (the
 * training set, test fixtures) works the same way.
 */
export const arcAgi1Pack: TaskPack = {
  id: "arc-agi-1",
  name: "ARC-AGI-1 (evaluation)",
  description:
    "ARC-AGI-1 public evaluation set: 400 grid-transformation tasks, one example per test input (419); exact match of the output grid. The paper reports pass@3.",
  seedPrompt: SEED_PROMPT,
  scorer: { type: "arc-grid" },
  sources: SOURCES,
  split: { train: 0.5, val: 0.25, test: 0.25 },
  attempts: 3,
  parse(files, options) {
    const names = Object.keys(files)
      .filter((name) => name.endsWith(".json"))
      .sort();
    if (names.length === 0) throw new Error("arc-agi-1: no task file given (expected <task id>.json files)");
    const examples = names.flatMap((name) => parseArcTask(name, sourceText(files, name)));
    return takeLimit(examples, options.limit);
  },
};
