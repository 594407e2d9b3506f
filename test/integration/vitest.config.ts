import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import type { Request as MiniflareRequest } from "miniflare";
import { tsImport } from "tsx/esm/api";
import type { outboundService } from "./support/outbound";

// Loaded through tsx rather than bundled with this config: Vite's config bundler warns
// about every extensionless import of SimLM's sources.
let outbound: Promise<{ outboundService: typeof outboundService }> | undefined;
const loadOutbound = () => (outbound ??= tsImport("./support/outbound.ts", import.meta.url));

const root = new URL("../..", import.meta.url).pathname;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(`${root}migrations`);
  return {
    plugins: [
      cloudflareTest({
        main: `${root}src/index.ts`,
        wrangler: { configPath: `${root}wrangler.toml` },
        miniflare: {
          // ADMIN_API_KEY is a secret in production (never in wrangler.toml); tests bind a fixed one.
          // ALLOW_PRIVATE_URLS: SimLM's fault hosts and test receivers are not public addresses.
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_API_KEY: "test-admin-key-0123456789abcdef", ALLOW_PRIVATE_URLS: "true" },
          // The LLM: every outbound fetch (the `openai` client's included) goes to SimLM in process.
          outboundService: async (request: MiniflareRequest) => (await loadOutbound()).outboundService(request),
        },
      }),
    ],
    // wrangler resolves the sandbox's .wasm import past the package's exports map; Vite
    // does not, so point it at the file (see src/sandbox/quickjs-wasm-workerd.ts).
    resolve: {
      alias: {
        "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm": `${root}node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm`,
      },
    },
    test: {
      name: "integration",
      root,
      include: ["test/integration/**/*.test.ts"],
      setupFiles: ["test/integration/apply-migrations.ts"],
    },
  };
});
