/**
 * Runs untrusted JavaScript in QuickJS (WebAssembly) with a time limit, a memory limit and
 * nothing from the host: the context has the ECMAScript built-ins plus the small prelude
 * in ./node-assert-prelude, and no `fetch`, timers, bindings or host globals exist inside
 * it. A run never throws for anything the code does: an endless loop, a crash, a memory
 * blow-up or a syntax error all come back as a result, and the next run starts clean.
 *
 * Why a poll budget besides the clock: QuickJS calls the interrupt handler every few
 * thousand bytecode steps. Locally (Node, `wrangler dev`) the clock advances while code
 * runs, so the handler stops a run at the time limit. Deployed Workers freeze
 * `Date.now()`/`performance.now()` until the next I/O, so there the clock never expires
 * inside a synchronous run and the poll budget (POLLS_PER_MS per ms of limit) is what
 * stops it. Polls per ms depend on the code (measured under wrangler dev: ~25 for an
 * empty loop, ~2.7 for a loop of calls, ~0.5 for allocation-heavy loops), so the budget
 * stops an empty loop at ~0.2x the limit and allocation-heavy code at up to ~10x it.
 * Measurements and the trade-off: src/sandbox/README.md.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import { NODE_ASSERT_PRELUDE } from "./node-assert-prelude";
import { SANDBOX_MEMORY_BYTES, discardQuickJs } from "./quickjs-module";

/** How a run ended: only "ok" means the code ran to the end without an uncaught error. */
export type SandboxOutcome = "ok" | "error" | "timeout" | "memory" | "crash";

export interface SandboxLimits {
  /** Wall-clock limit where the clock advances, and the basis of the poll budget. */
  timeLimitMs: number;
}

export interface SandboxResult {
  outcome: SandboxOutcome;
  /** The uncaught error ("AssertionError: ...") or why the run was stopped; absent when ok. */
  message?: string;
  /** Wall time of the run as the host clock saw it (0 where the clock is frozen). */
  durationMs: number;
  /** How many times QuickJS polled the interrupt handler: a machine-independent work measure. */
  polls: number;
}

/**
 * Polls granted per millisecond of time limit (see the header). Higher lets heavy but
 * correct code finish in deployment; lower bounds the CPU an endless loop can burn there.
 */
export const POLLS_PER_MS = 5;
/** QuickJS's own JS stack limit: deep recursion becomes a RangeError, not a wasm trap. */
// Measured: 256 KB allows ~1,360 nested calls; from 384 KB on, the host's (V8's) own
// stack overflows first, which is a trap in the wasm rather than a catchable guest error.
const MAX_STACK_BYTES = 256 * 1024;
/** Promise jobs drained after the script, bounded so a job that re-queues itself stops. */
const MAX_JOB_ROUNDS = 1000;

/**
 * Runs `code` as a classic script in a fresh QuickJS runtime of `quickjs` and reports how
 * it ended. Synchronous: the caller's event loop is blocked for at most the limits.
 */
export function runJavaScript(quickjs: QuickJSWASMModule, code: string, limits: SandboxLimits): SandboxResult {
  const start = Date.now();
  const budget = Math.max(1, Math.round(limits.timeLimitMs * POLLS_PER_MS));
  let polls = 0;
  let stoppedForTime = false;
  let runtime: QuickJSRuntime | undefined;
  let context: QuickJSContext | undefined;
  const finish = (outcome: SandboxOutcome, message?: string): SandboxResult => ({
    outcome,
    ...(message === undefined ? {} : { message }),
    durationMs: Date.now() - start,
    polls,
  });
  try {
    runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(SANDBOX_MEMORY_BYTES);
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    runtime.setInterruptHandler(() => {
      polls += 1;
      stoppedForTime = polls > budget || Date.now() - start > limits.timeLimitMs;
      return stoppedForTime;
    });
    context = runtime.newContext();
    const prelude = context.evalCode(NODE_ASSERT_PRELUDE, "prelude.js");
    if (prelude.error) {
      const detail = describeError(context, prelude.error);
      prelude.error.dispose();
      return finish("crash", `the sandbox prelude failed: ${detail}`);
    }
    prelude.value.dispose();

    const result = context.evalCode(code, "main.js");
    if (result.error) return finish(...classify(context, result.error, stoppedForTime, limits));
    result.value.dispose();
    for (let round = 0; round < MAX_JOB_ROUNDS && runtime.hasPendingJob(); round++) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error) return finish(...classify(context, jobs.error, stoppedForTime, limits));
    }
    return finish("ok");
  } catch (error) {
    // A trap inside the wasm (not a JS exception in the guest): the module may be corrupt,
    // so the next run gets a fresh one. The host's stack overflowing is the usual cause.
    discardQuickJs();
    const message = error instanceof Error ? error.message : String(error);
    if (/call stack/i.test(message)) return finish("error", "RangeError: stack overflow (recursion too deep)");
    return finish("crash", `the sandbox crashed: ${message}`);
  } finally {
    disposeQuietly(context, runtime);
  }
}

function classify(
  context: QuickJSContext,
  error: QuickJSHandle,
  stoppedForTime: boolean,
  limits: SandboxLimits,
): [SandboxOutcome, string] {
  const detail = describeError(context, error);
  error.dispose();
  if (stoppedForTime && detail.startsWith("InternalError: interrupted")) {
    return ["timeout", `time limit exceeded (${limits.timeLimitMs} ms): an endless loop or too slow`];
  }
  if (/out of memory/i.test(detail)) {
    return ["memory", `memory limit exceeded (${SANDBOX_MEMORY_BYTES / 2 ** 20} MB)`];
  }
  return ["error", detail];
}

/** "Name: message" of a thrown guest value, whatever was thrown. */
function describeError(context: QuickJSContext, error: QuickJSHandle): string {
  try {
    const value: unknown = context.dump(error);
    if (value && typeof value === "object" && "message" in value) {
      const { name, message } = value as { name?: unknown; message?: unknown };
      return `${typeof name === "string" && name ? name : "Error"}: ${String(message)}`;
    }
    return `uncaught ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
  } catch {
    return "uncaught exception (not readable)";
  }
}

/**
 * Frees the context and runtime. QuickJS asserts that a freed runtime holds no live
 * objects; if that fails the wasm module is suspect, so it is discarded and reloaded.
 */
function disposeQuietly(context: QuickJSContext | undefined, runtime: QuickJSRuntime | undefined): void {
  try {
    context?.dispose();
    runtime?.dispose();
  } catch {
    discardQuickJs();
  }
}
