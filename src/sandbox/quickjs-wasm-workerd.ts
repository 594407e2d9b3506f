/**
 * The QuickJS WebAssembly binary as workerd wants it: a static import that wrangler's
 * bundler turns into a compiled `WebAssembly.Module` at upload time. workerd refuses to
 * compile WebAssembly from bytes at run time, so fetching or reading the .wasm file (what
 * the package does by default) cannot work there. Imported only when running in workerd
 * (see ./quickjs-module), because Node cannot import a .wasm file.
 *
 * The path names the file, not the package's "./wasm" export: wrangler picks the module
 * type by the import specifier ending in ".wasm", and resolves it without the exports map.
 */
import quickJsWasm from "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";

export default quickJsWasm;
