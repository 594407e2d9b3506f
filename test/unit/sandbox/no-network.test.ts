/**
 * The code sandbox reaches nothing outside itself: besides `fetch` (run-javascript.test.ts,
 * and under `wrangler dev` in workerd.test.ts), no other way out of QuickJS exists — no
 * socket or request API, no module loader for `import`, no host objects.
 */
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadQuickJs, loadedQuickJs } from "../../../src/sandbox/quickjs-module";
import { runJavaScript } from "../../../src/sandbox/run-javascript";

let quickjs: QuickJSWASMModule;
beforeAll(async () => {
  quickjs = await loadQuickJs();
});

const run = (code: string) => runJavaScript(loadedQuickJs() ?? quickjs, code, { timeLimitMs: 1000 });

describe("the sandbox's way out", () => {
  it("has no network API of any kind", () => {
    for (const name of ["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "importScripts", "connect", "Deno", "Bun", "os", "std", "scriptArgs"]) {
      expect(run(`if (typeof ${name} !== "undefined") throw new Error("${name} is reachable");`).outcome, name).toBe("ok");
    }
  });

  it("loads no module: a static import does not parse and a dynamic one is refused", async () => {
    expect(run("import x from 'http://127.0.0.1/x.js';").outcome).toBe("error");
    const dynamic = run(
      "let settled = 'pending'; import('http://127.0.0.1/x.js').then(() => { settled = 'loaded'; }, () => { settled = 'refused'; });\n" +
        "if (typeof settled !== 'string') throw new Error('unreachable');",
    );
    // Whatever QuickJS does with the promise, nothing is fetched and nothing loads: the run ends on its own.
    expect(["ok", "error"]).toContain(dynamic.outcome);
    expect(run("require('http')").outcome).toBe("error");
    expect(run("require('node:net')").outcome).toBe("error");
  });

  it("exposes no host object that could reach one (Function constructors stay inside the guest)", () => {
    const probe = [
      "const hostNames = ['process', 'globalThis.env', 'Request', 'Response', 'caches', 'crypto', 'navigator', 'WebAssembly', 'Atomics'];",
      "const reachable = hostNames.filter((n) => { try { return typeof eval(n) !== 'undefined'; } catch { return false; } });",
      "const viaConstructor = (function () { return this; }).constructor('return typeof fetch')();",
      "if (viaConstructor !== 'undefined') reachable.push('fetch via Function');",
      "if (reachable.length) throw new Error('reachable: ' + reachable.join());",
    ].join("\n");
    expect(run(probe)).toMatchObject({ outcome: "ok" });
  });
});
