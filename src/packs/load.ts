/**
 * Loading a pack's examples in Node: from local files in the public format
 * (`--from-file`), or by downloading its public sources. Gzip files (the GPQA copy is
 * stored gzipped on purpose) are inflated in memory only, never written out.
 *
 *   npx tsx src/packs/load.ts sudoku --from-file ../shared/datasets/sudoku --limit 200
 *   npx tsx src/packs/load.ts aime25 --out aime25-task.json      # downloads, writes a POST /v1/tasks body
 *
 * Without --out only a summary is printed: example text (GPQA's in particular) is never logged.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import type { z } from "zod";
import type { CreateTaskSchema } from "../routes/task-input";
import type { PackExample, PackSource, TaskPack } from "./pack";
import { PACK_IDS, getPack } from "./registry";

export interface LoadPackOptions {
  /** A directory holding the sources by name, or the files themselves; downloads when absent. */
  fromFile?: string | string[] | undefined;
  seed: number;
  limit?: number | undefined;
  /** Per-file download timeout (default 60 s). */
  timeoutMs?: number | undefined;
  /** Injectable for tests; the global fetch by default. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** The examples of pack `id`, parsed deterministically from local files or the public sources. */
export async function loadPack(id: string, options: LoadPackOptions): Promise<PackExample[]> {
  const pack = getPack(id);
  const files =
    options.fromFile === undefined ? await downloadSources(pack, options) : await readLocalSources(pack, options.fromFile);
  return pack.parse(files, { seed: options.seed, limit: options.limit });
}

/** Bytes as the format defines them: gzip (magic 1f 8b) is inflated in memory. */
function inflate(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

/** Downloads every source in parallel; any failure rejects with the file, URL and reason. */
export async function downloadSources(pack: TaskPack, options: Pick<LoadPackOptions, "timeoutMs" | "fetch">): Promise<Record<string, Uint8Array>> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const entries = await Promise.all(
    pack.sources.map(async (source): Promise<[string, Uint8Array]> => {
      const fail = (reason: string) =>
        new Error(`${pack.id}: download of ${source.name} from ${source.url} failed: ${reason} (or pass --from-file with a local copy)`);
      let response: Response;
      try {
        response = await doFetch(source.url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === "TimeoutError";
        throw fail(timedOut ? `no answer within ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error));
      }
      if (!response.ok) throw fail(`HTTP ${response.status} ${response.statusText}`.trim());
      return [source.name, inflate(new Uint8Array(await response.arrayBuffer()))];
    }),
  );
  return Object.fromEntries(entries);
}

const isDirectory = async (path: string) => (await stat(path).catch(() => null))?.isDirectory() ?? false;
const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() ?? false;

/**
 * Reads the sources from disk. A directory is searched for each source by its name (a
 * relative path such as "aime_2025_I/problems/1.tex"), its base name, and either with
 * ".gz". Listed files match a source by path suffix or base name (".gz" allowed); a
 * single file always serves a single-source pack.
 */
export async function readLocalSources(pack: TaskPack, fromFile: string | string[]): Promise<Record<string, Uint8Array>> {
  const paths = (Array.isArray(fromFile) ? fromFile : [fromFile]).map((p) => resolve(p));
  if (paths.length === 1 && (await isDirectory(paths[0]!))) return readFromDirectory(pack, paths[0]!);
  for (const path of paths) if (!(await isFile(path))) throw new Error(`${pack.id}: ${path} is not a file or directory`);
  const files: Record<string, Uint8Array> = {};
  const missing: string[] = [];
  for (const source of pack.sources) {
    const path = paths.find((p) => matchesSource(p, source)) ?? (pack.sources.length === 1 && paths.length === 1 ? paths[0] : undefined);
    if (path) files[source.name] = inflate(await readFile(path));
    else missing.push(source.name);
  }
  if (missing.length > 0) throw new Error(`${pack.id}: no file given for ${describeMissing(missing)}`);
  return files;
}

async function readFromDirectory(pack: TaskPack, dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  const missing: string[] = [];
  for (const source of pack.sources) {
    const candidates = [source.name, `${source.name}.gz`, basename(source.name), `${basename(source.name)}.gz`].map((n) => join(dir, n));
    let found: string | undefined;
    for (const candidate of candidates) {
      if (await isFile(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found) files[source.name] = inflate(await readFile(found));
    else missing.push(source.name);
  }
  if (missing.length > 0) throw new Error(`${pack.id}: ${dir} lacks ${describeMissing(missing)}`);
  return files;
}

function matchesSource(path: string, source: PackSource): boolean {
  const normalized = path.replace(/\\/g, "/");
  return [source.name, `${source.name}.gz`].some((name) => normalized.endsWith(`/${name}`) || basename(normalized) === basename(name));
}

function describeMissing(missing: string[]): string {
  const shown = missing.slice(0, 5).join(", ");
  return missing.length > 5 ? `${shown} and ${missing.length - 5} more source file(s)` : shown;
}

/** A `POST /v1/tasks` body for a pack's examples, with the pack's split and `seed` as splitSeed. */
export function packTaskBody(pack: TaskPack, examples: PackExample[], seed: number): z.input<typeof CreateTaskSchema> {
  return {
    name: pack.name,
    description: pack.description,
    seedPrompt: pack.seedPrompt,
    scorer: pack.scorer,
    examples: examples.map(({ input, expected }) => ({ input, expected })),
    split: pack.split,
    splitSeed: seed,
    ...(pack.attempts ? { attempts: pack.attempts } : {}),
  };
}

const HELP = `Load a benchmark pack and write a POST /v1/tasks body.

Usage: npx tsx src/packs/load.ts <pack> [--from-file PATH]... [--seed N] [--limit N] [--out FILE]
Packs: ${PACK_IDS.join(", ")}
  --from-file PATH  a local copy (a directory, or the file(s)) in the public format; downloads when absent
  --seed N          option shuffles and the split seed (default 0)
  --limit N         keep the first N examples
  --out FILE        write the task body as JSON; without it only a summary is printed`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "from-file": { type: "string", multiple: true },
      seed: { type: "string" },
      limit: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(HELP);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const seed = Number(values.seed ?? 0);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const pack = getPack(positionals[0]!);
  const examples = await loadPack(pack.id, { fromFile: values["from-file"], seed, limit });
  console.log(`${pack.id}: ${examples.length} examples; scorer ${pack.scorer.type}; split ${JSON.stringify(pack.split)}`);
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(packTaskBody(pack, examples, seed), null, 2)}\n`);
    console.log(`wrote ${values.out}`);
  }
}

// Run only as the entry point, so tests can import the loader.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
