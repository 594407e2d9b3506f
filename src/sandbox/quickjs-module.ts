/**
 * The QuickJS WebAssembly module that runs generated JavaScript, loaded once per isolate
 * (Worker) or process (Node) and shared by every run: each run gets its own QuickJS
 * runtime inside it (see ./run-javascript), so runs share nothing but the wasm memory.
 *
 * Loading differs by host. In workerd the binary comes from a static `.wasm` import
 * (./quickjs-wasm-workerd), because compiling wasm bytes at run time is blocked there;
 * in Node (unit tests, the offline driver) the package reads its .wasm file itself.
 *
 * The memory bound lives here, not in QuickJS: this build's own malloc limit cannot see
 * allocation sizes ("malloc_usable_size unavailable") and let a 32 MB-limited run grow
 * the wasm memory to 1.8 GB. The release build imports its memory, so the module gets a
 * `WebAssembly.Memory` with a fixed maximum; past it malloc fails and the guest sees
 * "out of memory". A Worker has 128 MB in all, so the sandbox may take at most half.
 */
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import { type QuickJSWASMModule, newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";

/** The most wasm memory the sandbox can ever hold, QuickJS's own 16 MB start included. */
export const SANDBOX_MEMORY_BYTES = 64 * 2 ** 20;
const PAGE_BYTES = 65_536;
const INITIAL_BYTES = 16 * 2 ** 20;

let loading: Promise<QuickJSWASMModule> | null = null;
let loaded: QuickJSWASMModule | null = null;

/**
 * The shared module, loading it on first use. A failed load is not cached, so the next
 * call tries again (the failure itself propagates: it is an infrastructure error, not a
 * verdict on anyone's code).
 */
export function loadQuickJs(): Promise<QuickJSWASMModule> {
  loading ??= instantiate().then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** The module if it has finished loading, else null: lets synchronous callers run code. */
export function loadedQuickJs(): QuickJSWASMModule | null {
  return loaded;
}

/**
 * Forgets the module so the next load makes a fresh one. Called after a wasm-level fault
 * (a trap inside QuickJS), after which its memory may be inconsistent.
 */
export function discardQuickJs(): void {
  loaded = null;
  loading = null;
}

/** workerd (wrangler dev, deployed, and the vitest pool) identifies itself this way. */
export function isWorkerd(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";
}

async function instantiate(): Promise<QuickJSWASMModule> {
  const wasmMemory = new WebAssembly.Memory({ initial: INITIAL_BYTES / PAGE_BYTES, maximum: SANDBOX_MEMORY_BYTES / PAGE_BYTES });
  if (!isWorkerd()) return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory }));
  const { default: wasmModule } = await import("./quickjs-wasm-workerd");
  return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmModule, wasmMemory }));
}
