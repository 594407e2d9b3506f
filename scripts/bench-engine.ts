/**
 * `npm run bench:engine`: is the service LLM-bound? Two measurements (method and
 * analysis in benchmarks/engine.md):
 *  1. Under `wrangler dev` + SimLM at a fixed latency L = 200 ms, a fine-tuning's
 *     generation wall time against the ideal (sequential waves of calls x L), for
 *     C = 8, 32 and 64 calls in flight, plus wrangler.toml's own setting for reference;
 *     with evaluations per second and D1 writes per evaluation.
 *  2. The pure engine's CPU per step with archives of 1,000 and 10,000 candidates.
 * Prints Markdown tables and writes them into benchmarks/engine.md.
 * `npm run bench:load` (part `load`): many runs at once on one stack; benchmarks/load.md.
 *
 * Usage: npm run bench:engine [-- waves|cpu|load] [--repeat N] [--only TEXT]
 *   waves|cpu: one part only (prints, writes nothing); load: writes benchmarks/load.md.
 *   --repeat N: measure the key settings (C = 32) N times (default 1); the tables add their medians.
 *   --only TEXT: only the settings whose label contains TEXT (prints, writes nothing).
 * Ports: BENCH_PORT (default 8807) for wrangler dev, BENCH_PORT + 1 for SimLM.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { captureSteps, type CpuResult, measureAt } from "./lib/bench-cpu";
import { cpuTable, waveTables, writeResults } from "./lib/bench-report";
import { snapshotSources } from "./lib/bench-stack";
import { loadTables, runLoadBench } from "./lib/bench-load";
import { benchDir, runWaveBench, type WaveResult, type WaveSpec } from "./lib/bench-waves";
import { ROOT } from "./lib/dev-stack";

const LATENCY_MS = 200;
// K = 4 children x N = 32 train examples = 128 task calls per generation.
const BASE = { children: 4, trainExamples: 32, generations: 6, latencyMs: LATENCY_MS };

/**
 * C = B x e calls in flight (see bench-waves.ts). Two ways to C = 32: many one-call jobs
 * in big batches, or few eight-call jobs in small batches; the plumbing costs differ.
 * `key`: repeated by --repeat (the setting the load requirement is checked at).
 */
const SPECS: Array<WaveSpec & { key?: boolean }> = [
  { ...BASE, label: "C=8 (B=8, e=1)", batchSize: 8, effectiveBatch: 8, evalChunkSize: 1 },
  { ...BASE, label: "C=32 (B=32, e=1)", batchSize: 32, effectiveBatch: 32, evalChunkSize: 1, key: true },
  { ...BASE, label: "C=32 (B=4, e=8)", batchSize: 4, effectiveBatch: 4, evalChunkSize: 8, key: true },
  { ...BASE, label: "C=64 (B=8, e=8)", batchSize: 8, effectiveBatch: 8, evalChunkSize: 8 },
  { ...BASE, label: `wrangler.toml as is (B=${wranglerBatchSize()}, e=8)`, batchSize: undefined, effectiveBatch: wranglerBatchSize(), evalChunkSize: 8 },
];

/** The load benchmark: wrangler.toml's batch size, the default evalChunkSize, runs to completion. */
const LOAD = { groups: [1, 4, 16], children: 4, generations: 3, trainExamples: 32, evalChunkSize: 8, latencyMs: LATENCY_MS };

interface Options {
  part: "waves" | "cpu" | "load" | undefined;
  repeat: number;
  only: string | undefined;
}

function options(argv: string[]): Options {
  const out: Options = { part: undefined, repeat: 1, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "waves" || arg === "cpu" || arg === "load") out.part = arg;
    else if (arg === "--repeat") out.repeat = Number(argv[++i]);
    else if (arg === "--only") out.only = argv[++i];
    else throw new Error(`unknown argument "${arg}" (waves|cpu|load, --repeat N, --only TEXT)`);
  }
  if (!Number.isInteger(out.repeat) || out.repeat < 1) throw new Error("--repeat wants a whole number of at least 1");
  return out;
}

const say = (line = "") => console.log(line);

function wranglerBatchSize(): number {
  const match = /queue = "sepo-jobs"\s*\nmax_batch_size = (\d+)/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"));
  if (!match) throw new Error("wrangler.toml has no `sepo-jobs` consumer with max_batch_size");
  return Number(match[1]);
}

const loadAvg = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const LOAD_AT_START = loadAvg();

/** The load average matters: wall times here are CPU work on a machine other processes share. */
function machine(): string {
  const wrangler = JSON.parse(readFileSync(join(ROOT, "node_modules/wrangler/package.json"), "utf8")) as { version: string };
  const cpu = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "?"})`;
  return `${cpu}, Node ${process.version}, wrangler ${wrangler.version}, load average ${LOAD_AT_START} at the start and ${loadAvg()} at the end, ${new Date().toISOString().slice(0, 16)}Z`;
}

const PORT = Number(process.env.BENCH_PORT ?? 8807);

/** Every setting once, then the key settings again until each ran `repeat` times (rounds spread the machine's load over them). */
async function waves(opts: Options): Promise<WaveResult[]> {
  const root = mkdtempSync(join(tmpdir(), "sepo-bench-"));
  const results: WaveResult[] = [];
  const chosen = SPECS.filter((s) => !opts.only || s.label.includes(opts.only));
  if (chosen.length === 0) throw new Error(`no setting's label contains "${opts.only}"`);
  try {
    const appDir = snapshotSources(join(root, "app")); // every setting measures the same code
    for (let round = 0; round < opts.repeat; round++) {
      for (const spec of chosen.filter((s) => round === 0 || s.key || opts.only)) {
        say(`  ${spec.label}${round > 0 ? ` (repeat ${round + 1})` : ""}: K=${spec.children}, N=${spec.trainExamples}, G=${spec.generations}, L=${spec.latencyMs} ms ...`);
        const result = await runWaveBench(spec, appDir, benchDir(root, `${spec.label}-${round}`), { api: PORT, simlm: PORT + 1 });
        for (const run of result.runs) {
          const ratios = run.generations.map((g) => (g.wallMs / g.idealMs).toFixed(2)).join(", ");
          say(`    ${run.limiter} limiter (window ${run.windowAtStart?.toFixed(0)} -> ${run.windowAtEnd?.toFixed(0)}): run ${run.runSeconds.toFixed(1)} s; per generation wall/ideal: ${ratios}`);
        }
        results.push(result);
      }
    }
    rmSync(root, { recursive: true, force: true });
  } catch (error) {
    say(`  (kept ${root} with wrangler's logs for inspection)`);
    throw error;
  }
  return results;
}

function cpu(): CpuResult[] {
  const started = performance.now();
  const captured = captureSteps();
  say(`  drove 99 generations of K=10 to capture the steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return [
    measureAt(captured, 1_000, 100),
    measureAt(captured, 10_000, 15),
  ];
}

async function load(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "sepo-bench-load-"));
  try {
    const appDir = snapshotSources(join(root, "app"));
    const result = await runLoadBench({ ...LOAD, batchSize: wranglerBatchSize() }, appDir, join(root, "stack"), { api: PORT, simlm: PORT + 1 }, say);
    rmSync(root, { recursive: true, force: true });
    return loadTables(result);
  } catch (error) {
    say(`  (kept ${root} with wrangler's logs for inspection)`);
    throw error;
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const only = opts.part;
  if (only === "load") {
    say(`Load: runs at once on one stack, wrangler dev + SimLM (latency ${LATENCY_MS} ms, no faults)`);
    const body = `### Runs at once on one local service (wrangler dev, SimLM L = ${LATENCY_MS} ms)\n\n${await load()}`;
    const where = machine();
    say(`\n${body}\n\nMachine: ${where}`);
    const file = join(ROOT, "benchmarks/load.md");
    writeResults(file, [`Measured with \`npm run bench:load\` on: ${where}.`, body].join("\n\n"), "# Load benchmark: many runs at once", "bench:load");
    say(`Results written to ${file}`);
    return;
  }
  const sections: string[] = [];
  if (only !== "cpu") {
    say(`Part 1: generation wall time vs the LLM-bound ideal, wrangler dev + SimLM (latency ${LATENCY_MS} ms, no faults)`);
    const text = waveTables(await waves(opts));
    sections.push(`### Generation wall time vs the LLM-bound ideal (wrangler dev, SimLM L = ${LATENCY_MS} ms)\n\n${text}`);
    say(`\n${text}\n`);
  }
  if (only !== "waves") {
    say("Part 2: engine CPU per step (Node, no wrangler)");
    const text = cpuTable(cpu());
    sections.push(`### Engine CPU per step (pure engine in Node)\n\n${text}`);
    say(`\n${text}\n`);
  }
  const where = machine();
  say(`Machine: ${where}`);
  if (only || opts.only) return;
  const file = join(ROOT, "benchmarks/engine.md");
  writeResults(file, [`Measured with \`npm run bench:engine\` on: ${where}.`, ...sections].join("\n\n"), "# Engine benchmark");
  say(`Results written to ${file}`);
}

main().catch((error) => {
  console.error(`\nbench:engine failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
