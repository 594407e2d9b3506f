/**
 * Runs the whole method in process: the pure engine, the real job handlers and scorers,
 * any ChatPort (SimLM in process, usually). No queue, no Durable Object, no D1: the
 * same logic the service runs, for unit tests and fast benchmarks of the method itself.
 */
import { createRun, type RunState, step } from "../engine";
import type { Job } from "../engine/jobs";
import type { CreateRunInput, DomainEvent, EngineEvent } from "../engine/types";
import { executeJob } from "../jobs/execute-job";
import type { ChatPort } from "../llm/chat-port";
import type { MemoryJobData } from "./memory-job-data";

export interface DriveOptions {
  /** Called with every step's events, in order (e.g. to collect a history). */
  onEvents?: (events: DomainEvent[]) => void;
  /** Stop after this many job results (to test resumption); the run is returned unfinished. */
  maxSteps?: number;
}

/** Runs jobs breadth-first, one wave at a time, like a queue with unbounded consumers. */
export async function driveRun(input: CreateRunInput, chat: ChatPort, data: MemoryJobData, options: DriveOptions = {}): Promise<RunState> {
  let output = createRun(input, 0);
  let state = output.state;
  const record = (events: DomainEvent[]) => {
    data.record(events);
    options.onEvents?.(events);
  };
  record(output.events);
  let pending: Job[] = output.jobs;
  let steps = 0;
  while (pending.length > 0 && state.status === "running") {
    const results = await Promise.all(pending.map(async (job) => ({ job, event: await runOne(job, chat, data) })));
    pending = [];
    for (const { event } of results) {
      output = step(state, event, ++steps);
      state = output.state;
      record(output.events);
      pending.push(...output.jobs);
      if (options.maxSteps !== undefined && steps >= options.maxSteps) return state;
    }
  }
  return state;
}

async function runOne(job: Job, chat: ChatPort, data: MemoryJobData): Promise<EngineEvent> {
  try {
    return { type: "job.succeeded", jobId: job.jobId, result: await executeJob(job, chat, data) };
  } catch (error) {
    return { type: "job.failed", jobId: job.jobId, reason: error instanceof Error ? error.message : String(error) };
  }
}
