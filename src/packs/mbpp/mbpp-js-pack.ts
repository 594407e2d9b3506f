/**
 * MBPP in JavaScript: MultiPL-E's translation of sanitized MBPP (399 problems), scored by
 * running the model's function against the problem's asserts in the QuickJS sandbox
 * (`code-tests`). This is the benchmark's runnable form inside a Worker; Python MBPP
 * cannot be run there safely today (see src/sandbox/README.md).
 *
 * Input, as MBPP's standard prompt: the problem text, the function signature, and the
 * first test. Expected: MultiPL-E's test program verbatim (all the asserts). MultiPL-E
 * ships no reference solutions, so gold answers exist only for hand-made fixtures.
 * Three of the 399 test programs are not valid JavaScript and no answer could pass
 * them; they are left out (BROKEN_TESTS), giving 396 examples.
 */
import type { CodeTestsSpec } from "../../scoring/code-tests";
import { testedFunction } from "../../scoring/code-tests";
import { type PackExample, type TaskPack, sourceText, takeLimit } from "../pack";

const SOURCE = "mbpp-js-reworded.jsonl";
const COMMIT = "3c9a62a1a8f854b75a90a2fabc829e3d34b8d17b";

const SEED_PROMPT = [
  "You are an expert JavaScript programmer. Write a JavaScript function that solves the task.",
  "",
  "Think step by step: restate what the function must return, work through the given test by hand, and consider edge cases",
  "(empty inputs, duplicates, negative numbers, ties) before writing the code. Use exactly the function name and parameters",
  "given. The tests compare results with assert.deepEqual, so return values of the type the test expects.",
  "",
  "End your response with the complete function in one ```javascript code block, with no tests, no require and no import.",
].join("\n");

/** Problems whose test program is a syntax error in this revision, and why. */
export const BROKEN_TESTS: Readonly<Record<string, string>> = {
  mbpp_237_check_occurences: "the expected object uses arrays as keys ({[1, 3]: 2})",
  mbpp_563_extract_values: 'unescaped quotes inside a string literal (""Python", ...")',
  mbpp_725_extract_quotation: 'unescaped quotes inside a string literal ("Cortex "A53" ...")',
};

/** One line of MultiPL-E's JSONL, as far as the pack reads it. */
interface MultiPlERecord {
  name: string;
  prompt: string;
  tests: string;
}

/** The task id in "mbpp_100_next_smallest_palindrome", for ordering and reports. */
function taskIdOf(name: string): number {
  const id = /^mbpp_(\d+)_/.exec(name)?.[1];
  return id === undefined ? Number.NaN : Number(id);
}

/**
 * The model's input: the description (the prompt's comment lines), the signature, and
 * the first assert with `candidate` replaced by the function's own name.
 */
export function renderMbppJsInput(prompt: string, tests: string, entryPoint: string): string {
  const lines = prompt.split("\n");
  const description = lines
    .filter((line) => line.trim().startsWith("//"))
    .map((line) => line.trim().replace(/^\/\/\s?/, ""))
    .join("\n")
    .trim();
  const signature = lines.find((line) => /^\s*function\s/.test(line))?.trim().replace(/\{\s*$/, "").trim() ?? `function ${entryPoint}(...)`;
  const firstTest = tests
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.startsWith("assert."));
  const test = firstTest ? firstTest.replace(/\bcandidate\(/g, `${entryPoint}(`) : "";
  return [description, `Function: ${signature}`, test ? `Your code should pass this test:\n${test}` : ""].filter(Boolean).join("\n\n");
}

function parseRecord(line: string, lineNumber: number): MultiPlERecord {
  const where = `${SOURCE} line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const record = value as Partial<MultiPlERecord> & { language?: unknown };
  for (const key of ["name", "prompt", "tests"] as const) {
    if (typeof record[key] !== "string" || !record[key]) throw new Error(`${where}: "${key}" is missing or not a string`);
  }
  if (record.language !== undefined && record.language !== "js") throw new Error(`${where}: language is ${String(record.language)}, not js`);
  return record as MultiPlERecord;
}

function toExample(record: MultiPlERecord, lineNumber: number): PackExample {
  const entryPoint = testedFunction(record.tests);
  if (!entryPoint) throw new Error(`${SOURCE} line ${lineNumber} (${record.name}): the tests name no function ("let candidate = ...")`);
  return {
    input: renderMbppJsInput(record.prompt, record.tests, entryPoint),
    expected: record.tests,
    meta: { name: record.name, taskId: taskIdOf(record.name), entryPoint },
  };
}

const SCORER: CodeTestsSpec = { type: "code-tests", language: "javascript", timeLimitMs: 1000 };

/** MultiPL-E MBPP (JavaScript): 396 of its 399 problems (see BROKEN_TESTS), ordered by MBPP task id. */
export const mbppJsPack: TaskPack = {
  id: "mbpp-js",
  name: "MBPP (JavaScript, MultiPL-E)",
  description:
    "MBPP translated to JavaScript by MultiPL-E (396 of its 399 sanitized-MBPP problems; 3 have broken tests); the function must pass the problem's asserts, run in a QuickJS sandbox.",
  seedPrompt: SEED_PROMPT,
  scorer: SCORER,
  sources: [
    {
      name: SOURCE,
      url: `https://raw.githubusercontent.com/nuprl/MultiPL-E/${COMMIT}/prompts/${SOURCE}`,
      note: "JSONL {name, language, prompt, tests, stop_tokens, ...}; MultiPL-E MBPP JavaScript prompts (reworded). Licence: BSD-3-Clause with a machine-learning restriction (no use as training data).",
    },
  ],
  split: { train: 0.5, val: 0.25, test: 0.25 },
  parse(files, options) {
    const lines = sourceText(files, SOURCE).split("\n");
    const records = lines.flatMap((line, i) => (line.trim() ? [{ record: parseRecord(line, i + 1), lineNumber: i + 1 }] : []));
    if (records.length === 0) throw new Error(`${SOURCE}: no records`);
    const usable = records.filter(({ record }) => !(record.name in BROKEN_TESTS));
    const examples = usable.map(({ record, lineNumber }) => toExample(record, lineNumber));
    const byTaskId = [...examples].sort((a, b) => Number(a.meta?.["taskId"]) - Number(b.meta?.["taskId"]) || String(a.meta?.["name"]).localeCompare(String(b.meta?.["name"])));
    return takeLimit(byTaskId, options.limit);
  },
};
