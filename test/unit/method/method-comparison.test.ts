/**
 * SePO against its baselines on SimLM, in process, on the task held out of pre-training.
 * Fine-tuning budgets match the paper's: TextGrad's 10 iterations x 16 fitness examples
 * equal SePO's G5 x K2 x 16 (and MetaSPO's fine-tuning gets the same 10 iterations);
 * MetaSPO's pre-training gets at most the task-model calls SePO's pre-training spent
 * (`maxTaskCalls`). The test asserts only that the runs complete within those budgets;
 * the outcome is measured, not asserted. Print the table with
 *   PRINT_COMPARISON=1 npx vitest run --project unit test/unit/method/method-comparison.test.ts
 */
import { describe, expect, it } from "vitest";
import type { RunConfigInput, RunState } from "../../../src/engine";
import { driveRun } from "../../../src/offline/drive-run";
import { MemoryJobData } from "../../../src/offline/memory-job-data";
import { createSimChat } from "../../../src/offline/sim-chat";
import { simEngineTask, simRunInput } from "../../../src/offline/sim-run-input";
import { expectedAccuracy } from "../../../src/simlm/task-model";
import { HELD_OUT_TASK_ID, PRETRAIN_TASK_IDS } from "../../../src/simlm/task-pool";

const SEEDS = [1, 2, 3, 4, 5];
const METHODS = ["Manual-CoT", "TextGrad", "MetaSPO", "SePO, hand-written agent", "SePO, pre-trained agent"] as const;
type Method = (typeof METHODS)[number];

interface Outcome {
  /** Champion's mean score on the held-out task's sealed test split (18 examples). */
  test: number;
  /** SimLM's noise-free expected accuracy of the champion prompt (200 examples). */
  expected: number;
  taskCalls: number;
  agentCalls: number;
  /** Pre-training's calls, shared by every later fine-tuning (0 without pre-training). */
  preTaskCalls: number;
  preAgentCalls: number;
}

const calls = (s: RunState, role: "task" | "agent") => s.budget.spentByRole[role].calls;

async function runSeed(seed: number): Promise<Record<Method, Outcome>> {
  const data = new MemoryJobData();
  const chat = createSimChat(seed);
  const pool = PRETRAIN_TASK_IDS.map((id) => simEngineTask(id, data, { examples: 60, dataSeed: seed }));
  const held = simEngineTask(HELD_OUT_TASK_ID, data, { examples: 60, dataSeed: seed });
  const finetune = (config: RunConfigInput, runId: string, agentPrompt?: string, sharedPrompt?: string) => {
    const input = simRunInput("finetune", [held], { fitnessExamples: 16, seed, ...config }, agentPrompt, runId);
    return driveRun(sharedPrompt ? { ...input, sharedPrompt } : input, chat, data);
  };
  const sepoPre = await driveRun(simRunInput("pretrain", pool, { generations: 4, childrenPerGeneration: 2, seed }, undefined, "run_sepo_pre"), chat, data);
  const metaPre = await driveRun(
    simRunInput("pretrain", pool, { method: "metaspo", generations: 20, seed, budget: { maxTaskCalls: calls(sepoPre, "task") } }, undefined, "run_meta_pre"),
    chat,
    data,
  );
  const runs: Record<Method, [RunState, RunState | null]> = {
    "Manual-CoT": [await finetune({ generations: 0 }, "run_manual"), null],
    TextGrad: [await finetune({ method: "textgrad", generations: 10 }, "run_textgrad"), null],
    MetaSPO: [await finetune({ method: "metaspo", generations: 10 }, "run_metaspo", undefined, metaPre.report!.championText!), metaPre],
    "SePO, hand-written agent": [await finetune({ generations: 5, childrenPerGeneration: 2 }, "run_sepo_hand"), null],
    "SePO, pre-trained agent": [await finetune({ generations: 5, childrenPerGeneration: 2 }, "run_sepo_pre_ft", sepoPre.report!.championText!), sepoPre],
  };
  const out = {} as Record<Method, Outcome>;
  for (const method of METHODS) {
    const [ft, pre] = runs[method];
    expect(ft.status, `${method}, seed ${seed}`).toBe("completed");
    out[method] = {
      test: ft.report!.tasks[0]!.champion.test!,
      expected: expectedAccuracy(ft.report!.championText!, HELD_OUT_TASK_ID, 200),
      taskCalls: calls(ft, "task"),
      agentCalls: calls(ft, "agent"),
      preTaskCalls: pre ? calls(pre, "task") : 0,
      preAgentCalls: pre ? calls(pre, "agent") : 0,
    };
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

function table(results: Array<Record<Method, Outcome>>): string {
  const rows = METHODS.map((m) => {
    const col = (f: (o: Outcome) => number) => results.map((r) => f(r[m]));
    const tests = col((o) => o.test);
    return [
      m.padEnd(26),
      `${mean(tests).toFixed(3)} +- ${sd(tests).toFixed(3)}`.padEnd(16),
      mean(col((o) => o.expected)).toFixed(3).padEnd(10),
      tests.map((t) => t.toFixed(2)).join(" ").padEnd(26),
      mean(col((o) => o.taskCalls)).toFixed(0).padEnd(8),
      mean(col((o) => o.agentCalls)).toFixed(0).padEnd(7),
      `${mean(col((o) => o.preTaskCalls)).toFixed(0)} / ${mean(col((o) => o.preAgentCalls)).toFixed(0)}`,
    ].join(" | ");
  });
  const header = ["method".padEnd(26), "test mean +- sd".padEnd(16), "expected".padEnd(10), "test per seed".padEnd(26), "task".padEnd(8), "agent".padEnd(7), "pre-train task / agent"].join(" | ");
  return [header, ...rows].join("\n");
}

describe("SePO against its baselines on SimLM (held-out task, 5 seeds)", () => {
  it("runs every method to completion within matched task-model budgets", async () => {
    const results: Array<Record<Method, Outcome>> = [];
    for (const seed of SEEDS) results.push(await runSeed(seed));
    for (const r of results) {
      // At most 16 x 11 fitness + 18 x 11 validation + 18 x 2 test calls for every optimizer.
      for (const m of ["TextGrad", "MetaSPO", "SePO, hand-written agent", "SePO, pre-trained agent"] as const) expect(r[m].taskCalls).toBeLessThanOrEqual(410);
      expect(r.MetaSPO.preTaskCalls).toBeLessThanOrEqual(r["SePO, pre-trained agent"].preTaskCalls);
    }
    if (process.env.PRINT_COMPARISON) console.log(`\n${table(results)}\n`);
  });
});
