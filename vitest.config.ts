import { defineConfig } from "vitest/config";

/**
 * Tests mirror the runtime split: unit tests in Node, integration tests inside workerd
 * with the real bindings, end-to-end tests against `wrangler dev` and SimLM over HTTP.
 */
export default defineConfig({
  test: {
    projects: ["test/unit/vitest.config.ts", "test/integration/vitest.config.ts", "test/e2e/vitest.config.ts"],
  },
});
