/**
 * The fault-free reference: the same run in process (the pure engine, the real job
 * handlers and scorers, SimLM in process), which the service equals for the same data
 * and seeds (service.test.ts shows it). A run under faults that retried everything and
 * lost nothing must end exactly here.
 */
import { type RunSummary, summarizeRun } from "../../../src/engine";
import type { RunConfigInput } from "../../../src/engine/types";
import { driveRun } from "../../../src/offline/drive-run";
import { MemoryJobData } from "../../../src/offline/memory-job-data";
import type { ChatPort } from "../../../src/llm/chat-port";
import { createSimChat } from "../../../src/offline/sim-chat";
import { simEngineTask, simRunInput } from "../../../src/offline/sim-run-input";

export interface SimData {
  simId: string;
  examples: number;
  dataSeed: number;
  /** SimLM's seed (the server's and the in-process one must agree). */
  simSeed: number;
}

export interface Reference {
  summary: RunSummary;
  /** Jobs settled (one usage_ledger row each in D1). */
  settledJobs: number;
  /** Distinct (candidate, example) evaluations recorded (rows of D1's evaluations). */
  evaluations: number;
  /** Candidates created (rows of D1's candidates). */
  candidates: number;
}

/**
 * SimLM in process with the prompt tokens SimLM's HTTP handler reports: it estimates a
 * request's prompt tokens from all its messages' characters at once (ceil(chars / 4)),
 * while src/offline/sim-chat.ts rounds the system and user messages separately, which
 * counts up to one token more per call. Answers and completion tokens are the same.
 */
export function simChatAsServed(seed: number): ChatPort {
  const inner = createSimChat(seed);
  return {
    async complete(request) {
      const answer = await inner.complete(request);
      return { ...answer, promptTokens: Math.ceil((request.system.length + request.user.length) / 4) };
    },
  };
}

export const REFERENCE_RUN_ID = "run_reference";
export const REFERENCE_TASK_ID = "task_reference";

export async function referenceRun(data: SimData, config: RunConfigInput): Promise<Reference> {
  const store = new MemoryJobData();
  const task = simEngineTask(data.simId, store, { examples: data.examples, dataSeed: data.dataSeed });
  let settledJobs = 0;
  const evaluations = new Set<string>();
  const candidates = new Set<string>();
  const state = await driveRun(simRunInput("finetune", [task], config, undefined, REFERENCE_RUN_ID), simChatAsServed(data.simSeed), store, {
    onEvents: (events) => {
      for (const e of events) {
        if (e.type === "job.settled") settledJobs++;
        if (e.type === "candidate.created") candidates.add(e.candidate.id);
        if (e.type === "evaluation.recorded") for (const row of e.rows) evaluations.add(`${e.candidateId}/${row.exampleId}`);
      }
    },
  });
  const summary = normalize(summarizeRun(state), REFERENCE_RUN_ID, data.simId);
  return { summary, settledJobs, evaluations: evaluations.size, candidates: candidates.size };
}

/**
 * A summary with the run's and the task's ids replaced by fixed ones, so that a served
 * run (random ids) and the in-process one compare field by field. The task id is renamed
 * where it is a key or a field, never inside prompt texts (which may quote examples).
 */
export function normalize(summary: RunSummary, runId: string, taskId: string): RunSummary {
  const copy = JSON.parse(JSON.stringify(summary).replaceAll(runId, REFERENCE_RUN_ID)) as RunSummary;
  const rename = <T>(record: Record<string, T> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k === taskId ? REFERENCE_TASK_ID : k, v]));
  for (const member of copy.archive) {
    member.scores = rename(member.scores)!;
    if (member.gains) member.gains = rename(member.gains)!;
  }
  for (const task of copy.report?.tasks ?? []) if (task.taskId === taskId) task.taskId = REFERENCE_TASK_ID;
  return copy;
}
