/**
 * Runs the benchmark from a frozen copy of the source tree. `wrangler dev` watches its
 * sources and reloads the Worker whenever a file changes: an edit during a long benchmark
 * would otherwise swap the engine or a scorer mid-run (numbers from two code versions,
 * and jobs in flight lost to the reload, leaving runs stuck). The copy is cheap (no
 * node_modules: that is a symlink) and its hash is recorded with the results.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";

/** What the Worker, the scripts and wrangler need; everything else stays behind. */
const COPIED = ["src", "durable-objects", "scripts", "migrations", "wrangler.toml", "package.json", "tsconfig.json"];

/** Set in the frozen child: the original checkout, against which paths are resolved. */
export const FROZEN_ROOT_ENV = "SEPO_BENCH_ROOT";
export const SOURCE_HASH_ENV = "SEPO_BENCH_SOURCE";
/** "tree" or "head": where the frozen service code came from. */
export const SOURCE_FROM_ENV = "SEPO_BENCH_SOURCE_FROM";

function files(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir).flatMap((name) => files(join(dir, name)));
}

/** sha256 over the copied files' paths and bytes, so two runs can tell whether the code was the same. */
export function sourceHash(root: string): string {
  const hash = createHash("sha256");
  const paths = COPIED.filter((p) => existsSync(join(root, p))).flatMap((p) => files(join(root, p))).sort();
  for (const path of paths) hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** The benchmark's own files: always taken from the working tree. */
const BENCH_FILES = ["scripts/bench.ts", "scripts/lib/bench"];

/**
 * Copies the source into `into`: the working tree, or (`head`) everything as last
 * committed except the benchmark's own files, so a shared checkout's uncommitted work
 * cannot leak into the numbers.
 */
export function freezeSource(root: string, into: string, from: "tree" | "head"): string {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const present = COPIED.filter((p) => existsSync(join(root, p)));
  if (from === "head") {
    const tar = execFileSync("git", ["archive", "--format=tar", "HEAD", ...present], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", into], { input: tar });
    for (const p of BENCH_FILES) cpSync(join(root, p), join(into, p), { recursive: true });
  } else {
    for (const p of present) cpSync(join(root, p), join(into, p), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(into, "node_modules"), "dir");
  return sourceHash(into);
}

/** Re-runs this script from the frozen copy with the same arguments; resolves to its exit code. */
export function runFrozen(root: string, frozen: string, hash: string, from: "tree" | "head", argv: readonly string[]): Promise<number> {
  const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
  const child = spawn(process.execPath, [tsx, join(frozen, "scripts/bench.ts"), ...argv], {
    cwd: frozen,
    stdio: "inherit",
    env: { ...process.env, [FROZEN_ROOT_ENV]: root, [SOURCE_HASH_ENV]: hash, [SOURCE_FROM_ENV]: from },
  });
  // Ctrl-C reaches both (same process group); a SIGTERM to this process is passed on so the child stops its stack.
  const forward = () => child.kill("SIGTERM");
  process.once("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
