/** The installed entry point: a real `node bin/sepo.js` process, so the tsx wiring and exit codes are real. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../../bin/sepo.js", import.meta.url));

async function sepo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, SEPO_CONFIG: "/nonexistent/sepo.json" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("bin/sepo.js", () => {
  it("prints usage with --help", async () => {
    const r = await sepo("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: sepo <command> [options]");
  }, 20_000);

  it("exits 2 on a bad command and 1 when the API is unreachable", async () => {
    expect((await sepo("tasks", "lst")).code).toBe(2);
    const r = await sepo("tasks", "list", "--url", "http://127.0.0.1:9");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sepo: error: cannot reach the SePO API at http:\/\/127\.0\.0\.1:9/);
  }, 20_000);
});
