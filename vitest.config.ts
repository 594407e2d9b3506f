import { defineConfig } from "vitest/config";

/**
 * Two runtimes, two projects: unit tests run in Node; integration tests run inside
 * workerd with the real bindings (see test/integration/vitest.config.ts).
 */
export default defineConfig({
  test: {
    projects: ["test/unit/vitest.config.ts", "test/integration/vitest.config.ts"],
  },
});
