import nodeAssert from "node:assert";
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { SANDBOX_MEMORY_BYTES, loadQuickJs, loadedQuickJs } from "../../../src/sandbox/quickjs-module";
import { POLLS_PER_MS, runJavaScript } from "../../../src/sandbox/run-javascript";

// In Node; ./workerd.test.ts repeats the essentials under `wrangler dev`.
let quickjs: QuickJSWASMModule;
beforeAll(async () => {
  quickjs = await loadQuickJs();
});

const run = (code: string, timeLimitMs = 1000) => runJavaScript(loadedQuickJs() ?? quickjs, code, { timeLimitMs });
const ASSERT = "const assert = require('node:assert');\n";

describe("runJavaScript", () => {
  it("runs passing tests to the end", () => {
    const result = run(`function add(a, b) { return a + b; }\n${ASSERT}assert.deepEqual(add(1, 2), 3);`);
    expect(result).toMatchObject({ outcome: "ok" });
    expect(result.message).toBeUndefined();
  });

  it("reports the failing assertion with its number and both values", () => {
    const result = run(`${ASSERT}assert.deepEqual([1], [1]);\nassert.deepEqual({ a: [1, 2] }, { a: [1, 3] });`);
    expect(result.outcome).toBe("error");
    expect(result.message).toBe("AssertionError: assertion 2 (deepEqual) failed: got {a: [1, 2]}, expected {a: [1, 3]}");
  });

  it("stops an endless loop within the time limit, and the next run still works", () => {
    const started = Date.now();
    const result = run("while (true) {}", 500);
    const elapsed = Date.now() - started;
    expect(result.outcome).toBe("timeout");
    expect(result.message).toMatch(/time limit exceeded \(500 ms\)/);
    expect(elapsed).toBeLessThan(1500);
    expect(run("1 + 1").outcome).toBe("ok");
  });

  it("stops an endless loop by its poll budget where the clock stands still, as in deployed Workers", () => {
    const frozen = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    try {
      const result = run("for (;;) {}", 200);
      expect(result).toMatchObject({ outcome: "timeout", durationMs: 0, polls: 200 * POLLS_PER_MS + 1 });
    } finally {
      frozen.mockRestore();
    }
  });

  it("stops a loop of function calls and a catastrophic regular expression", () => {
    expect(run("function f(x) { return x + 1; } let i = 0; for (;;) i = f(i);", 300).outcome).toBe("timeout");
    expect(run("/(a+)+$/.test('a'.repeat(40) + 'b')", 300).outcome).toBe("timeout");
  });

  it("stops a memory blow-up at the sandbox's bound, and the next run still works", () => {
    const grow = run("const keep = []; for (;;) keep.push(new Array(10000).fill(7));", 5000);
    expect(grow.outcome).toBe("memory");
    const huge = run("new Array(1e8).fill(0).length", 5000);
    expect(huge.outcome).toBe("memory");
    expect(quickjs.getWasmMemory().buffer.byteLength).toBeLessThanOrEqual(SANDBOX_MEMORY_BYTES);
    expect(run(`${ASSERT}assert.deepEqual(Array.from({ length: 3 }, (_, i) => i), [0, 1, 2]);`).outcome).toBe("ok");
  });

  it("turns runaway recursion into an error, not a crash", () => {
    const result = run("function down(n) { return down(n + 1) + 1; } down(0);");
    expect(result.outcome).toBe("error");
    expect(result.message).toMatch(/stack overflow/i);
    expect(run("function fact(n) { return n < 2 ? 1 : n * fact(n - 1); } if (fact(200) !== Infinity) throw 1;").outcome).toBe("ok");
  });

  it("offers no network, timers or host globals", () => {
    for (const name of ["fetch", "setTimeout", "process", "WebAssembly", "caches", "navigator", "crypto", "env", "Request"]) {
      expect(run(`if (typeof ${name} !== "undefined") throw new Error("${name} is reachable");`).outcome, name).toBe("ok");
    }
    expect(run("fetch('http://127.0.0.1/')").message).toBe("ReferenceError: 'fetch' is not defined");
    expect(run("require('node:http')").message).toMatch(/Cannot find module 'node:http'/);
  });

  it("reports syntax errors and thrown non-errors", () => {
    expect(run("function (").message).toMatch(/^SyntaxError/);
    expect(run("throw 'boom'").message).toBe('uncaught "boom"');
  });

  it("keeps runs apart: globals of one run are gone in the next", () => {
    expect(run("globalThis.leak = 1; var kept = 2;").outcome).toBe("ok");
    expect(run("if (typeof leak !== 'undefined' || typeof kept !== 'undefined') throw new Error('leaked');").outcome).toBe("ok");
  });

  it("lets a program redeclare the prelude's globals", () => {
    expect(run(`${ASSERT}const console = 1; const module = 2; assert.equal(console + module, 3);`).outcome).toBe("ok");
  });
});

describe("the node:assert prelude agrees with Node's assert", () => {
  // [actual, expected] as source text; Node's verdict is the reference.
  const PAIRS: Array<[string, string]> = [
    ["1", '"1"'],
    ["[1, 2]", "[1, 2]"],
    ["[1, 2]", "[2, 1]"],
    ["[[1, 2], [3]]", "[[1, 2], [3]]"],
    ['{"a": 1, "b": [true]}', '{"b": [true], "a": 1}'],
    ["{a: 1}", "{a: 1, b: undefined}"],
    ["NaN", "NaN"],
    ["0.1 + 0.2", "0.3"],
    ["null", "undefined"],
    ["0", "false"],
    ["[1]", "1"],
    ['"abc"', '"abc"'],
    ["new Set([1, 2])", "new Set([2, 1])"],
    ["new Map([[1, 'a']])", "new Map([[1, 'b']])"],
    ["[undefined]", "[null]"],
    ["[1, , 3]", "[1, undefined, 3]"],
    ["-0", "0"],
  ];
  for (const [actual, expected] of PAIRS) {
    it(`deepEqual(${actual}, ${expected})`, () => {
      const node = (() => {
        try {
          nodeAssert.deepEqual(new Function(`return ${actual}`)(), new Function(`return ${expected}`)());
          return "ok";
        } catch {
          return "error";
        }
      })();
      expect(run(`${ASSERT}assert.deepEqual(${actual}, ${expected});`).outcome).toBe(node);
    });
  }
});
