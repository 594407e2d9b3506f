import { defineConfig } from "vitest/config";

/** End-to-end: the real service under `wrangler dev` with SimLM over HTTP (see global-setup.ts). */
export default defineConfig({
  test: {
    name: "e2e",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
