/**
 * Task schedules (`task_schedules`): one cron schedule per task, and what its last tick
 * did. The API reads and writes them per project; the cron tick reads the due ones of
 * every project and claims each with a compare-and-set on `next_run_at`, so two ticks
 * that overlap cannot both start the same occurrence.
 */
import { z } from "zod";
import { type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";

/** The model the prompt agent runs on; null means the service's DEFAULT_AGENT_MODEL. */
export const AgentModelSchema = z.object({ model: z.string().min(1), baseUrl: z.string().optional() });
export type AgentModel = z.infer<typeof AgentModelSchema>;

export type ScheduleOutcome = "started" | "skipped" | "failed";

/** A schedule as stored, times in epoch ms. */
export interface StoredSchedule {
  taskId: string;
  projectId: string;
  cron: string;
  timezone: string;
  /** The run config as given; validated again (with the current defaults) when a run starts. Null if unreadable. */
  config: unknown;
  /** "latest", a snapshot id, or null for the hand-written agent. */
  agent: string | null;
  agentModel: AgentModel | null;
  enabled: boolean;
  nextRunAt: number | null;
  lastRunId: string | null;
  lastRunAt: number | null;
  lastOutcome: ScheduleOutcome | null;
  lastReason: string | null;
  lastOutcomeAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What a PUT sets; everything else (the last tick's record, created_at) is kept across replacements. */
export interface ScheduleInput {
  cron: string;
  timezone: string;
  config: Record<string, unknown>;
  agent: string | null;
  agentModel: AgentModel | null;
  enabled: boolean;
  nextRunAt: number | null;
}

interface ScheduleRow {
  task_id: string;
  project_id: string;
  cron: string;
  timezone: string;
  config: string;
  agent: string | null;
  agent_model: string | null;
  enabled: number;
  next_run_at: number | null;
  last_run_id: string | null;
  last_run_at: number | null;
  last_outcome: ScheduleOutcome | null;
  last_reason: string | null;
  last_outcome_at: number | null;
  created_at: number;
  updated_at: number;
}

const SELECT = "SELECT * FROM task_schedules";

function toStored(row: ScheduleRow): StoredSchedule {
  return {
    taskId: row.task_id,
    projectId: row.project_id,
    cron: row.cron,
    timezone: row.timezone,
    config: parseJsonColumn(row.config, z.unknown(), null, `task_schedules ${row.task_id} config`),
    agent: row.agent,
    agentModel: parseJsonColumn(row.agent_model, AgentModelSchema, null, `task_schedules ${row.task_id} agent_model`),
    enabled: row.enabled === 1,
    nextRunAt: row.next_run_at,
    lastRunId: row.last_run_id,
    lastRunAt: row.last_run_at,
    lastOutcome: row.last_outcome,
    lastReason: row.last_reason,
    lastOutcomeAt: row.last_outcome_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A schedule as the API shows it. `nextRunAt` is null while disabled or when the cron never fires again. */
export interface TaskSchedule {
  taskId: string;
  cron: string;
  timezone: string;
  config: Record<string, unknown>;
  agent: string | null;
  agentModel: AgentModel | null;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunId: string | null;
  lastRunAt: string | null;
  lastOutcome: ScheduleOutcome | null;
  lastReason: string | null;
  lastOutcomeAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

export function toScheduleView(s: StoredSchedule): TaskSchedule {
  const config = s.config !== null && typeof s.config === "object" && !Array.isArray(s.config) ? (s.config as Record<string, unknown>) : {};
  return {
    taskId: s.taskId,
    cron: s.cron,
    timezone: s.timezone,
    config,
    agent: s.agent,
    agentModel: s.agentModel,
    enabled: s.enabled,
    nextRunAt: iso(s.nextRunAt),
    lastRunId: s.lastRunId,
    lastRunAt: iso(s.lastRunAt),
    lastOutcome: s.lastOutcome,
    lastReason: s.lastReason,
    lastOutcomeAt: iso(s.lastOutcomeAt),
    createdAt: isoTime(s.createdAt),
    updatedAt: isoTime(s.updatedAt),
  };
}

/** The project's schedule of a task, or null (another project's is unknown). */
export async function getSchedule(db: D1Database, projectId: string, taskId: string): Promise<StoredSchedule | null> {
  const row = await db.prepare(`${SELECT} WHERE task_id = ?1 AND project_id = ?2`).bind(taskId, projectId).first<ScheduleRow>();
  return row ? toStored(row) : null;
}

/**
 * Creates or replaces the task's schedule (the caller has checked the task is the
 * project's). A replacement keeps the record of the last tick, so the history of what the
 * schedule did survives an edit. `created` says which it was.
 */
export async function putSchedule(db: D1Database, projectId: string, taskId: string, input: ScheduleInput, now: number): Promise<{ schedule: StoredSchedule; created: boolean }> {
  const existed = await db.prepare("SELECT 1 FROM task_schedules WHERE task_id = ?1").bind(taskId).first();
  const row = await db
    .prepare(
      `INSERT INTO task_schedules (task_id, project_id, cron, timezone, config, agent, agent_model, enabled, next_run_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
       ON CONFLICT (task_id) DO UPDATE SET cron = excluded.cron, timezone = excluded.timezone, config = excluded.config, agent = excluded.agent,
         agent_model = excluded.agent_model, enabled = excluded.enabled, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
       RETURNING *`,
    )
    .bind(taskId, projectId, input.cron, input.timezone, JSON.stringify(input.config), input.agent, input.agentModel ? JSON.stringify(input.agentModel) : null, input.enabled ? 1 : 0, input.nextRunAt, now)
    .first<ScheduleRow>();
  if (!row) throw new Error(`writing the schedule of task ${taskId} returned nothing`);
  return { schedule: toStored(row), created: !existed };
}

/** Deletes the task's schedule; false when it had none. A run it started goes on. */
export async function deleteSchedule(db: D1Database, projectId: string, taskId: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM task_schedules WHERE task_id = ?1 AND project_id = ?2").bind(taskId, projectId).run();
  return result.meta.changes > 0;
}

/** The project's schedules, newest first; `cursor` is a previous page's `nextCursor` (a bad one is a 400). */
export async function listSchedules(db: D1Database, projectId: string, page: PageOptions): Promise<Page<StoredSchedule>> {
  const [createdAt, taskId] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(`${SELECT} WHERE project_id = ?4 AND created_at <= ?1 AND (created_at < ?1 OR task_id < ?2) ORDER BY created_at DESC, task_id DESC LIMIT ?3`)
    .bind(createdAt, taskId, page.limit + 1, projectId)
    .all<ScheduleRow>();
  return toPage(results, page.limit, toStored, (row) => [row.created_at, row.task_id]);
}

/** Enabled schedules of every project whose time has come, longest-waiting first, at most `limit`. */
export async function listDueSchedules(db: D1Database, now: number, limit: number): Promise<StoredSchedule[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE enabled = 1 AND next_run_at <= ?1 ORDER BY next_run_at, task_id LIMIT ?2`)
    .bind(now, limit)
    .all<ScheduleRow>();
  return results.map(toStored);
}

/**
 * Takes a due schedule for this tick by moving `next_run_at` from the value the tick read
 * to the next occurrence. Only one of several ticks that read the same value can change
 * it (D1 runs statements one at a time): the others see 0 rows changed and leave it.
 */
export async function claimSchedule(db: D1Database, taskId: string, expectedNextRunAt: number, nextRunAt: number | null, now: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE task_schedules SET next_run_at = ?1, updated_at = ?2 WHERE task_id = ?3 AND enabled = 1 AND next_run_at = ?4")
    .bind(nextRunAt, now, taskId, expectedNextRunAt)
    .run();
  return result.meta.changes === 1;
}

/** What a tick did with a schedule; `runId` only when it started a run. */
export interface TickRecord {
  outcome: ScheduleOutcome;
  reason: string | null;
  runId?: string;
  at: number;
}

export async function recordTick(db: D1Database, taskId: string, record: TickRecord): Promise<void> {
  const started = record.runId !== undefined;
  await db
    .prepare(
      `UPDATE task_schedules SET last_outcome = ?1, last_reason = ?2, last_outcome_at = ?3,
         last_run_id = CASE WHEN ?4 THEN ?5 ELSE last_run_id END, last_run_at = CASE WHEN ?4 THEN ?3 ELSE last_run_at END
       WHERE task_id = ?6`,
    )
    .bind(record.outcome, record.reason, record.at, started ? 1 : 0, record.runId ?? null, taskId)
    .run();
}

/** A run of the task that is still going (newest first), or null. `runs.task_ids` is a JSON array. */
export async function runningRunOfTask(db: D1Database, projectId: string, taskId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT id FROM runs WHERE project_id = ?1 AND status = 'running'
         AND EXISTS (SELECT 1 FROM json_each(runs.task_ids) WHERE json_each.value = ?2)
       ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(projectId, taskId)
    .first<{ id: string }>();
  return row?.id ?? null;
}
