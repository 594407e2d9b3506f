/**
 * The baselines end to end in process (engine + real job handlers and scorers + SimLM):
 * TextGrad-style fine-tuning and MetaSPO-style pre-training then fine-tuning, on the
 * simulated pool. Structural checks and determinism only: which method wins is measured
 * by method-comparison.test.ts, not asserted here.
 */
import { describe, expect, it } from "vitest";
import { type DomainEvent, METASPO_SEED_SYSTEM_PROMPT, type RunState } from "../../../src/engine";
import { driveRun } from "../../../src/offline/drive-run";
import { MemoryJobData } from "../../../src/offline/memory-job-data";
import { createSimChat } from "../../../src/offline/sim-chat";
import { simEngineTask, simRunInput } from "../../../src/offline/sim-run-input";
import { HELD_OUT_TASK_ID, PRETRAIN_TASK_IDS } from "../../../src/simlm/task-pool";

async function textgrad(seed: number) {
  const data = new MemoryJobData();
  const held = simEngineTask(HELD_OUT_TASK_ID, data, { examples: 60, dataSeed: seed });
  const events: DomainEvent[] = [];
  const state = await driveRun(simRunInput("finetune", [held], { method: "textgrad", generations: 10, fitnessExamples: 16, seed }), createSimChat(seed), data, {
    onEvents: (e) => events.push(...e),
  });
  return { state, events };
}

async function metaspo(seed: number) {
  const data = new MemoryJobData();
  const chat = createSimChat(seed);
  const pool = PRETRAIN_TASK_IDS.map((id) => simEngineTask(id, data, { examples: 60, dataSeed: seed }));
  const events: DomainEvent[] = [];
  const pre = await driveRun(simRunInput("pretrain", pool, { method: "metaspo", generations: 3, seed }, undefined, "run_pre"), chat, data, { onEvents: (e) => events.push(...e) });
  const shared = pre.report!.championText!;
  const held = simEngineTask(HELD_OUT_TASK_ID, data, { examples: 60, dataSeed: seed });
  const input = { ...simRunInput("finetune", [held], { method: "metaspo", generations: 10, fitnessExamples: 16, seed }, undefined, "run_ft"), sharedPrompt: shared };
  const ft = await driveRun(input, chat, data);
  return { pre, ft, shared, events };
}

const taskCalls = (s: RunState) => s.budget.spentByRole.task.calls;

describe("TextGrad-style on the simulated pool", () => {
  it("runs ten critique-and-rewrite iterations as a linear chain and reports test scores", async () => {
    const { state, events } = await textgrad(1);
    expect(state.status).toBe("completed");
    expect(state.completedGenerations).toBe(10);
    const critiques = events.filter((e) => e.type === "job.settled" && e.role === "agent");
    expect(critiques).toHaveLength(20);
    // Every child continues from the previous one (or from the seed while none exists).
    const children = Object.values(state.candidates).filter((c) => c.status !== "seed").sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < children.length; i++) expect(children[i]!.parentId).toBe(children[i - 1]!.id);
    expect(state.heads).toEqual([state.seedId, ...children.map((c) => c.id)]);
    // 16 fitness examples x (seed + 10), validation of the whole chain, test of seed and champion.
    expect(taskCalls(state)).toBeLessThanOrEqual(16 * 11 + 18 * 11 + 18 * 2);
    const task = state.report!.tasks[0]!;
    expect(task.champion.test).toBeDefined();
    expect(task.champion.val!).toBeGreaterThanOrEqual(task.seed.val!);
  });

  it("the same seed gives the same run", async () => {
    const [a, b] = [await textgrad(2), await textgrad(2)];
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });
});

describe("MetaSPO-style on the simulated pool", () => {
  it("learns a shared system prompt on the pool, then fine-tunes the held-out task under it", async () => {
    const { pre, ft, shared, events } = await metaspo(1);
    expect(pre.status).toBe("completed");
    expect(events.filter((e) => e.type === "snapshot.created")).toHaveLength(1);
    // Kept shared prompts improve the pool mean strictly, each on the last kept one.
    const heads = pre.heads.map((id) => pre.candidates[id]!);
    for (let i = 1; i < heads.length; i++) {
      expect(heads[i]!.parentId).toBe(heads[i - 1]!.id);
      expect(heads[i]!.fitness!).toBeGreaterThan(heads[i - 1]!.fitness!);
    }
    for (const c of Object.values(pre.candidates).filter((c) => c.kind === "agent" && c.status === "rejected")) {
      expect(c.fitness!).toBeLessThanOrEqual(pre.candidates[c.parentId!]!.fitness!);
    }
    expect(shared).toBe(heads.at(-1)!.text);
    expect(shared.startsWith(METASPO_SEED_SYSTEM_PROMPT)).toBe(true);
    expect(ft.status).toBe("completed");
    expect(ft.candidates[ft.seedId]!.text.startsWith(`${shared}\n\n`)).toBe(true);
    expect(ft.report!.championText!.startsWith(`${shared}\n\n`)).toBe(true);
    expect(ft.report!.tasks[0]!.champion.test).toBeDefined();
  });

  it("the same seed gives the same runs", async () => {
    const [a, b] = [await metaspo(3), await metaspo(3)];
    expect(b.shared).toBe(a.shared);
    expect(b.ft.report).toEqual(a.ft.report);
  });
});
