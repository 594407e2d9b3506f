/**
 * The code-tests scorer wired as the evaluate job uses it, inside workerd (the vitest
 * pool): the QuickJS wasm arrives through the static `.wasm` import. The pool allows
 * eval, so this proves the wiring, not eval-freedom: test/unit/sandbox/workerd.test.ts
 * does that under `wrangler dev`.
 */
import { describe, expect, it } from "vitest";
import { scoreOutputAsync } from "../../src/scoring/registry";
import { ScorerSpecSchema } from "../../src/scoring/scorer-spec";

const spec = ScorerSpecSchema.parse({ type: "code-tests", timeLimitMs: 500 });
const tests = "const assert = require('node:assert');\nfunction test() {\n  let candidate = twice;\n  assert.deepEqual(candidate(3), 6);\n}\ntest();";

describe("code-tests in workerd", () => {
  it("passes a right answer, fails a wrong one, and stops an endless loop", async () => {
    expect(await scoreOutputAsync(spec, "```javascript\nconst twice = (x) => 2 * x;\n```", tests)).toEqual({ score: 1, feedback: "All tests passed." });
    expect((await scoreOutputAsync(spec, "function twice(x) { return x; }", tests)).feedback).toMatch(/got 3, expected 6/);
    expect((await scoreOutputAsync(spec, "function twice(x) { while (true) {} }", tests)).feedback).toMatch(/time limit exceeded/);
    expect((await scoreOutputAsync(spec, "function twice(x) { return 2 * x; }", tests)).score).toBe(1);
  });
});
