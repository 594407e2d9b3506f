import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ENGINE_DIR = new URL("../../../src/engine/", import.meta.url).pathname;

function engineSources(): Array<{ file: string; text: string }> {
  return readdirSync(ENGINE_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((file) => ({ file, text: readFileSync(join(ENGINE_DIR, file), "utf8") }));
}

/** Strips comments so a why-comment may name what the code must not call. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

describe("engine purity", () => {
  it("imports only relative engine files and zod", () => {
    const files = engineSources();
    expect(files.length).toBeGreaterThan(10);
    for (const { file, text } of files) {
      const specifiers = [...code(text).matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      for (const spec of specifiers) {
        expect(spec === "zod" || (spec?.startsWith("./") && !spec.includes("..")), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it("reads no clock, ambient randomness, network, timers or crypto", () => {
    const banned = [/Date\.now\(/, /new Date\(/, /Math\.random\(/, /\bfetch\(/, /setTimeout\(/, /setInterval\(/, /\bcrypto\./, /process\.env/];
    for (const { file, text } of engineSources()) {
      for (const pattern of banned) expect(pattern.test(code(text)), `${file} uses ${pattern}`).toBe(false);
    }
  });
});
