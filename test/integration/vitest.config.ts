import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = new URL("../..", import.meta.url).pathname;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(`${root}migrations`);
  return {
    plugins: [
      cloudflareTest({
        main: `${root}src/index.ts`,
        wrangler: { configPath: `${root}wrangler.toml` },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations },
        },
      }),
    ],
    test: {
      name: "integration",
      root,
      include: ["test/integration/**/*.test.ts"],
      setupFiles: ["test/integration/apply-migrations.ts"],
    },
  };
});
