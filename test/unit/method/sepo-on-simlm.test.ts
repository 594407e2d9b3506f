/**
 * The method itself, end to end in process (engine + real job handlers and scorers +
 * SimLM): does fine-tuning beat the seed prompt, and does pre-training the prompt agent
 * help on a task held out of pre-training? Seeds are fixed, so the outcome is
 * deterministic; it can still fail if the engine, the fitness or the simulator regress.
 */
import { describe, expect, it } from "vitest";
import { summarizeRun } from "../../../src/engine";
import { driveRun } from "../../../src/offline/drive-run";
import { MemoryJobData } from "../../../src/offline/memory-job-data";
import { createSimChat } from "../../../src/offline/sim-chat";
import { simEngineTask, simRunInput } from "../../../src/offline/sim-run-input";
import { detectMetaSkills } from "../../../src/simlm/landscape";
import { HELD_OUT_TASK_ID, PRETRAIN_TASK_IDS } from "../../../src/simlm/task-pool";

const SEEDS = [1, 2, 3, 4, 5, 6];
const CONFIG = { generations: 4, childrenPerGeneration: 2 };

async function pretrainThenFinetune(seed: number) {
  const data = new MemoryJobData();
  const chat = createSimChat(seed);
  const pool = PRETRAIN_TASK_IDS.map((id) => simEngineTask(id, data, { examples: 60, dataSeed: seed }));
  const pre = summarizeRun(await driveRun(simRunInput("pretrain", pool, { ...CONFIG, seed }), chat, data));
  const evolvedAgent = pre.report!.championText!;
  const heldOut = simEngineTask(HELD_OUT_TASK_ID, data, { examples: 60, dataSeed: seed });
  const withEvolved = summarizeRun(await driveRun(simRunInput("finetune", [heldOut], { ...CONFIG, seed }, evolvedAgent, "run_evolved"), chat, data));
  const withSeedAgent = summarizeRun(await driveRun(simRunInput("finetune", [heldOut], { ...CONFIG, seed }, undefined, "run_seed_agent"), chat, data));
  return { pre, evolvedAgent, withEvolved, withSeedAgent };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("SePO on the simulated pool", () => {
  it("fine-tuning beats the Manual-CoT seed prompt on held-out test data", async () => {
    const gains: number[] = [];
    for (const seed of SEEDS) {
      const { withSeedAgent } = await pretrainThenFinetune(seed);
      const task = withSeedAgent.report!.tasks[0]!;
      expect(withSeedAgent.status).toBe("completed");
      gains.push(task.champion.test! - task.seed.test!);
    }
    // Even the hand-written agent (whose single edits hurt as often as they help) gains on average,
    // because the archive keeps only children that hold up and the champion is chosen on validation.
    expect(mean(gains)).toBeGreaterThan(0.03);
  });

  it("pre-training evolves meta-skills into the prompt agent and helps on the held-out task", async () => {
    const evolved: number[] = [];
    const handWritten: number[] = [];
    const metaSkills: number[] = [];
    for (const seed of SEEDS) {
      const { pre, evolvedAgent, withEvolved, withSeedAgent } = await pretrainThenFinetune(seed);
      expect(pre.status).toBe("completed");
      metaSkills.push(detectMetaSkills(evolvedAgent).size);
      evolved.push(withEvolved.report!.tasks[0]!.champion.test!);
      handWritten.push(withSeedAgent.report!.tasks[0]!.champion.test!);
    }
    // The hand-written seed agent has no meta-skill; pre-training should find some.
    expect(mean(metaSkills)).toBeGreaterThan(1);
    expect(mean(evolved)).toBeGreaterThan(mean(handWritten) + 0.05);
  });

  it("the same seeds give the same run", async () => {
    const a = await pretrainThenFinetune(3);
    const b = await pretrainThenFinetune(3);
    expect(b.withEvolved.report).toEqual(a.withEvolved.report);
    expect(b.evolvedAgent).toBe(a.evolvedAgent);
  });
});
