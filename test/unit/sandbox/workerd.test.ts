/**
 * The sandbox proven where it runs: a fixture Worker (./workerd/worker.ts) under
 * `wrangler dev`, i.e. workerd with code generation from strings blocked, as deployed.
 * The vitest pool cannot prove this (it allows eval). Starting wrangler takes a few
 * seconds, so this file holds the workerd checks the Node tests cannot stand in for.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_MEMORY_BYTES } from "../../../src/sandbox/quickjs-module";
import { BROKEN_TESTS } from "../../../src/packs/mbpp/mbpp-js-pack";
import { oracleFor, readRealMbppJs, stubFor } from "../packs/mbpp-oracle";

const ROOT = new URL("../../..", import.meta.url).pathname;
let base = "";
let wrangler: ChildProcess | undefined;
let stateDir = "";
let log = "";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  const port = await freePort();
  stateDir = mkdtempSync(join(tmpdir(), "sepo-sandbox-"));
  base = `http://127.0.0.1:${port}`;
  const args = ["dev", "--config", "test/unit/sandbox/workerd/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--persist-to", stateDir, "--show-interactive-dev-session=false");
  wrangler = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  wrangler.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  wrangler.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited: ${log.slice(-2000)}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer within 90 s: ${log.slice(-2000)}`);
}, 120_000);

afterAll(async () => {
  if (wrangler && wrangler.exitCode === null) {
    const exited = new Promise((resolve) => wrangler!.once("exit", resolve));
    wrangler.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const JS_TESTS = "const assert = require('node:assert');\nfunction test() {\n  let candidate = twice;\n  assert.deepEqual(candidate(2), 4);\n}\ntest();";
const spec = { type: "code-tests" };

describe("the QuickJS sandbox under wrangler dev", () => {
  it("runs where the host itself refuses eval", async () => {
    const host = (await (await fetch(`${base}/eval`)).json()) as { evalWorks: boolean; error?: string };
    expect(host.evalWorks).toBe(false);
    expect(host.error).toMatch(/Code generation from strings disallowed/);
    expect(await post("/score", { spec, output: "```javascript\nfunction twice(x) { return 2 * x; }\n```", expected: JS_TESTS })).toEqual({
      score: 1,
      feedback: "All tests passed.",
    });
  });

  it("scores a wrong solution 0 with the failing assertion", async () => {
    const result = await post("/score", { spec, output: "function twice(x) { return x + 1; }", expected: JS_TESTS });
    expect(result).toEqual({ score: 0, feedback: "Tests failed: AssertionError: assertion 1 (deepEqual) failed: got 3, expected 4." });
  });

  it("stops an endless loop within the time limit; the server keeps answering and the next run works", async () => {
    const started = Date.now();
    const [loop, health] = await Promise.all([
      post("/score", { spec: { type: "code-tests", timeLimitMs: 1000 }, output: "function twice(x) { for (;;) {} }", expected: JS_TESTS }),
      new Promise((r) => setTimeout(r, 100)).then(() => fetch(`${base}/health`).then((r) => r.text())),
    ]);
    expect(loop).toMatchObject({ score: 0 });
    expect(String(loop["feedback"])).toMatch(/time limit exceeded \(1000 ms\)/);
    expect(health).toBe("ok");
    expect(Date.now() - started).toBeLessThan(5000);
    const run = await post("/run", { code: "while (true) {}", timeLimitMs: 1000 });
    expect(run).toMatchObject({ outcome: "timeout" });
    expect(Number(run["hostMs"])).toBeLessThan(1500);
    expect(await post("/run", { code: "1 + 1" })).toMatchObject({ outcome: "ok" });
  }, 20_000);

  it("stops a memory blow-up at the bound; the Worker's wasm memory stays under it", async () => {
    const blowUp = await post("/run", { code: "const keep = []; for (;;) keep.push(new Array(10000).fill(7));", timeLimitMs: 5000 });
    expect(blowUp).toMatchObject({ outcome: "memory" });
    const memory = (await (await fetch(`${base}/memory`)).json()) as { wasmBytes: number };
    expect(memory.wasmBytes).toBeLessThanOrEqual(SANDBOX_MEMORY_BYTES);
    expect(await post("/run", { code: "[1, 2, 3].map((x) => x * 2).join()" })).toMatchObject({ outcome: "ok" });
  }, 20_000);

  it("gives guest code no network, no bindings and no host globals", async () => {
    expect(await post("/run", { code: "fetch('http://127.0.0.1/')" })).toMatchObject({ message: "ReferenceError: 'fetch' is not defined" });
    // The Worker substitutes its binding's value for %SECRET%: the guest must not find it anywhere.
    const probe = [
      "const seen = new Set(); const found = [];",
      "function walk(v, depth) { if (depth > 4 || v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return; seen.add(v);",
      "  for (const k of Object.getOwnPropertyNames(v)) { let x; try { x = v[k]; } catch { continue; } if (x === '%SECRET%') found.push(k); walk(x, depth + 1); } }",
      "walk(globalThis, 0);",
      "for (const name of ['env', 'SANDBOX_SECRET', 'caches', 'crypto', 'navigator', 'setTimeout', 'WebAssembly', 'Response']) if (typeof globalThis[name] !== 'undefined') found.push(name);",
      "if (found.length) throw new Error('reachable: ' + found.join());",
    ].join("\n");
    expect(await post("/run", { code: probe })).toMatchObject({ outcome: "ok" });
  });
});

describe("MultiPL-E MBPP (JavaScript) under wrangler dev", () => {
  const real = readRealMbppJs()?.filter((record) => !(record.name in BROKEN_TESTS)) ?? null;
  it.skipIf(!real)("the oracle of every problem passes and a stub fails", async () => {
    let oraclePasses = 0;
    let stubFailures = 0;
    for (const record of real!) {
      const oracle = await post("/score", { spec, output: oracleFor(record.tests), expected: record.tests });
      const stub = await post("/score", { spec, output: stubFor(record.tests), expected: record.tests });
      if (oracle["score"] === 1) oraclePasses += 1;
      if (stub["score"] === 0) stubFailures += 1;
    }
    console.log(`workerd: oracle solutions pass ${oraclePasses}/${real!.length}; stubs fail ${stubFailures}/${real!.length}`);
    expect(oraclePasses).toBe(real!.length);
    expect(stubFailures).toBe(real!.length);
  }, 120_000);
  if (!real) it.skip("real data: /work/shared/datasets/mbpp/multipl-e is absent, so the 399-problem run is skipped", () => {});
});
