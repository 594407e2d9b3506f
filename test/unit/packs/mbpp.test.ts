import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { packTaskBody } from "../../../src/packs/load";
import { BROKEN_TESTS, mbppJsPack } from "../../../src/packs/mbpp/mbpp-js-pack";
import { CreateTaskSchema } from "../../../src/routes/task-input";
import { discardQuickJs, loadQuickJs } from "../../../src/sandbox/quickjs-module";
import { assembleProgram } from "../../../src/scoring/code-tests";
import { extractCode } from "../../../src/scoring/extract-code";
import { scoreOutput, scoreOutputAsync } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";
import { REAL_MBPP_JS, oracleFor, readRealMbppJs, runInNode, stubFor } from "./mbpp-oracle";

const FIXTURES = fileURLToPath(new URL("./fixtures/mbpp/", import.meta.url));
const files = { "mbpp-js-reworded.jsonl": new Uint8Array(readFileSync(`${FIXTURES}mbpp-js-mini.jsonl`)) };
const solutions = JSON.parse(readFileSync(`${FIXTURES}solutions.json`, "utf8")) as {
  gold: Record<string, string>;
  wrong: Record<string, string>;
};
const score = (output: string, expected: string) => scoreOutputAsync(mbppJsPack.scorer, output, expected);

beforeAll(async () => {
  await loadQuickJs();
});

describe("extractCode", () => {
  it("prefers the fence that defines the tested function, then the language's last fence, then any fence", () => {
    const answer = "```js\nfunction f() { return 1; }\n```\nUsage:\n```javascript\nconsole.log(f());\n```";
    expect(extractCode(answer, "javascript", "f")).toBe("function f() { return 1; }");
    expect(extractCode(answer, "javascript")).toBe("console.log(f());");
    expect(extractCode("```\nlet x = 1;\n```", "javascript")).toBe("let x = 1;");
    expect(extractCode("const g = (a) => a;", "javascript", "g")).toBe("const g = (a) => a;");
  });

  it("takes a fence cut off at the token limit, and nothing from another language's fence", () => {
    expect(extractCode("Here:\n```javascript\nfunction f() {\n  return 1;", "javascript")).toBe("function f() {\n  return 1;");
    expect(extractCode("```python\ndef f(): pass\n```", "javascript")).toBe("");
    expect(extractCode("```python\ndef f(): pass\n```", "python", "f")).toBe("def f(): pass");
  });
});

describe("mbpp-js pack on fixtures", () => {
  const examples = mbppJsPack.parse(files, { seed: 0 });

  it("renders the problem, the signature and the first test; expects the whole test program", () => {
    expect(examples).toHaveLength(6);
    expect(examples[0]!.input).toMatchInlineSnapshot(`
      "Write a function that returns the sum of the squares of the numbers in an array.

      Function: function sum_of_squares(nums)

      Your code should pass this test:
      assert.deepEqual(sum_of_squares([1, 2, 3]),14);"
    `);
    expect(examples[0]!.expected).toContain("let candidate = sum_of_squares;");
    expect(examples[0]!.meta).toEqual({ name: "mbpp_9001_sum_of_squares", taskId: 9001, entryPoint: "sum_of_squares" });
  });

  it("builds a valid POST /v1/tasks body whose scorer validates", () => {
    expect(ScorerSpecSchema.parse({ type: "code-tests" })).toEqual(mbppJsPack.scorer);
    expect(CreateTaskSchema.safeParse(packTaskBody(mbppJsPack, examples, 0)).success).toBe(true);
    expect(mbppJsPack.parse(files, { seed: 0, limit: 2 })).toEqual(examples.slice(0, 2));
  });

  it("passes every gold solution in the sandbox", async () => {
    for (const example of examples) {
      const name = String(example.meta?.["name"]);
      expect(await score(solutions.gold[name]!, example.expected), name).toEqual({ score: 1, feedback: "All tests passed." });
    }
  });

  it("fails every wrong solution, with feedback that says why", async () => {
    const feedback: Record<string, string> = {};
    for (const example of examples) {
      const name = String(example.meta?.["name"]);
      const result = await score(solutions.wrong[name]!, example.expected);
      expect(result.score, name).toBe(0);
      feedback[name] = result.feedback;
    }
    expect(feedback).toEqual({
      mbpp_9001_sum_of_squares: "Tests failed: AssertionError: assertion 1 (deepEqual) failed: got 6, expected 14.",
      mbpp_9002_reverse_words: 'Tests failed: AssertionError: assertion 1 (deepEqual) failed: got "dlrow gib olleh", expected "world big hello".',
      mbpp_9003_pair_counts: 'Tests failed: AssertionError: assertion 1 (deepEqual) failed: got Map([["a", 1], ["b", 1], ["c", 1]]), expected {a: 2, b: 1, c: 1}.',
      mbpp_9004_is_even_length:
        "Tests failed: ReferenceError: 'is_even_length' is not defined. The code does not define is_even_length(), which the tests call.",
      mbpp_9005_split_pairs: "Tests failed: time limit exceeded (1000 ms): an endless loop or too slow.",
      mbpp_9006_average: "Tests failed: memory limit exceeded (64 MB).",
    });
  }, 20_000);

  it("still scores after a loop and a blow-up", async () => {
    expect((await score(solutions.gold["mbpp_9001_sum_of_squares"]!, examples[0]!.expected)).score).toBe(1);
  });

  it("asks for code when there is none", async () => {
    expect((await score("I would loop over the array.", examples[0]!.expected)).feedback).toMatch(/ReferenceError|SyntaxError/);
    expect((await score("```python\ndef f(): pass\n```", examples[0]!.expected)).feedback).toMatch(/^No JavaScript code found/);
  });

  it("scores 0 with feedback, not a throw, when called synchronously before the sandbox loads", async () => {
    discardQuickJs();
    expect(scoreOutput(mbppJsPack.scorer, solutions.gold["mbpp_9001_sum_of_squares"]!, examples[0]!.expected)).toEqual({
      score: 0,
      feedback: "The scorer failed: the JavaScript sandbox is not loaded; score code-tests through scoreOutputAsync",
    });
    await loadQuickJs();
  });

  it("names the line of malformed data", () => {
    const bad = (text: string) => () => mbppJsPack.parse({ "mbpp-js-reworded.jsonl": new TextEncoder().encode(text) }, { seed: 0 });
    expect(bad("{")).toThrow(/^mbpp-js-reworded.jsonl line 1: not JSON/);
    expect(bad('{"name": "mbpp_1_f", "prompt": "//x\\nfunction f(){\\n"}')).toThrow('mbpp-js-reworded.jsonl line 1: "tests" is missing or not a string');
    expect(bad('{"name": "mbpp_1_f", "prompt": "p", "tests": "test();"}')).toThrow(/the tests name no function/);
    expect(bad("\n")).toThrow(/no records/);
  });

  it("keeps solution and tests apart when both declare the same names", () => {
    expect(assembleProgram("export function f() {}\nexport { f };", "const assert = 1;")).toBe("function f() {}\n\n;{\nconst assert = 1;\n}\n");
  });
});

const real = readRealMbppJs();
describe.skipIf(!real)(`mbpp-js against the real data at ${REAL_MBPP_JS}${real ? "" : " (absent: skipped)"}`, () => {
  it("parses 396 problems, leaving out the 3 whose tests are not JavaScript", () => {
    const examples = mbppJsPack.parse({ "mbpp-js-reworded.jsonl": new Uint8Array(readFileSync(REAL_MBPP_JS)) }, { seed: 0 });
    expect(real).toHaveLength(399);
    expect(examples).toHaveLength(396);
    const broken = real!.filter((r) => runInNode(`${r.tests.replace("test();", "")}`) === "SyntaxError").map((r) => r.name);
    expect(broken.sort()).toEqual(Object.keys(BROKEN_TESTS).sort());
    expect(CreateTaskSchema.safeParse(packTaskBody(mbppJsPack, examples, 0)).success).toBe(true);
  });

  it("passes every problem's oracle and fails every stub, agreeing with Node on each", async () => {
    let oraclePasses = 0;
    let stubFailures = 0;
    const disagreements: string[] = [];
    for (const record of real!.filter((r) => !(r.name in BROKEN_TESTS))) {
      for (const [kind, answer] of [["oracle", oracleFor(record.tests)], ["stub", stubFor(record.tests)]] as const) {
        const sandbox = await score(answer, record.tests);
        const node = runInNode(assembleProgram(extractCode(answer, "javascript"), record.tests));
        if ((sandbox.score === 1) !== (node === "ok")) disagreements.push(`${record.name} ${kind}: ${sandbox.feedback} / node ${node}`);
        if (kind === "oracle" && sandbox.score === 1) oraclePasses += 1;
        if (kind === "stub" && sandbox.score === 0) stubFailures += 1;
      }
    }
    console.log(`mbpp-js real data (Node): oracles pass ${oraclePasses}/396, stubs fail ${stubFailures}/396, Node disagrees on ${disagreements.length}`);
    expect(disagreements).toEqual([]);
    expect(oraclePasses).toBe(396);
    expect(stubFailures).toBe(396);
  }, 60_000);
});
