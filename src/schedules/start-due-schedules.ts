/**
 * The cron tick's share of scheduled re-optimization: every enabled schedule whose time
 * has come starts a fine-tuning of its task from the task's live prompt, with the newest
 * agent snapshot unless the schedule names one. The run's own promotion gate decides at
 * the end whether its champion replaces the live prompt.
 *
 * Each schedule is claimed before anything else (see claimSchedule), so ticks that
 * overlap start an occurrence once; a task with a run still going is skipped; and what
 * happened is recorded on the schedule, errors included: one schedule's failure neither
 * throws out of the tick nor stops the others.
 */
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { startRun } from "../runs/start-run";
import { getLatestAgentSnapshot } from "../storage/agent-repo";
import { claimSchedule, listDueSchedules, recordTick, runningRunOfTask, type StoredSchedule } from "../storage/schedule-repo";
import { SCHEDULES_PER_TICK, nextAfterTick, planTick, resolveAgent, scheduledRunRequest, snapshotKindFor, storedConfig } from "./schedule-tick";

export async function startDueSchedules(env: AppEnv, now: number): Promise<void> {
  const due = await listDueSchedules(env.DB, now, SCHEDULES_PER_TICK);
  // One at a time: a tick has minutes, and each start is a few D1 reads and one Durable Object call.
  for (const schedule of due) {
    try {
      await tickSchedule(env, schedule, now);
    } catch (error) {
      // Only D1 itself failing gets here (a run that fails to start is recorded below); the next tick tries again.
      console.error(`scheduled run of task ${schedule.taskId} could not be handled`, error);
    }
  }
}

async function tickSchedule(env: AppEnv, schedule: StoredSchedule, now: number): Promise<void> {
  if (schedule.nextRunAt === null) return;
  const { next, problem } = nextAfterTick(schedule, now);
  if (!(await claimSchedule(env.DB, schedule.taskId, schedule.nextRunAt, next, now))) return; // another tick holds it
  if (problem) return recordTick(env.DB, schedule.taskId, { outcome: "failed", reason: problem, at: now });

  const plan = planTick(await runningRunOfTask(env.DB, schedule.projectId, schedule.taskId));
  if (plan.action === "skip") return recordTick(env.DB, schedule.taskId, { outcome: "skipped", reason: plan.reason, at: now });

  try {
    const runId = await startScheduledRun(env, schedule);
    await recordTick(env.DB, schedule.taskId, { outcome: "started", reason: null, runId, at: now });
  } catch (error) {
    if (!(error instanceof AppError)) console.error(`scheduled run of task ${schedule.taskId} failed to start`, error);
    // A user-fixable problem (no val examples, a config the current version refuses) is told as is; anything else without internals.
    const reason = error instanceof AppError && error.status < 500 ? error.message : "the run could not be started (internal error; see the Worker's logs); the next time will try again";
    await recordTick(env.DB, schedule.taskId, { outcome: "failed", reason, at: now });
  }
}

async function startScheduledRun(env: AppEnv, schedule: StoredSchedule): Promise<string> {
  const config = storedConfig(schedule.config);
  if (!config) throw new AppError("invalid_request", "the schedule's stored config is unreadable; PUT the schedule again");
  const latest = schedule.agent === "latest" ? await getLatestAgentSnapshot(env.DB, schedule.projectId, snapshotKindFor(config)) : null;
  const request = scheduledRunRequest(schedule, config, resolveAgent(schedule.agent, latest?.id ?? null), schedule.agentModel);
  const summary = await startRun(env, schedule.projectId, request);
  return summary.runId;
}
