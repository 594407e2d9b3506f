/**
 * `npm run bench:engine`: is the service LLM-bound? Two measurements (method and
 * analysis in benchmarks/engine.md):
 *  1. Under `wrangler dev` + SimLM at a fixed latency L = 200 ms, a fine-tuning's
 *     generation wall time against the ideal (sequential waves of calls x L), for
 *     C = 8 and 32 calls in flight, plus wrangler.toml's own setting for reference.
 *  2. The pure engine's CPU per step with archives of 1,000 and 10,000 candidates.
 * Prints Markdown tables and writes them into benchmarks/engine.md.
 *
 * Usage: npm run bench:engine [-- waves|cpu]   (one part only: prints, writes nothing)
 * Ports: BENCH_PORT (default 8807) for wrangler dev, BENCH_PORT + 1 for SimLM.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { captureSteps, type CpuResult, measureAt } from "./lib/bench-cpu";
import { cpuTable, waveTables, writeResults } from "./lib/bench-report";
import { snapshotSources } from "./lib/bench-stack";
import { benchDir, runWaveBench, type WaveResult, type WaveSpec } from "./lib/bench-waves";
import { ROOT } from "./lib/dev-stack";

const LATENCY_MS = 200;
// K = 4 children x N = 32 train examples = 128 task calls per generation.
const BASE = { children: 4, trainExamples: 32, generations: 6, latencyMs: LATENCY_MS };

/**
 * C = B x e calls in flight (see bench-waves.ts). Two ways to C = 32: many one-call jobs
 * in big batches, or few eight-call jobs in small batches; the plumbing costs differ.
 */
const SPECS: WaveSpec[] = [
  { ...BASE, label: "C=8 (B=8, e=1)", batchSize: 8, effectiveBatch: 8, evalChunkSize: 1 },
  { ...BASE, label: "C=32 (B=32, e=1)", batchSize: 32, effectiveBatch: 32, evalChunkSize: 1 },
  { ...BASE, label: "C=32 (B=4, e=8)", batchSize: 4, effectiveBatch: 4, evalChunkSize: 8 },
  { ...BASE, label: `wrangler.toml as is (B=${wranglerBatchSize()}, e=8)`, batchSize: undefined, effectiveBatch: wranglerBatchSize(), evalChunkSize: 8 },
];

const say = (line = "") => console.log(line);

function wranglerBatchSize(): number {
  const match = /queue = "sepo-jobs"\s*\nmax_batch_size = (\d+)/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"));
  if (!match) throw new Error("wrangler.toml has no `sepo-jobs` consumer with max_batch_size");
  return Number(match[1]);
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const LOAD_AT_START = load();

/** The load average matters: wall times here are CPU work on a machine other processes share. */
function machine(): string {
  const wrangler = JSON.parse(readFileSync(join(ROOT, "node_modules/wrangler/package.json"), "utf8")) as { version: string };
  const cpu = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "?"})`;
  return `${cpu}, Node ${process.version}, wrangler ${wrangler.version}, load average ${LOAD_AT_START} at the start and ${load()} at the end, ${new Date().toISOString().slice(0, 16)}Z`;
}

async function waves(): Promise<WaveResult[]> {
  const port = Number(process.env.BENCH_PORT ?? 8807);
  const root = mkdtempSync(join(tmpdir(), "sepo-bench-"));
  const results: WaveResult[] = [];
  try {
    const appDir = snapshotSources(join(root, "app")); // every setting measures the same code
    for (const spec of SPECS) {
      say(`  ${spec.label}: K=${spec.children}, N=${spec.trainExamples}, G=${spec.generations}, L=${spec.latencyMs} ms ...`);
      const result = await runWaveBench(spec, appDir, benchDir(root, spec.label), { api: port, simlm: port + 1 });
      const ratios = result.generations.map((g) => (g.wallMs / g.idealMs).toFixed(2)).join(", ");
      say(`    run ${result.runSeconds.toFixed(1)} s; per generation wall/ideal: ${ratios}`);
      results.push(result);
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

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only && only !== "waves" && only !== "cpu") throw new Error(`unknown part "${only}" (waves or cpu)`);
  const sections: string[] = [];
  if (only !== "cpu") {
    say(`Part 1: generation wall time vs the LLM-bound ideal, wrangler dev + SimLM (latency ${LATENCY_MS} ms, no faults)`);
    const text = waveTables(await waves());
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
  if (only) return;
  const file = join(ROOT, "benchmarks/engine.md");
  writeResults(file, [`Measured with \`npm run bench:engine\` on: ${where}.`, ...sections].join("\n\n"), "# Engine benchmark");
  say(`Results written to ${file}`);
}

main().catch((error) => {
  console.error(`\nbench:engine failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
