/**
 * A task's prompt versions (the `champions` table): version 1 is the seed, later
 * versions are run champions or manual edits, and `tasks.live_version` names the one
 * served (`tasks.pinned` keeps runs from moving it). Versions are immutable once
 * written, which is what makes an ETag naming the version (and the pin, which the live
 * prompt's body shows) a valid strong validator.
 */
import { z } from "zod";
import { type Page, type PageOptions, decodeCursor, toPage } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";
import { type SqlStatement, prepareAll } from "./sql-statement";

export type PromptSource = "seed" | "run" | "manual";

/** Scores of a prompt version per split (`{ val: 0.82, test: 0.79 }`), each in [0, 1]. */
export const PromptScoresSchema = z.record(z.string(), z.number());
export type PromptScores = z.infer<typeof PromptScoresSchema>;

/** One prompt version as the API shows it. */
export interface PromptVersion {
  taskId: string;
  version: number;
  text: string;
  source: PromptSource;
  runId: string | null;
  candidateId: string | null;
  scores: PromptScores;
  /** Why a manual version was added; null for seeds and run champions. */
  note: string | null;
  createdAt: string;
}

/** The live version as `GET /v1/tasks/:id/prompt` serves it: whether a pin holds it there too. */
export type LivePrompt = PromptVersion & { pinned: boolean };

interface ChampionRow {
  task_id: string;
  version: number;
  text: string;
  source: PromptSource;
  run_id: string | null;
  candidate_id: string | null;
  scores: string;
  note: string | null;
  created_at: number;
}

const COLUMNS = "c.task_id, c.version, c.text, c.source, c.run_id, c.candidate_id, c.scores, c.note, c.created_at";

function toPromptVersion(row: ChampionRow): PromptVersion {
  return {
    taskId: row.task_id,
    version: row.version,
    text: row.text,
    source: row.source,
    runId: row.run_id,
    candidateId: row.candidate_id,
    scores: parseJsonColumn(row.scores, PromptScoresSchema, {}, `champions ${row.task_id} v${row.version}`),
    note: row.note,
    createdAt: isoTime(row.created_at),
  };
}

/** The statement writing version 1 (the seed prompt) of a new task; batch it after the task insert. */
export function seedChampionStatement(db: D1Database, taskId: string, text: string, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO champions (task_id, version, text, source, scores, created_at) VALUES (?1, 1, ?2, 'seed', '{}', ?3)")
    .bind(taskId, text, now);
}

/** What a new champion version is made of; `candidateId` makes the append idempotent. */
export interface NewChampion {
  taskId: string;
  text: string;
  source: Exclude<PromptSource, "seed">;
  runId: string | null;
  candidateId: string;
  scores: PromptScores;
  now: number;
}

/**
 * Statements that append the next prompt version of a task and make it live unless the
 * task is pinned, for the caller to batch with its other writes (a D1 batch is one
 * transaction). As plain data (`SqlStatement`) so the run's outbox can keep them; it
 * replays them after a crash, possibly long after users changed the live version, so
 * every statement decides from what the first application left behind:
 *
 * 1. The go-live decision is taken once, when the candidate is not yet a version: if the
 *    task exists and is not pinned, a change row (action = `source`, id `run:<candidateId>`)
 *    records the move to the version about to be written. A pinned task gets no row: its
 *    live version did not move, and a replay after an unpin must not move it either.
 * 2. The version itself, `MAX(version) + 1` computed inside the INSERT so concurrent
 *    appends cannot pick the same number; the unique index on `candidate_id` makes a
 *    replay a no-op.
 * 3. `live_version` moves only while that change row is still the task's latest change:
 *    a replay after a later champion, a promote, a rollback or a pin changes nothing.
 *
 * A task that no longer exists is skipped rather than failing the caller's batch.
 */
export function appendChampionSql(champion: NewChampion): SqlStatement[] {
  const { taskId, text, source, runId, candidateId, scores, now } = champion;
  const changeId = `run:${candidateId}`;
  return [
    {
      sql: `INSERT OR IGNORE INTO prompt_changes (task_id, seq, id, action, from_version, to_version, pinned, run_id, undo_seq, created_at)
            SELECT t.id, h.next, ?3, ?4, t.live_version, v.next, 0, ?5, h.next, ?6
            FROM tasks t,
                 (SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM prompt_changes WHERE task_id = ?1) h,
                 (SELECT COALESCE(MAX(version), 0) + 1 AS next FROM champions WHERE task_id = ?1) v
            WHERE t.id = ?1 AND t.pinned = 0 AND NOT EXISTS (SELECT 1 FROM champions WHERE candidate_id = ?2)`,
      params: [taskId, candidateId, changeId, source, runId, now],
    },
    {
      sql: `INSERT OR IGNORE INTO champions (task_id, version, text, source, run_id, candidate_id, scores, created_at)
            SELECT t.id, (SELECT COALESCE(MAX(version), 0) + 1 FROM champions WHERE task_id = ?1), ?3, ?4, ?5, ?2, ?6, ?7
            FROM tasks t WHERE t.id = ?1`,
      params: [taskId, candidateId, text, source, runId, JSON.stringify(scores), now],
    },
    {
      sql: `UPDATE tasks SET live_version = p.to_version, updated_at = ?3
            FROM prompt_changes p
            WHERE tasks.id = ?1 AND p.id = ?2 AND p.task_id = ?1
              AND p.seq = (SELECT MAX(seq) FROM prompt_changes WHERE task_id = ?1)
              AND tasks.live_version IS NOT p.to_version`,
      params: [taskId, changeId, now],
    },
  ];
}

/**
 * Adds a manual version to a task of the project without making it live; null when the
 * project has no such task. The number is `MAX(version) + 1` inside the INSERT, as for
 * run champions. (A manual version made live goes with its change: prompt-change-repo.ts.)
 */
export async function insertManualVersion(db: D1Database, projectId: string, taskId: string, text: string, note: string | null, now: number): Promise<PromptVersion | null> {
  const row = await db
    .prepare(
      `INSERT INTO champions (task_id, version, text, source, scores, note, created_at)
       SELECT t.id, (SELECT COALESCE(MAX(version), 0) + 1 FROM champions WHERE task_id = t.id), ?3, 'manual', '{}', ?4, ?5
       FROM tasks t WHERE t.id = ?1 AND t.project_id = ?2
       RETURNING ${COLUMNS.replaceAll("c.", "")}`,
    )
    .bind(taskId, projectId, text, note, now)
    .first<ChampionRow>();
  return row ? toPromptVersion(row) : null;
}

/** The version `version` of a task of the project, or null. */
export async function getPromptVersion(db: D1Database, projectId: string, taskId: string, version: number): Promise<PromptVersion | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM champions c JOIN tasks t ON t.id = c.task_id WHERE c.task_id = ?1 AND c.version = ?2 AND t.project_id = ?3`)
    .bind(taskId, version, projectId)
    .first<ChampionRow>();
  return row ? toPromptVersion(row) : null;
}

/** `appendChampionSql`, prepared for `db.batch`. */
export function appendChampionStatements(db: D1Database, champion: NewChampion): D1PreparedStatement[] {
  return prepareAll(db, appendChampionSql(champion));
}

/** The prompt a task of the project serves now, or null when the project has no such task (or it has no live version). */
export async function getLivePrompt(db: D1Database, projectId: string, taskId: string): Promise<LivePrompt | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, t.pinned FROM tasks t JOIN champions c ON c.task_id = t.id AND c.version = t.live_version WHERE t.id = ?1 AND t.project_id = ?2`)
    .bind(taskId, projectId)
    .first<ChampionRow & { pinned: number }>();
  return row ? { ...toPromptVersion(row), pinned: row.pinned === 1 } : null;
}

/** The prompt versions of a task of the project, newest first (none for another project's task); the cursor is the last version shown. */
export async function listPromptVersions(
  db: D1Database,
  projectId: string,
  taskId: string,
  page: PageOptions = { limit: 100 },
): Promise<Page<PromptVersion>> {
  const before = page.cursor === undefined ? null : decodeCursor(page.cursor, z.number().int());
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM champions c JOIN tasks t ON t.id = c.task_id
       WHERE c.task_id = ?1 AND t.project_id = ?4 AND (?2 IS NULL OR c.version < ?2)
       ORDER BY c.version DESC LIMIT ?3`,
    )
    .bind(taskId, before, page.limit + 1, projectId)
    .all<ChampionRow>();
  return toPage(results, page.limit, toPromptVersion, (row) => row.version);
}
