/** Builders for bench results with overrides, so each test states only what it is about. */
import type { MethodId } from "../../../scripts/lib/bench/methods";
import { type BenchResults, type CellRecord, type RoleSpend, type Spend, cellKey, emptyResults } from "../../../scripts/lib/bench/results-store";

export const spend = (calls: number, tokens = calls * 10, usd = 0): Spend => ({ calls, promptTokens: tokens, completionTokens: 0, usd });
export const roles = (task: number, agent: number): RoleSpend => ({ task: spend(task), agent: spend(agent) });

export function makeCell(over: Partial<CellRecord> & { method: MethodId; task: string; seed: number }): CellRecord {
  return {
    status: "completed",
    score: 0.5,
    seedScore: 0.4,
    splits: { seed: { train: 0.3, val: 0.35, test: 0.4 }, champion: { train: 0.6, val: 0.65, test: 0.5 } },
    runId: `run_${over.method}_${over.task}_${over.seed}`,
    apiTaskId: `task_${over.task}_${over.seed}`,
    pretrainKey: null,
    budgetTaskCalls: 830,
    finetune: roles(100, 10),
    stopReason: "completed",
    note: null,
    seconds: 1,
    ...over,
  };
}

export function makeResults(cells: CellRecord[] = []): BenchResults {
  const results = emptyResults(
    { service: "local", simulated: true, simlmSeed: 1, taskModel: null, agentModel: null, budgetTaskCalls: "auto", examplesPerTask: 100 },
    "npm run bench --",
  );
  for (const c of cells) results.cells[cellKey(c.method, c.task, c.seed)] = c;
  return results;
}
