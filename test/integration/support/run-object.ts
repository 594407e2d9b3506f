/**
 * Driving a RunObject directly, without the real queue: its JOBS binding is swapped for
 * a CapturedQueue, so the jobs it sends are kept for the test to answer with outcomes it
 * builds (or to feed to the consumer by hand). The swap lives on the instance, so it is
 * re-applied on every call: a fresh instance (after `abortAllDurableObjects()`) has the
 * real bindings again.
 */
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { RunObject } from "../../../durable-objects/run-object";
import { RunStore } from "../../../durable-objects/run-store";
import { type CreateRunInput, decodeRunState, type Job, RunConfigSchema, type RunConfigInput, type RunState, SEED_AGENT_PROMPT } from "../../../src/engine";
import { newId } from "../../../src/ids";
import type { JobOutcome } from "../../../src/jobs/job-outcome";
import { DEFAULT_PROJECT_ID } from "../../../src/storage/project-repo";
import { insertRunStatement } from "../../../src/storage/run-repo";
import { loadEngineTask } from "../../../src/storage/task-repo";

/** A stand-in for the JOBS queue that records what is sent. `hold` makes sends never finish (a crash mid-send). */
export class CapturedQueue {
  readonly sent: Job[] = [];
  hold = false;
  /** Sends that were held (never finished). */
  held = 0;

  async send(body: Job): Promise<void> {
    await this.sendBatch([{ body }]);
  }

  async sendBatch(messages: Iterable<{ body: Job }>): Promise<void> {
    if (this.hold) {
      this.held++;
      return new Promise(() => undefined);
    }
    for (const message of messages) this.sent.push(message.body);
  }

  /** Jobs sent since the last call. */
  take(): Job[] {
    return this.sent.splice(0);
  }
}

export interface Bindings {
  JOBS: CapturedQueue;
  /** Replaces D1 for the run's effects (e.g. one whose batch fails); the real D1 by default. */
  DB?: D1Database;
}

export function runStub(runId: string) {
  return env.RUNS.get(env.RUNS.idFromName(runId));
}

/** Calls `fn` inside the run's Durable Object with its bindings swapped. */
export function inRun<R>(runId: string, bindings: Bindings, fn: (run: RunObject, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(runStub(runId), (instance, state) => {
    const run = instance as unknown as RunObject;
    (run as unknown as { env: Cloudflare.Env }).env = { ...env, JOBS: bindings.JOBS as unknown as Queue, DB: bindings.DB ?? env.DB };
    return fn(run, state);
  });
}

/** The run state as stored (what a fresh instance would load). */
export function storedState(runId: string): Promise<RunState | null> {
  return runInDurableObject(runStub(runId), (_instance, state) => {
    const stored = new RunStore(state.storage).loadState();
    return stored === null ? null : decodeRunState(stored);
  });
}

/** A run input for tasks already in D1 (project 'default'), as POST /v1/runs would build it. */
export async function makeRunInput(taskIds: string[], config: RunConfigInput = {}, kind: "pretrain" | "finetune" = "finetune") {
  const tasks = await Promise.all(taskIds.map((id) => loadEngineTask(env.DB, DEFAULT_PROJECT_ID, id)));
  if (tasks.some((t) => t === null)) throw new Error(`unknown task in ${taskIds.join(", ")}`);
  const input: CreateRunInput = {
    runId: newId("run"),
    kind,
    config: RunConfigSchema.parse(config),
    tasks: tasks as NonNullable<(typeof tasks)[number]>[],
    agentPrompt: SEED_AGENT_PROMPT,
    agentModel: { role: "agent", model: "simlm-agent" },
  };
  const runRow = insertRunStatement({ id: input.runId, projectId: DEFAULT_PROJECT_ID, kind, taskIds, agentSnapshotId: null, config: input.config, now: Date.now() });
  return { input, runRow };
}

/**
 * Answers `first` and then every job the run sends with `outcomeFor` until it sends no
 * more, one report per job in the order sent; returns every job answered. With `evict`,
 * every Durable Object is reset before each report, so each step runs on a fresh
 * instance that must load the state from storage.
 */
export async function driveRun(
  runId: string,
  queue: CapturedQueue,
  first: Job[],
  outcomeFor: (job: Job) => JobOutcome,
  options: { evict?: boolean } = {},
): Promise<Job[]> {
  const all: Job[] = [];
  for (let jobs = [...first, ...queue.take()]; jobs.length > 0; jobs = queue.take()) {
    for (const job of jobs) {
      all.push(job);
      if (options.evict) await abortAllDurableObjects();
      await inRun(runId, { JOBS: queue }, (run) => run.report([outcomeFor(job)]));
    }
  }
  return all;
}
