/**
 * Tasks: a name, a seed prompt, a scorer, a task model and a fixed split of examples.
 * A task is written once with all its examples and its seed prompt version in one D1
 * batch (one transaction), so a half-created task is never visible.
 */
import { z } from "zod";
import type { EngineTask, Split } from "../engine/types";
import { AppError } from "../errors";
import { newId } from "../ids";
import { type ScorerSpec, ScorerSpecSchema } from "../scoring/scorer-spec";
import { seedChampionStatement } from "./champion-repo";
import { BEFORE_CURSOR, type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { exampleMetaStatement, insertExampleStatements, toSplitMeta } from "./example-repo";
import { isoTime, parseJsonColumn } from "./json-column";

/** The model a task's prompts run on; no `baseUrl` means the service's default endpoint. */
export const TaskModelSchema = z.object({ model: z.string().min(1), baseUrl: z.string().optional() });
export type TaskModel = z.infer<typeof TaskModelSchema>;

export type SplitCounts = Record<Split, number>;

/**
 * A task as the API shows it. `scorer` and `model` are null only when the stored JSON
 * no longer parses (a corrupt or outdated row): such a task is listed but cannot run.
 */
export interface Task {
  id: string;
  name: string;
  description: string;
  seedPrompt: string;
  scorer: ScorerSpec | null;
  model: TaskModel | null;
  splitSeed: number;
  /** pass@k: answers per example. */
  attempts: number;
  counts: SplitCounts;
  liveVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A task to create: its examples already carry their final split. */
export interface NewTask {
  name: string;
  description: string;
  seedPrompt: string;
  scorer: ScorerSpec;
  model: TaskModel;
  splitSeed: number;
  attempts: number;
  examples: Array<{ input: string; expected: string; split: Split }>;
}

interface TaskRow {
  id: string;
  name: string;
  description: string;
  seed_prompt: string;
  scorer: string;
  model: string;
  split_seed: number;
  attempts: number;
  live_version: number | null;
  created_at: number;
  updated_at: number;
  n_train: number;
  n_val: number;
  n_test: number;
}

// Counts come from the (task_id, split, position) index, one seek per split.
const count = (split: Split) => `(SELECT count(*) FROM examples e WHERE e.task_id = tasks.id AND e.split = '${split}') AS n_${split}`;
const SELECT_TASK = `SELECT id, name, description, seed_prompt, scorer, model, split_seed, attempts, live_version, created_at, updated_at,
  ${count("train")}, ${count("val")}, ${count("test")} FROM tasks`;

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    seedPrompt: row.seed_prompt,
    scorer: parseJsonColumn(row.scorer, ScorerSpecSchema, null, `tasks ${row.id} scorer`),
    model: parseJsonColumn(row.model, TaskModelSchema, null, `tasks ${row.id} model`),
    splitSeed: row.split_seed,
    attempts: row.attempts,
    counts: { train: row.n_train, val: row.n_val, test: row.n_test },
    liveVersion: row.live_version,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

/**
 * One task of the project with its counts per split, or null for an unknown id. A task
 * of another project is unknown: every read here is scoped, so that a key sees only its
 * project's tasks.
 */
export async function getTask(db: D1Database, projectId: string, id: string): Promise<Task | null> {
  const row = await db.prepare(`${SELECT_TASK} WHERE id = ?1 AND project_id = ?2`).bind(id, projectId).first<TaskRow>();
  return row ? toTask(row) : null;
}

/**
 * A task in any project, for the job handlers only: they work for a run whose tasks
 * were checked against the run's project when it started.
 */
export async function getTaskForJobs(db: D1Database, id: string): Promise<Task | null> {
  const row = await db.prepare(`${SELECT_TASK} WHERE id = ?1`).bind(id).first<TaskRow>();
  return row ? toTask(row) : null;
}

/** Just enough of a task to know it exists in the project and which prompt version it serves; null for an unknown id. */
export async function lookupTask(db: D1Database, projectId: string, id: string): Promise<{ id: string; liveVersion: number | null } | null> {
  const row = await db
    .prepare("SELECT id, live_version FROM tasks WHERE id = ?1 AND project_id = ?2")
    .bind(id, projectId)
    .first<{ id: string; live_version: number | null }>();
  return row ? { id: row.id, liveVersion: row.live_version } : null;
}

/** The project's tasks newest first; `cursor` is a previous page's `nextCursor` (a bad one is a 400). */
export async function listTasks(db: D1Database, projectId: string, page: PageOptions): Promise<Page<Task>> {
  const [createdAt, id] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(`${SELECT_TASK} WHERE project_id = ?4 AND ${BEFORE_CURSOR} ORDER BY created_at DESC, id DESC LIMIT ?3`)
    .bind(createdAt, id, page.limit + 1, projectId)
    .all<TaskRow>();
  return toPage(results, page.limit, toTask, (row) => [row.created_at, row.id]);
}

/**
 * Creates a task of the project, its examples (ids `ex_…`, positions in the given order)
 * and its prompt version 1 (the seed, live) in one transaction. Returns the task as stored.
 */
export async function insertTask(db: D1Database, projectId: string, input: NewTask, now = Date.now()): Promise<Task> {
  const id = newId("task");
  const counts: SplitCounts = { train: 0, val: 0, test: 0 };
  const examples = input.examples.map((e, position) => {
    counts[e.split] += 1;
    return { id: newId("ex"), split: e.split, position, input: e.input, expected: e.expected };
  });
  const task = db
    .prepare(
      `INSERT INTO tasks (id, name, description, seed_prompt, scorer, model, split_seed, attempts, live_version, created_at, updated_at, project_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, 1, ?8, ?8, ?10)`,
    )
    .bind(id, input.name, input.description, input.seedPrompt, JSON.stringify(input.scorer), JSON.stringify(input.model), input.splitSeed, now, input.attempts, projectId);
  await db.batch([task, ...insertExampleStatements(db, id, examples, now), seedChampionStatement(db, id, input.seedPrompt, now)]);
  const { examples: _, ...fields } = input;
  return { id, ...fields, counts, liveVersion: 1, createdAt: isoTime(now), updatedAt: isoTime(now) };
}

/**
 * The task as the engine needs it to start a run: example ids and byte sizes per split
 * (in position order, texts left in D1), the task model as a `task`-role ModelRef, and
 * as seed the task's LIVE prompt (the current champion; the seed prompt until a run
 * improves it). Null for a task unknown in the project; a task whose stored model no
 * longer parses cannot run and is reported as an internal error.
 */
export async function loadEngineTask(db: D1Database, projectId: string, taskId: string): Promise<EngineTask | null> {
  const [taskResult, examplesResult] = await db.batch([
    db
      .prepare(
        `SELECT t.name, t.model, t.attempts, COALESCE(c.text, t.seed_prompt) AS prompt
         FROM tasks t LEFT JOIN champions c ON c.task_id = t.id AND c.version = t.live_version WHERE t.id = ?1 AND t.project_id = ?2`,
      )
      .bind(taskId, projectId),
    exampleMetaStatement(db, taskId),
  ]);
  const row = taskResult?.results[0] as { name: string; model: string; attempts: number; prompt: string } | undefined;
  if (!row) return null;
  const model = parseJsonColumn(row.model, TaskModelSchema, null, `tasks ${taskId} model`);
  if (!model) throw new AppError("internal", `Task ${taskId} has an unreadable model setting; recreate the task.`);
  return {
    taskId,
    name: row.name,
    seedPrompt: row.prompt,
    model: { role: "task", model: model.model, ...(model.baseUrl ? { baseUrl: model.baseUrl } : {}) },
    attempts: row.attempts,
    splits: toSplitMeta((examplesResult?.results ?? []) as Parameters<typeof toSplitMeta>[0]),
  };
}
