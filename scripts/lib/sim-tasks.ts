/** Creates SimLM's simulated task pool through the API (the demo, e2e tests and benchmarks). */
import type { SepoClient } from "../../src/client/api-client";
import { SIM_TASKS, generateExamples } from "../../src/simlm/task-pool";

export interface CreatedSimTask {
  simId: string;
  taskId: string;
  name: string;
}

export interface SimTaskOptions {
  examplesPerTask?: number;
  /** Example numbers differ per data seed, so repeated demos draw fresh examples. */
  dataSeed?: number;
  taskModel?: string;
  only?: readonly string[];
}

export async function createSimTasks(client: SepoClient, options: SimTaskOptions = {}): Promise<CreatedSimTask[]> {
  const created: CreatedSimTask[] = [];
  for (const task of SIM_TASKS) {
    if (options.only && !options.only.includes(task.id)) continue;
    const examples = generateExamples(task.id, options.examplesPerTask ?? 60, options.dataSeed ?? 1);
    const body = {
      name: task.name,
      description: task.description,
      seedPrompt: task.seedPrompt,
      scorer: task.scorer,
      ...(options.taskModel ? { model: { model: options.taskModel } } : {}),
      examples,
      split: { train: 0.4, val: 0.3, test: 0.3 },
      splitSeed: 1,
    };
    const result = await client.createTask<{ id: string; name: string }>(body);
    created.push({ simId: task.id, taskId: result.id, name: result.name });
  }
  return created;
}
