// wrangler bundles a `.wasm` import as a compiled module (its default module rules).
declare module "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
