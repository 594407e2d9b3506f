/**
 * results.json: every finished cell (method x task x seed), every pre-training run and
 * the tasks created on the service, so an interrupted or extended benchmark resumes
 * where it stopped instead of paying for finished cells again. The bookkeeping is pure;
 * only `loadResults` / `saveResults` touch the disk.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { MethodId } from "./methods";

export const RESULTS_VERSION = 1;

/** Calls, tokens and USD of one role, as the service's spentByRole reports them. */
export interface Spend {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  usd: number;
}
export type SplitScores = Partial<Record<"train" | "val" | "test", number>>;

export interface RoleSpend {
  task: Spend;
  agent: Spend;
}

/** What changes the numbers: finished cells are only reused when these match. */
export interface BenchSettings {
  /** "local" (a stack this script starts) or the --url of a service. */
  service: string;
  simulated: boolean;
  simlmSeed: number | null;
  taskModel: string | null;
  agentModel: string | null;
  /** --budget-task-calls, or "auto" (sized so SePO G=5,K=2 fits, per target). */
  budgetTaskCalls: number | "auto";
  /** Examples per SimLM task / --limit per pack. */
  examplesPerTask: number;
}

export interface TaskRecord {
  /** The id the service gave the task. */
  apiTaskId: string;
  scorerType: string;
}

export interface PretrainRecord {
  runId: string;
  snapshotId: string;
  spent: RoleSpend;
  agentFitness: { seed: number; champion: number } | null;
  seconds: number;
}

export interface CellRecord {
  method: MethodId;
  task: string;
  seed: number;
  status: "completed" | "failed" | "skipped";
  /** The champion's test score (pass@1), 0..1; null unless completed. */
  score: number | null;
  /** The seed (Manual-CoT) prompt's test score in the same run, for reference. */
  seedScore: number | null;
  /** Seed and champion scores on every split the run scored (val shows how much the champion choice overfits). */
  splits: { seed: SplitScores; champion: SplitScores } | null;
  runId: string | null;
  /** The cell's own copy of the target task (fresh per attempt, so it starts from the seed prompt). */
  apiTaskId: string | null;
  pretrainKey: string | null;
  /** The maxTaskCalls the fine-tuning ran under; null when the service could not enforce one. */
  budgetTaskCalls: number | null;
  finetune: RoleSpend | null;
  stopReason: string | null;
  note: string | null;
  seconds: number;
}

export interface BenchResults {
  version: number;
  settings: BenchSettings;
  /** The last command line that wrote this file. */
  command: string;
  /** Pool copies keyed by `${task}|${seed}` (a task's data depends on the seed); never fine-tuned. */
  tasks: Record<string, TaskRecord>;
  pretrains: Record<string, PretrainRecord>;
  cells: Record<string, CellRecord>;
  /** Wall-clock seconds of each invocation, newest last (timing, not a result). */
  sessions: Array<{ startedAt: string; seconds: number; cellsRun: number; code: string }>;
}

export const cellKey = (method: string, task: string, seed: number): string => `${method}|${task}|${seed}`;
export const taskKey = (task: string, seed: number): string => `${task}|${seed}`;

export function emptyResults(settings: BenchSettings, command: string): BenchResults {
  return { version: RESULTS_VERSION, settings, command, tasks: {}, pretrains: {}, cells: {}, sessions: [] };
}

/** Settings that differ between a stored file and this invocation (empty: resumable). */
export function settingsConflicts(stored: BenchSettings, current: BenchSettings): string[] {
  const keys = Object.keys(current) as Array<keyof BenchSettings>;
  return keys.filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(current[k])).map((k) => `${k}: ${JSON.stringify(stored[k])} -> ${JSON.stringify(current[k])}`);
}

/** Only completed cells count as done: failed and skipped ones are tried again. */
export function isCellDone(results: BenchResults, method: string, task: string, seed: number): boolean {
  return results.cells[cellKey(method, task, seed)]?.status === "completed";
}

export interface CellRef {
  method: MethodId;
  task: string;
  seed: number;
}

/** Every cell of the grid in run order (seed-major, so partial runs cover all methods early). */
export function gridCells(methods: readonly MethodId[], tasks: readonly string[], seeds: readonly number[]): CellRef[] {
  return seeds.flatMap((seed) => tasks.flatMap((task) => methods.map((method) => ({ method, task, seed }))));
}

/** The cells still to run: all of them without --resume, the unfinished ones with it. */
export function pendingCells(results: BenchResults, grid: readonly CellRef[], resume: boolean): CellRef[] {
  return resume ? grid.filter((c) => !isCellDone(results, c.method, c.task, c.seed)) : [...grid];
}

export function recordCell(results: BenchResults, cell: CellRecord): void {
  results.cells[cellKey(cell.method, cell.task, cell.seed)] = cell;
}

export function loadResults(path: string): BenchResults | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, "utf8")) as BenchResults;
  if (parsed.version !== RESULTS_VERSION) throw new Error(`${path} has version ${parsed.version}; this script writes ${RESULTS_VERSION}`);
  return parsed;
}

/** Written after every cell through a temp file, so a crash never leaves half a file. */
export function saveResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(sortedResults(results), null, 2)}\n`);
  renameSync(tmp, path);
}

/** Keys sorted so the file diffs cleanly whatever order concurrent cells finished in. */
function sortedResults(r: BenchResults): BenchResults {
  const sortKeys = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...r, tasks: sortKeys(r.tasks), pretrains: sortKeys(r.pretrains), cells: sortKeys(r.cells) };
}
