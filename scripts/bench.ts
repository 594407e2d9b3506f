/**
 * `npm run bench -- [flags]`: SePO against its baselines and ablations on equal budgets,
 * method x task x seed, through the service's public API (a local stack by default).
 * Writes table.md, results.json, results.csv and chart.svg to --out; results.json makes
 * the run resumable. See benchmarks/README.md for the methods and the protocol.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { ApiError, SepoClient } from "../src/client/api-client";
import { SIM_TASK_IDS } from "../src/simlm/task-pool";
import { ROOT } from "./lib/dev-stack";
import { startLocalStack } from "./lib/bench/local-stack";
import { type BenchArgs, USAGE, parseBenchArgs } from "./lib/bench/args";
import { scoreChartSvg } from "./lib/bench/chart";
import { compareResults } from "./lib/bench/compare";
import { FROZEN_ROOT_ENV, SOURCE_FROM_ENV, SOURCE_HASH_ENV, freezeSource, runFrozen, sourceHash } from "./lib/bench/freeze";
import { METHOD_IDS } from "./lib/bench/methods";
import { resultsCsv, tableMarkdown } from "./lib/bench/render";
import type { BenchTaskInfo } from "./lib/bench/methods";
import { type BenchResults, type BenchSettings, type CellRef, emptyResults, gridCells, loadResults, pendingCells, saveResults, settingsConflicts } from "./lib/bench/results-store";
import { BenchRunner } from "./lib/bench/runner";
import { probeCapabilities } from "./lib/bench/service";
import { costTable, scoreTable } from "./lib/bench/stats";
import { BenchTasks, describeTasks, isSimTask } from "./lib/bench/tasks";
import { reportNotes } from "./lib/bench/notes";

/** The local stack's SimLM seed: fixed, so every re-run sees the same simulated model. */
const SIMLM_SEED = 1;
/** The checkout the user ran from (the frozen copy's parent when running frozen): paths resolve here. */
const BASE = process.env[FROZEN_ROOT_ENV] ?? ROOT;
const say = (line: string) => console.log(line);
const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

async function main(argv: string[]): Promise<void> {
  const args = parseBenchArgs(argv, SIM_TASK_IDS);
  if (args.help) return say(USAGE);
  const command = ["npm run bench --", ...argv.map(quote)].join(" ");
  const outDir = resolve(BASE, args.out);
  const resultsPath = join(outDir, "results.json");
  const stateDir = join(BASE, ".sepo/bench", basename(outDir));
  for (const [pack, path] of Object.entries(args.fromFile)) args.fromFile[pack] = resolve(BASE, path);
  const infos = await describeTasks(args.tasks);
  const settings: BenchSettings = {
    service: args.url ?? "local",
    simulated: !args.url && !process.env.OPENAI_BASE_URL,
    simlmSeed: !args.url && !process.env.OPENAI_BASE_URL ? SIMLM_SEED : null,
    taskModel: args.taskModel,
    agentModel: args.agentModel,
    budgetTaskCalls: args.budgetTaskCalls ?? "auto",
    examplesPerTask: args.examples,
  };
  // Opened before anything starts, so conflicting settings fail fast.
  const results = openResults(resultsPath, settings, command, args.resume);
  const grid = gridCells(args.methods, args.tasks, args.seeds);
  const todo = pendingCells(results, grid, true);
  const willFreeze = todo.length > 0 && !args.url && !args.noFreeze && !process.env[FROZEN_ROOT_ENV];
  if (!willFreeze) say(`${grid.length} cells (${args.methods.length} methods x ${args.tasks.length} tasks x ${args.seeds.length} seeds); ${grid.length - todo.length} already in ${relative(BASE, resultsPath)}, ${todo.length} to run.`);
  if (todo.length === 0) {
    writeOutputs(outDir, results, args, command, []);
    say(`Nothing to run; rewrote ${relative(BASE, outDir)}/{table.md,results.csv,chart.svg} from results.json.`);
  } else if (willFreeze) {
    const frozen = join(stateDir, "source");
    const hash = freezeSource(ROOT, frozen, args.source);
    const from = args.source === "head" ? "HEAD as committed, plus this benchmark's scripts" : "working tree";
    say(`Running from a frozen copy (${from}) in ${relative(ROOT, frozen)}, hash ${hash}, so edits during the run cannot reload the service.`);
    process.exitCode = await runFrozen(ROOT, frozen, hash, args.source, argv);
    return;
  } else {
    await runCells(args, results, infos, todo, { command, outDir, resultsPath, stateDir, simulated: settings.simulated });
  }
  if (args.checkAgainst) checkAgainst(results, resolve(BASE, args.checkAgainst));
}

interface Paths {
  command: string;
  outDir: string;
  resultsPath: string;
  stateDir: string;
  simulated: boolean;
}

/** Starts (or connects to) the service, makes sure the pool tasks exist, runs `todo`, writes the outputs. */
async function runCells(args: BenchArgs, results: BenchResults, infos: BenchTaskInfo[], todo: CellRef[], p: Paths): Promise<void> {
  const started = Date.now();
  if (!args.url) say(`Starting a local stack (D1 migrations, SimLM, wrangler dev); state in ${relative(BASE, p.stateDir)}...`);
  const stack = args.url
    ? null
    : await startLocalStack({ port: args.port, simlmPort: args.simlmPort, dir: p.stateDir, taskModel: args.taskModel, agentModel: args.agentModel, simlmSeed: SIMLM_SEED });
  const stop = async () => stack?.stop();
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(143)));
  try {
    // SEPO_API_KEY (a project key) for a deployed service; a local stack makes a key for itself.
    const apiKey = process.env.SEPO_API_KEY ?? stack?.apiKey;
    const client = new SepoClient({ baseUrl: args.url ?? stack!.apiUrl, apiKey });
    say(`Service: ${args.url ?? `${stack!.apiUrl} (local stack${p.simulated ? `, SimLM seed ${SIMLM_SEED}: SIMULATED model` : `, model endpoint ${stack!.llmUrl}`})`}`);
    const save = () => saveResults(p.resultsPath, results);
    const taskStore = new BenchTasks(client, { examples: args.examples, taskModel: args.taskModel, fromFile: args.fromFile });
    await taskStore.ensurePool(results, infos, args.seeds, (l) => say(`  ${l}`));
    save();
    const caps = await probeCapabilities(client, results.tasks[`${infos[0]!.id}|${args.seeds[0]}`]!.apiTaskId);
    for (const note of caps.notes) say(`  not supported by this service yet: ${note}`);
    say(`Running ${todo.length} cells, ${args.concurrency} at a time.`);
    const runner = new BenchRunner({
      client,
      results,
      tasks: infos,
      taskStore,
      caps,
      budgetTaskCalls: args.budgetTaskCalls,
      agentModel: args.agentModel,
      prices: args.prices,
      concurrency: args.concurrency,
      save,
      log: say,
    });
    const cellsRun = await runner.runAll(todo);
    results.sessions.push({ startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), cellsRun, code: codeVersion() });
    save();
    writeOutputs(p.outDir, results, args, p.command, caps.notes);
  } finally {
    await stop();
  }
  say(`Done in ${Math.round((Date.now() - started) / 1000)}s; wrote ${relative(BASE, p.outDir)}/{table.md,results.json,results.csv,chart.svg}.`);
}

/** results.json to continue, or a fresh one (--no-resume keeps the old file as .bak). */
function openResults(path: string, settings: BenchSettings, command: string, resume: boolean): BenchResults {
  const stored = loadResults(path);
  if (stored && resume) {
    const conflicts = settingsConflicts(stored.settings, settings);
    if (conflicts.length > 0) {
      throw new Error(`${path} was made with other settings (${conflicts.join("; ")}); use another --out, or --no-resume to start over`);
    }
    stored.command = command;
    return stored;
  }
  if (stored) renameSync(path, `${path}.bak`);
  return emptyResults(settings, command);
}

/** Which code produced the numbers: the git commit, whether the tree had edits, and the hash of what ran. */
function codeVersion(): string {
  const git = (...a: string[]) => execFileSync("git", a, { cwd: BASE, encoding: "utf8" }).trim();
  let commit = "unknown commit";
  try {
    const head = git("rev-parse", "--short", "HEAD");
    commit =
      process.env[SOURCE_FROM_ENV] === "head"
        ? `${head} as committed (only the benchmark's own scripts from the working tree)`
        : `${head}${git("status", "--porcelain") ? " + uncommitted changes" : ""}`;
  } catch {
    // not a git checkout
  }
  return `${commit}, source ${process.env[SOURCE_HASH_ENV] ?? sourceHash(ROOT)}`;
}

function writeOutputs(outDir: string, results: BenchResults, args: BenchArgs, command: string, capNotes: string[]): void {
  // Everything results.json holds, not only this invocation's grid: runs can be extended piecemeal.
  const cells = Object.values(results.cells);
  const methods = METHOD_IDS.filter((m) => args.methods.includes(m) || cells.some((c) => c.method === m));
  const tasks = [...new Set([...args.tasks, ...cells.map((c) => c.task)])];
  const seeds = [...new Set([...args.seeds, ...cells.map((c) => c.seed)])].sort((a, b) => a - b);
  const scores = scoreTable(results, methods, tasks, seeds);
  const costs = costTable(results, methods, tasks, seeds);
  const simulated = results.settings.simulated;
  const title = !simulated ? "SePO Edge benchmark" : tasks.every(isSimTask) ? "SePO Edge benchmark on the simulated task pool (SimLM)" : "SePO Edge benchmark on SimLM (simulated model)";
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "table.md"), tableMarkdown({ title, command, results, scores, costs, notes: reportNotes(results, tasks, capNotes) }));
  writeFileSync(join(outDir, "results.csv"), resultsCsv(results, gridCells(methods, tasks, seeds)));
  const subtitle = `mean ± sd over seeds ${seeds.join(",")}${simulated ? "; simulated model (SimLM), not real-model quality" : ""}`;
  writeFileSync(join(outDir, "chart.svg"), scoreChartSvg(scores, { title: "Test score by method (pass@1 x 100)", subtitle }));
}

function checkAgainst(results: BenchResults, referencePath: string): void {
  if (!existsSync(referencePath)) throw new Error(`--check-against: no file ${referencePath}`);
  const reference = loadResults(referencePath)!;
  const { compared, mismatches } = compareResults(results, reference);
  say(`Determinism check against ${relative(BASE, referencePath)}: ${compared} cells compared, ${mismatches.length} differ.`);
  for (const m of mismatches) say(`  DIFFERS ${m}`);
  if (compared === 0 || mismatches.length > 0) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error) => {
  const hint = error instanceof ApiError && error.status === 401 ? " (set SEPO_API_KEY to a project key of the service)" : "";
  console.error(`\nnpm run bench failed: ${error instanceof Error ? error.message : String(error)}${hint}`);
  process.exit(1);
});
