import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The limiter's policy is unit-tested with a fake clock: it must not reach for a real one, or for the platform. */
const LIMITS_DIR = new URL("../../../src/limits/", import.meta.url).pathname;

function sources(): Array<{ file: string; text: string }> {
  return readdirSync(LIMITS_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((file) => ({ file, text: readFileSync(join(LIMITS_DIR, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "") }));
}

describe("limiter policy purity", () => {
  it("imports only its own files and zod, and reads no clock, timers, randomness or network", () => {
    const files = sources();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const { file, text } of files) {
      for (const [, spec] of text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g)) {
        expect(spec === "zod" || (spec?.startsWith("./") && !spec.includes("..")), `${file} imports ${spec}`).toBe(true);
      }
      for (const banned of [/Date\.now\(/, /new Date\(/, /Math\.random\(/, /\bfetch\(/, /setTimeout\(/, /setInterval\(/, /\bcrypto\./]) {
        expect(banned.test(text), `${file} uses ${banned}`).toBe(false);
      }
    }
  });
});
