/**
 * Stand-ins for reference solutions of MultiPL-E's MBPP (JavaScript), which ships none.
 * An *oracle* answers exactly the calls a problem's tests make, with the expected values
 * recorded by running the test program in Node; it proves that the sandbox runs every
 * real test program and that its `node:assert` agrees with Node's on the real expected
 * values. A *stub* returns undefined and must fail every problem.
 */
import nodeAssert from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { testedFunction } from "../../../src/scoring/code-tests";

const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
/** Where the real MultiPL-E file lives (next to the repository, in CI as here). */
export const REAL_MBPP_JS = `${DATASETS}mbpp/multipl-e/mbpp-js-reworded.jsonl`;

/** The real records, or null when the data set is absent. */
export function readRealMbppJs(): Array<{ name: string; prompt: string; tests: string }> | null {
  if (!existsSync(REAL_MBPP_JS)) return null;
  return readFileSync(REAL_MBPP_JS, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { name: string; prompt: string; tests: string });
}

/** A value as JavaScript source (NaN, -0 and undefined included); defined as text so the sandbox can run it too. */
const TO_SOURCE = `function toSource(v) {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return v + "n";
  if (v === undefined || v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "[" + Array.from(v, (x) => toSource(x)).join(", ") + "]";
  if (typeof v === "object") return "{" + Object.keys(v).map((k) => JSON.stringify(k) + ": " + toSource(v[k])).join(", ") + "}";
  throw new Error("cannot write " + typeof v + " as source");
}`;
const toSource = vm.runInNewContext(`(${TO_SOURCE})`) as (value: unknown) => string;

/** The [arguments, expected value] of every assert in a test program, recorded in Node. */
export function recordCalls(tests: string): Array<[unknown[], unknown]> {
  const entry = testedFunction(tests);
  if (!entry) throw new Error("the tests name no function");
  const calls: Array<[unknown[], unknown]> = [];
  const record = (actual: { args: unknown[] }, expected: unknown) => calls.push([actual.args, expected]);
  const context = vm.createContext({
    require: () => ({ deepEqual: record, deepStrictEqual: record, equal: record, strictEqual: record }),
    [entry]: (...args: unknown[]) => ({ args }),
  });
  vm.runInContext(tests, context, { timeout: 2000 });
  return calls;
}

/** An answer (in a fence, as a model gives it) that returns the recorded expected values. */
export function oracleFor(tests: string): string {
  const entry = testedFunction(tests)!;
  const table = recordCalls(tests).map(([args, expected]) => `[${toSource(args)}, ${toSource(expected)}]`);
  return [
    "```javascript",
    TO_SOURCE,
    `const table = [\n  ${table.join(",\n  ")}\n];`,
    `function ${entry}(...args) {`,
    "  const key = toSource(args);",
    "  for (const [known, result] of table) if (toSource(known) === key) return result;",
    '  throw new Error("no recorded call for " + key);',
    "}",
    "```",
  ].join("\n");
}

/** An answer that defines the tested function but returns nothing. */
export function stubFor(tests: string): string {
  return `\`\`\`javascript\nfunction ${testedFunction(tests)}() {\n  return undefined;\n}\n\`\`\``;
}

/** Node's verdict on an extracted program plus tests: "ok" or the error's first line. */
export function runInNode(program: string): string {
  const requireAssert = (name: string) => {
    if (name === "node:assert" || name === "assert") return nodeAssert;
    throw new Error(`Cannot find module '${name}'`);
  };
  const context = vm.createContext({ require: requireAssert, module: { exports: {} } });
  try {
    vm.runInContext(program, context, { timeout: 2000 });
    return "ok";
  } catch (error) {
    // Errors thrown inside the vm context come from its realm: not `instanceof Error` here.
    const name = (error as { name?: unknown } | null)?.name;
    return typeof name === "string" ? name : String(error);
  }
}
