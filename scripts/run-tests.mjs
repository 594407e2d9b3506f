#!/usr/bin/env node
// Runs every test project once (unit in Node, integration in workerd, end-to-end through
// `wrangler dev`) and ends with the plain line `N passed, N failed` that CI reads, taken
// from vitest's JSON report. Extra arguments go to vitest (e.g. `--project unit`).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const report = ".sepo/test-results.json";
mkdirSync(".sepo", { recursive: true });
rmSync(report, { force: true });

const vitest = spawnSync(
  "node_modules/.bin/vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
  skipped = results.numPendingTests + results.numTodoTests;
  // A file that fails outside its tests (an import error, a failing beforeAll) fails none of
  // its tests, yet the run failed: count each such file as one failure.
  failed += results.testResults.filter((file) => file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed")).length;
} catch (error) {
  console.error(`no test report was written (${error.message})`);
  failed = Math.max(failed, 1);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
