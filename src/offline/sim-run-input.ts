/** Builds engine inputs for SimLM's simulated tasks, with their data in a MemoryJobData. */
import { RunConfigSchema, type RunConfigInput } from "../engine/types";
import type { CreateRunInput, EngineTask, ExampleMeta } from "../engine/types";
import { SEED_AGENT_PROMPT } from "../engine/prompt-templates";
import { ScorerSpecSchema } from "../scoring/scorer-spec";
import { assignSplits } from "../split";
import { generateExamples, getSimTask } from "../simlm/task-pool";
import type { MemoryJobData } from "./memory-job-data";

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

export interface SimTaskSetup {
  examples?: number;
  dataSeed?: number;
  ratios?: { train: number; val: number; test: number };
}

/** Registers a simulated task's examples in `data` and returns it as the engine sees it. */
export function simEngineTask(simId: string, data: MemoryJobData, setup: SimTaskSetup = {}): EngineTask {
  const sim = getSimTask(simId);
  if (!sim) throw new Error(`unknown simulated task ${simId}`);
  const examples = generateExamples(simId, setup.examples ?? 60, setup.dataSeed ?? 1);
  const splits = assignSplits(examples.length, setup.ratios ?? { train: 0.4, val: 0.3, test: 0.3 }, 1);
  const rows = examples.map((e, i) => ({ id: `${simId}:ex${i}`, ...e, split: splits[i]! }));
  data.addTask(simId, { name: sim.name, scorer: ScorerSpecSchema.parse(sim.scorer) }, rows);
  const meta = (split: string): ExampleMeta[] =>
    rows.filter((r) => r.split === split).map((r) => ({ id: r.id, inputBytes: bytes(r.input), expectedBytes: bytes(r.expected) }));
  return {
    taskId: simId,
    name: sim.name,
    seedPrompt: sim.seedPrompt,
    model: { role: "task", model: "simlm-task" },
    attempts: 1,
    splits: { train: meta("train"), val: meta("val"), test: meta("test") },
  };
}

export function simRunInput(kind: "pretrain" | "finetune", tasks: EngineTask[], config: RunConfigInput, agentPrompt = SEED_AGENT_PROMPT, runId = `run_${kind}`): CreateRunInput {
  return { runId, kind, config: RunConfigSchema.parse(config), tasks, agentPrompt, agentModel: { role: "agent", model: "simlm-agent" } };
}
