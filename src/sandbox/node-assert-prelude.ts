/**
 * JavaScript evaluated inside each fresh QuickJS context before the code under test.
 * QuickJS has no Node APIs, but MultiPL-E's test programs start with
 * `const assert = require('node:assert')` and call `assert.deepEqual`, so this provides a
 * `require` that knows only `assert` / `node:assert` / `assert/strict`, with Node's
 * semantics for the functions tests use (`deepEqual` is Node's *loose* legacy mode: `==`
 * for primitives, own enumerable keys for objects). `console` is a no-op so logging code
 * runs, and `module`/`exports` exist so `module.exports = f` does not throw.
 *
 * Everything here runs inside the sandbox: no host function is exposed to the code.
 * Globals are defined configurable so a program may redeclare them with `const`.
 */
export const NODE_ASSERT_PRELUDE = String.raw`
(() => {
  let count = 0;
  const MAX_SHOWN = 160;
  function show(v, depth = 0) {
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "bigint") return v + "n";
    if (typeof v === "function") return "[Function" + (v.name ? ": " + v.name : "") + "]";
    if (v === null || typeof v !== "object") return String(v);
    if (depth > 3) return Array.isArray(v) ? "[Array]" : "[Object]";
    if (Array.isArray(v)) return "[" + v.map((x) => show(x, depth + 1)).join(", ") + "]";
    if (v instanceof Map) return "Map(" + show([...v.entries()], depth) + ")";
    if (v instanceof Set) return "Set(" + show([...v.values()], depth) + ")";
    if (v instanceof Date) return "Date(" + v.toISOString() + ")";
    if (v instanceof RegExp) return String(v);
    if (v instanceof Error) return v.name + ": " + v.message;
    return "{" + Object.keys(v).map((k) => k + ": " + show(v[k], depth + 1)).join(", ") + "}";
  }
  const cut = (s) => (s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN - 1) + "…" : s);

  class AssertionError extends Error {
    constructor(message, actual, expected, operator) {
      super(message);
      this.name = "AssertionError";
      this.code = "ERR_ASSERTION";
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
    }
  }

  const isObj = (v) => v !== null && typeof v === "object";
  const bothNaN = (a, b) => typeof a === "number" && typeof b === "number" && a !== a && b !== b;

  function deep(a, b, strict, seen) {
    if (strict ? Object.is(a, b) : a === b) return true;
    if (!isObj(a) || !isObj(b)) return !strict && !isObj(a) && !isObj(b) && (a == b || bothNaN(a, b));
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const tag = Object.prototype.toString;
    if (tag.call(a) !== tag.call(b)) return false;
    if (a instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp) return a.source === b.source && a.flags === b.flags;
    if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    if (ArrayBuffer.isView(a)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!deep(a[i], b[i], strict, seen)) return false;
    }
    // Cycles: a pair already being compared further up counts as equal.
    for (const [x, y] of seen) if (x === a && y === b) return true;
    seen.push([a, b]);
    try {
      if (a instanceof Set) {
        if (a.size !== b.size) return false;
        const rest = [...b];
        for (const x of a) {
          const i = rest.findIndex((y) => deep(x, y, strict, seen));
          if (i < 0) return false;
          rest.splice(i, 1);
        }
      } else if (a instanceof Map) {
        if (a.size !== b.size) return false;
        const rest = [...b];
        for (const [k, v] of a) {
          const i = rest.findIndex(([k2, v2]) => deep(k, k2, strict, seen) && deep(v, v2, strict, seen));
          if (i < 0) return false;
          rest.splice(i, 1);
        }
      }
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      if (ka.length !== kb.length) return false;
      for (const k of ka) {
        if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
        if (!deep(a[k], b[k], strict, seen)) return false;
      }
      return true;
    } finally {
      seen.pop();
    }
  }

  function check(pass, actual, expected, operator, message) {
    count += 1;
    if (pass) return;
    if (message instanceof Error) throw message;
    const text = message !== undefined ? String(message)
      : "assertion " + count + " (" + operator + ") failed: got " + cut(show(actual)) + ", expected " + cut(show(expected));
    throw new AssertionError(text, actual, expected, operator);
  }

  function assert(value, message) { check(!!value, value, true, "ok", message); }
  assert.ok = assert;
  assert.AssertionError = AssertionError;
  assert.equal = (a, b, m) => check(a == b || bothNaN(a, b), a, b, "==", m);
  assert.notEqual = (a, b, m) => check(!(a == b || bothNaN(a, b)), a, b, "!=", m);
  assert.strictEqual = (a, b, m) => check(Object.is(a, b), a, b, "strictEqual", m);
  assert.notStrictEqual = (a, b, m) => check(!Object.is(a, b), a, b, "notStrictEqual", m);
  assert.deepEqual = (a, b, m) => check(deep(a, b, false, []), a, b, "deepEqual", m);
  assert.notDeepEqual = (a, b, m) => check(!deep(a, b, false, []), a, b, "notDeepEqual", m);
  assert.deepStrictEqual = (a, b, m) => check(deep(a, b, true, []), a, b, "deepStrictEqual", m);
  assert.notDeepStrictEqual = (a, b, m) => check(!deep(a, b, true, []), a, b, "notDeepStrictEqual", m);
  assert.fail = (m) => check(false, undefined, undefined, "fail", m === undefined ? "Failed" : m);
  assert.throws = (fn, _expected, m) => {
    let threw = false;
    try { fn(); } catch { threw = true; }
    check(threw, undefined, undefined, "throws", m === undefined ? "Missing expected exception." : m);
  };
  assert.doesNotThrow = (fn) => { fn(); };
  assert.strict = assert;

  const modules = { assert, "node:assert": assert, "assert/strict": assert, "node:assert/strict": assert };
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define("require", (name) => {
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    throw new Error("Cannot find module '" + name + "': the sandbox provides only node:assert");
  });
  const noop = () => {};
  define("console", { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop, dir: noop, table: noop });
  const module = { exports: {} };
  define("module", module);
  define("exports", module.exports);
})();
`;
