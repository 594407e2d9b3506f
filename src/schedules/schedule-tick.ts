/**
 * The decisions one cron tick makes for one due schedule, kept apart from D1 and the run
 * starter so they can be tested alone: where the schedule moves next, whether it starts a
 * run or skips, and which run request it sends.
 */
import type { SnapshotKind } from "../engine/types";
import type { StartRunRequest } from "../routes/runs";
import type { AgentModel, StoredSchedule } from "../storage/schedule-repo";
import { type CronSpec, nextRunAfter } from "./cron-schedule";

/** Due schedules one tick handles; the rest stay due and are taken by the next tick. */
export const SCHEDULES_PER_TICK = 50;

/**
 * Where a claimed schedule's `next_run_at` moves: the first occurrence after `now`, so
 * however many occurrences were missed, one tick starts one run. A cron that no longer
 * parses (stored by an older version) or never fires again moves to null: never due.
 */
export function nextAfterTick(spec: CronSpec, now: number): { next: number | null; problem: string | null } {
  try {
    const next = nextRunAfter(spec, now);
    return { next, problem: null };
  } catch (error) {
    return { next: null, problem: `the stored cron '${spec.cron}' no longer parses (${error instanceof Error ? error.message : String(error)}); PUT the schedule again` };
  }
}

/** What the tick does once it holds the schedule. */
export type TickPlan = { action: "start" } | { action: "skip"; reason: string };

/** At most one run per task at a time: a run still going (started by anyone) makes the tick skip. */
export function planTick(runningRunId: string | null): TickPlan {
  if (runningRunId) return { action: "skip", reason: `run ${runningRunId} is still running; the schedule waits for its next time` };
  return { action: "start" };
}

/** The snapshot kind "latest" means for this config: MetaSPO fine-tunes from a shared system prompt, every other method from a prompt agent (as start-run.ts reads it). */
export function snapshotKindFor(config: Record<string, unknown>): SnapshotKind {
  return config.method === "metaspo" ? "shared-system-prompt" : "prompt-agent";
}

/**
 * The agent snapshot the run starts with. "latest" is the project's newest snapshot at
 * the time of the tick, or the hand-written agent (null) while the project has none, so
 * a schedule set up before any pre-training still runs and picks up the first snapshot.
 */
export function resolveAgent(agent: string | null, latestSnapshotId: string | null): string | null {
  return agent === "latest" ? latestSnapshotId : agent;
}

/** The stored config as an object, or null when it is not one (an unreadable row). */
export function storedConfig(config: unknown): Record<string, unknown> | null {
  return config !== null && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : null;
}

/** The fine-tuning the schedule starts: from the task's live prompt (start-run.ts loads it), with the schedule's config and agent. */
export function scheduledRunRequest(
  schedule: Pick<StoredSchedule, "taskId">,
  config: Record<string, unknown>,
  agentSnapshotId: string | null,
  agentModel: AgentModel | null,
): StartRunRequest {
  return {
    kind: "finetune",
    taskId: schedule.taskId,
    agentSnapshotId,
    config,
    ...(agentModel ? { agentModel: { model: agentModel.model, ...(agentModel.baseUrl ? { baseUrl: agentModel.baseUrl } : {}) } } : {}),
  };
}
