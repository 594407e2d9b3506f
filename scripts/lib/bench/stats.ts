/**
 * From recorded cells to the numbers the tables and the chart show: per method and task,
 * the mean and standard deviation over seeds; per method, the mean cost of a cell.
 */
import type { MethodId } from "./methods";
import { type BenchResults, type CellRecord, cellKey, type RoleSpend, type Spend } from "./results-store";

export interface Stat {
  mean: number;
  /** Sample standard deviation (n - 1); null with fewer than two values. */
  sd: number | null;
  n: number;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("mean of no values");
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function sampleSd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1));
}

export function statOf(xs: readonly number[]): Stat | null {
  return xs.length === 0 ? null : { mean: mean(xs), sd: sampleSd(xs), n: xs.length };
}

export interface ScoreRow {
  method: MethodId;
  /** Per task: the stat over the seeds that completed, or null when none did. */
  cells: Record<string, Stat | null>;
  /**
   * Mean and sd over seeds of the per-seed average across tasks, counting only seeds
   * where every task completed (so a missing cell cannot shift the average).
   */
  avg: Stat | null;
}

export interface ScoreTable {
  tasks: string[];
  seeds: number[];
  rows: ScoreRow[];
}

function completed(results: BenchResults, method: string, task: string, seed: number): CellRecord | null {
  const cell = results.cells[cellKey(method, task, seed)];
  return cell?.status === "completed" && cell.score !== null ? cell : null;
}

export function scoreTable(results: BenchResults, methods: readonly MethodId[], tasks: readonly string[], seeds: readonly number[]): ScoreTable {
  const rows = methods.map((method): ScoreRow => {
    const cells: Record<string, Stat | null> = {};
    for (const task of tasks) {
      cells[task] = statOf(seeds.flatMap((seed) => completed(results, method, task, seed)?.score ?? []));
    }
    const perSeedAvg = seeds.flatMap((seed) => {
      const scores = tasks.map((task) => completed(results, method, task, seed)?.score ?? null);
      return scores.every((s): s is number => s !== null) && scores.length > 0 ? [mean(scores)] : [];
    });
    return { method, cells, avg: statOf(perSeedAvg) };
  });
  return { tasks: [...tasks], seeds: [...seeds], rows };
}

export interface CostRow {
  method: MethodId;
  /** Completed cells counted. */
  cells: number;
  /** Mean per cell of the target's fine-tuning run. */
  finetune: RoleSpend;
  /** Distinct pre-training runs the method's cells used. */
  pretrainRuns: number;
  /** Mean per cell of the whole pre-training run it used (not divided among cells sharing it); null without one. */
  pretrain: RoleSpend | null;
}

const ZERO: Spend = { calls: 0, promptTokens: 0, completionTokens: 0, usd: 0 };

function meanSpend(spends: readonly Spend[]): Spend {
  const n = Math.max(spends.length, 1);
  const total = spends.reduce((a, b) => ({ calls: a.calls + b.calls, promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, usd: a.usd + b.usd }), ZERO);
  return { calls: total.calls / n, promptTokens: total.promptTokens / n, completionTokens: total.completionTokens / n, usd: total.usd / n };
}

const meanRoles = (spends: readonly RoleSpend[]): RoleSpend => ({ task: meanSpend(spends.map((s) => s.task)), agent: meanSpend(spends.map((s) => s.agent)) });

export function costTable(results: BenchResults, methods: readonly MethodId[], tasks: readonly string[], seeds: readonly number[]): CostRow[] {
  return methods.map((method): CostRow => {
    const cells = seeds.flatMap((seed) => tasks.flatMap((task) => completed(results, method, task, seed) ?? []));
    const pretrainKeys = cells.flatMap((c) => (c.pretrainKey ? [c.pretrainKey] : []));
    const pretrains = pretrainKeys.flatMap((k) => results.pretrains[k]?.spent ?? []);
    return {
      method,
      cells: cells.length,
      finetune: meanRoles(cells.flatMap((c) => c.finetune ?? [])),
      pretrainRuns: new Set(pretrainKeys).size,
      pretrain: pretrains.length > 0 ? meanRoles(pretrains) : null,
    };
  });
}

/** Distinct fine-tuning budgets (maxTaskCalls) the completed cells ran under; null = not enforced. */
export function budgetsUsed(results: BenchResults): Array<number | null> {
  const seen = new Set(Object.values(results.cells).filter((c) => c.status === "completed").map((c) => c.budgetTaskCalls));
  return [...seen].sort((a, b) => (a ?? -1) - (b ?? -1));
}
