/**
 * `code-tests`: the model's program passes the example's test code. The expected value is
 * a test program (MultiPL-E style: `const assert = require('node:assert'); function
 * test() { let candidate = f; assert.deepEqual(candidate(...), ...); } test();`); the
 * code extracted from the output runs first, then the tests, in the QuickJS sandbox of
 * src/sandbox with a time limit, a memory bound and no network. Score 1 when the program
 * ends without an uncaught error, else 0 with the failing assertion, the error, or
 * "time limit exceeded" / "memory limit exceeded" as feedback.
 *
 * The sandbox loads asynchronously once per isolate; `prepareCodeTests` does that, and
 * the registry's `scoreOutputAsync` calls it before this (synchronous) scorer runs.
 * Python is not offered: no Python runs inside workerd with an interrupt and a memory
 * bound today (measurements in src/sandbox/README.md).
 */
import { z } from "zod";
import { loadQuickJs, loadedQuickJs } from "../sandbox/quickjs-module";
import { runJavaScript } from "../sandbox/run-javascript";
import { definesFunction, extractCode } from "./extract-code";
import type { Scorer } from "./scorer";

export const CodeTestsSpecSchema = z.strictObject({
  type: z.literal("code-tests"),
  /** The language the program and the tests are in; the one the sandbox runs. */
  language: z.enum(["javascript"]).default("javascript"),
  /**
   * Per example, tests included. MBPP solutions take milliseconds. Where the clock is
   * frozen (deployed Workers) a work budget stands in for it: see src/sandbox/README.md.
   */
  timeLimitMs: z.number().int().min(100).max(10_000).default(1000),
});
export type CodeTestsSpec = z.infer<typeof CodeTestsSpecSchema>;

/** Loads the sandbox this scorer needs; rejects when it cannot be loaded (a host problem). */
export async function prepareCodeTests(): Promise<void> {
  await loadQuickJs();
}

/** The function the tests call (`let candidate = name;`), when the test code says. */
export function testedFunction(tests: string): string | undefined {
  return /\blet\s+candidate\s*=\s*([A-Za-z_$][\w$]*)/.exec(tests)?.[1];
}

/**
 * The program to run: the solution, then the tests in a block of their own, so that the
 * tests' `const assert` or `function test` cannot clash with a solution that declares
 * the same names. ES module syntax is dropped because the program runs as a script.
 */
export function assembleProgram(code: string, tests: string): string {
  const script = code
    .replace(/^[ \t]*export[ \t]+default[ \t]+(?=(?:async[ \t]+)?function|class)/gm, "")
    .replace(/^[ \t]*export[ \t]+(?=(?:async[ \t]+)?function|class|const|let|var)/gm, "")
    .replace(/^[ \t]*export[ \t]*\{[^}]*\}[ \t]*;?[ \t]*$/gm, "");
  return `${script}\n;{\n${tests}\n}\n`;
}

export const codeTestsScorer: Scorer<CodeTestsSpec> = {
  score(output, expected, spec) {
    const quickjs = loadedQuickJs();
    if (!quickjs) throw new Error("the JavaScript sandbox is not loaded; score code-tests through scoreOutputAsync");
    const entry = testedFunction(expected);
    const code = extractCode(output, spec.language, entry);
    if (!code) {
      return { score: 0, feedback: "No JavaScript code found; answer with the complete function in a ```javascript block." };
    }
    const result = runJavaScript(quickjs, assembleProgram(code, expected), { timeLimitMs: spec.timeLimitMs });
    if (result.outcome === "ok") return { score: 1, feedback: "All tests passed." };
    const missing = entry && !definesFunction(code, entry, spec.language) ? ` The code does not define ${entry}(), which the tests call.` : "";
    return { score: 0, feedback: `Tests failed: ${result.message ?? result.outcome}.${missing}` };
  },
};
