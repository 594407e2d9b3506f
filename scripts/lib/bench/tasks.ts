/**
 * The benchmark's tasks on the service. A run starts from its task's LIVE prompt, and a
 * fine-tuning that beats it promotes its champion to live. So that every cell starts from
 * the Manual-CoT seed prompt, no task is ever fine-tuned twice:
 *  - pool copies, one per (task, seed), are only pre-trained on (pre-training promotes
 *    nothing), cached in results.json and checked to still be at live version 1;
 *  - each fine-tuning cell creates its own fresh copy of its target.
 * The seed also picks the data (fresh SimLM example numbers; a pack's option shuffles and
 * split), so copies of the same (task, seed) hold identical examples.
 */
import { ApiError, type SepoClient } from "../../../src/client/api-client";
import { SIM_TASK_IDS, getSimTask } from "../../../src/simlm/task-pool";
import { createSimTasks } from "../sim-tasks";
import type { BenchTaskInfo } from "./methods";
import { type BenchResults, taskKey } from "./results-store";

export interface TaskSourceOptions {
  examples: number;
  taskModel: string | null;
  fromFile: Record<string, string>;
}

export const isSimTask = (id: string): boolean => SIM_TASK_IDS.includes(id);

/** Scorer types of the bench tasks (needed before any task exists, to plan Specialist). */
export async function describeTasks(ids: readonly string[]): Promise<BenchTaskInfo[]> {
  const infos: BenchTaskInfo[] = [];
  for (const id of ids) {
    const sim = getSimTask(id);
    if (sim) {
      infos.push({ id, scorerType: sim.scorer.type });
      continue;
    }
    // Loaded lazily: a SimLM-only benchmark never depends on the pack modules.
    const { getPack } = await import("../../../src/packs/registry");
    infos.push({ id, scorerType: getPack(id).scorer.type });
  }
  return infos;
}

export class BenchTasks {
  /** Pack task bodies by (task, seed): parsed (or downloaded) once per invocation. */
  private readonly packBodies = new Map<string, Promise<Record<string, unknown>>>();

  constructor(
    private readonly client: SepoClient,
    private readonly options: TaskSourceOptions,
  ) {}

  /** Makes sure every (task, seed) has an untouched pool copy, recording new ids in `results`. */
  async ensurePool(results: BenchResults, tasks: readonly BenchTaskInfo[], seeds: readonly number[], log: (line: string) => void): Promise<void> {
    for (const seed of seeds) {
      for (const task of tasks) {
        const key = taskKey(task.id, seed);
        const cached = results.tasks[key];
        if (cached && (await this.isUntouched(cached.apiTaskId))) continue;
        results.tasks[key] = { apiTaskId: await this.create(task.id, seed), scorerType: task.scorerType };
        log(`created pool task ${task.id} (seed ${seed}): ${results.tasks[key]!.apiTaskId}`);
      }
    }
  }

  /** A fresh copy of `task` for one fine-tuning cell; returns the service's task id. */
  async create(task: string, seed: number): Promise<string> {
    if (isSimTask(task)) {
      const [created] = await createSimTasks(this.client, { examplesPerTask: this.options.examples, dataSeed: seed, taskModel: this.options.taskModel ?? undefined, only: [task] });
      if (!created) throw new Error(`could not create SimLM task ${task}`);
      return created.taskId;
    }
    const key = taskKey(task, seed);
    let body = this.packBodies.get(key);
    if (!body) this.packBodies.set(key, (body = this.packBody(task, seed)));
    return (await this.client.createTask(await body)).id;
  }

  private async packBody(task: string, seed: number): Promise<Record<string, unknown>> {
    const { loadPack, packTaskBody } = await import("../../../src/packs/load");
    const { getPack } = await import("../../../src/packs/registry");
    const pack = getPack(task);
    const examples = await loadPack(task, { fromFile: this.options.fromFile[task], seed, limit: this.options.examples });
    const model = this.options.taskModel ? { model: { model: this.options.taskModel } } : {};
    return { ...packTaskBody(pack, examples, seed), name: `${pack.name} (bench seed ${seed})`, ...model };
  }

  /** True when the task exists and still serves its seed prompt (live version 1). */
  private async isUntouched(apiTaskId: string): Promise<boolean> {
    try {
      const task = await this.client.request<{ liveVersion: number | null }>("GET", `/v1/tasks/${encodeURIComponent(apiTaskId)}`);
      return task.liveVersion === 1;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      throw error;
    }
  }
}
