/**
 * `/v1/tasks/:id/schedule`: a task's cron schedule of fine-tuning runs (scheduled
 * re-optimization). PUT sets it whole, GET reads it with what its last tick did, DELETE
 * removes it. Mounted by tasks.ts; the cron tick itself is src/schedules/.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson } from "../http/validate";
import { buildRunInput } from "../runs/start-run";
import { cronProblem, nextRunAfter } from "../schedules/cron-schedule";
import { resolveAgent, scheduledRunRequest, snapshotKindFor } from "../schedules/schedule-tick";
import { getLatestAgentSnapshot } from "../storage/agent-repo";
import { deleteSchedule, getSchedule, putSchedule, toScheduleView } from "../storage/schedule-repo";
import { lookupTask } from "../storage/task-repo";
import { taskNotFound } from "./not-found";
import { StartRunSchema } from "./runs";

/** A fine-tuning request's `config` and `agentModel`, so a schedule accepts exactly what POST /v1/runs does. */
const FinetuneFields = StartRunSchema.options[1].shape;

export const PutScheduleSchema = z
  .object({
    /** Five fields (minute hour day-of-month month day-of-week) or a nickname such as "@daily"; checked further with croner. */
    cron: z.string({ error: 'must be a cron expression such as "0 3 * * *"' }).trim().min(1, 'must be a cron expression such as "0 3 * * *"').max(100),
    /** The IANA time zone the cron's fields are read in. */
    timezone: z.string().min(1).max(64).default("UTC"),
    config: FinetuneFields.config,
    /** "latest" (the project's newest snapshot at each run, the hand-written agent while there is none), a snapshot id, or null for the hand-written agent. */
    agent: z.string().min(1).max(100).nullable().default("latest"),
    agentModel: FinetuneFields.agentModel,
    enabled: z.boolean().default(true),
  })
  .strict();
export type PutScheduleRequest = z.infer<typeof PutScheduleSchema>;

export const taskScheduleRoutes = new Hono<HonoEnv>();

taskScheduleRoutes.put("/:id/schedule", async (c) => {
  const taskId = await existingTaskId(c);
  const body = await readJson(c, PutScheduleSchema);
  const now = Date.now();
  const problem = cronProblem(body, now);
  if (problem) throw new AppError("invalid_request", `Invalid request body: ${problem.field}: ${problem.message}`, [{ path: problem.field, message: problem.message }]);
  await checkStartable(c, taskId, body);
  const { schedule, created } = await putSchedule(
    c.env.DB,
    projectIdOf(c),
    taskId,
    { cron: body.cron, timezone: body.timezone, config: body.config, agent: body.agent, agentModel: body.agentModel ?? null, enabled: body.enabled, nextRunAt: body.enabled ? nextRunAfter(body, now) : null },
    now,
  );
  const view = toScheduleView(schedule);
  return created ? c.json(view, 201, { Location: `/v1/tasks/${taskId}/schedule` }) : c.json(view, 200);
});

taskScheduleRoutes.get("/:id/schedule", async (c) => {
  const taskId = await existingTaskId(c);
  const schedule = await getSchedule(c.env.DB, projectIdOf(c), taskId);
  if (!schedule) throw noSchedule(taskId);
  return c.json(toScheduleView(schedule));
});

taskScheduleRoutes.delete("/:id/schedule", async (c) => {
  const taskId = await existingTaskId(c);
  if (!(await deleteSchedule(c.env.DB, projectIdOf(c), taskId))) throw noSchedule(taskId);
  return c.body(null, 204);
});

async function existingTaskId(c: Context<HonoEnv>): Promise<string> {
  const id = c.req.param("id") ?? "";
  if (!(await lookupTask(c.env.DB, projectIdOf(c), id))) throw taskNotFound(id);
  return id;
}

function noSchedule(taskId: string): AppError {
  return new AppError("not_found", `Task '${taskId}' has no schedule. Set one with PUT /v1/tasks/${taskId}/schedule.`);
}

/**
 * Builds (without starting) the run the schedule would start now, so a schedule that
 * could never start one (a config the engine refuses, an unknown snapshot, a task without
 * validation examples) is a 400 today rather than a failed outcome every night. The run
 * starter names its own request's fields; they are renamed to this body's.
 */
async function checkStartable(c: Context<HonoEnv>, taskId: string, body: PutScheduleRequest): Promise<void> {
  const projectId = projectIdOf(c);
  const latest = body.agent === "latest" ? await getLatestAgentSnapshot(c.env.DB, projectId, snapshotKindFor(body.config)) : null;
  const request = scheduledRunRequest({ taskId }, body.config, resolveAgent(body.agent, latest?.id ?? null), body.agentModel ?? null);
  try {
    await buildRunInput(c.env, projectId, request);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_request") throw error;
    const issues = error.issues.map((issue) => ({ ...issue, path: RENAMED_FIELDS[issue.path] ?? issue.path }));
    const first = issues[0];
    throw new AppError("invalid_request", first ? `Invalid request body: ${first.path}: ${first.message}` : error.message, issues);
  }
}

const RENAMED_FIELDS: Record<string, string> = { agentSnapshotId: "agent", taskId: "id" };
