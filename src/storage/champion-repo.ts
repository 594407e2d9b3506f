/**
 * A task's prompt versions (the `champions` table): version 1 is the seed, later
 * versions are run champions or manual edits, and `tasks.live_version` names the one
 * served. Versions are immutable once written, which is what makes the ETag
 * `"<taskId>-v<version>"` a valid strong validator.
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
  createdAt: string;
}

interface ChampionRow {
  task_id: string;
  version: number;
  text: string;
  source: PromptSource;
  run_id: string | null;
  candidate_id: string | null;
  scores: string;
  created_at: number;
}

const COLUMNS = "c.task_id, c.version, c.text, c.source, c.run_id, c.candidate_id, c.scores, c.created_at";

function toPromptVersion(row: ChampionRow): PromptVersion {
  return {
    taskId: row.task_id,
    version: row.version,
    text: row.text,
    source: row.source,
    runId: row.run_id,
    candidateId: row.candidate_id,
    scores: parseJsonColumn(row.scores, PromptScoresSchema, {}, `champions ${row.task_id} v${row.version}`),
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
 * Statements that append the next prompt version of a task and make it live, for the
 * caller to batch with its other writes (a D1 batch is one transaction). As plain data
 * (`SqlStatement`) so an outbox can keep them; `appendChampionStatements` prepares them.
 *
 * - The version is `MAX(version) + 1` computed inside the INSERT, so concurrent appends
 *   cannot pick the same number.
 * - Idempotent per candidate: the unique index on `candidate_id` turns a replay into a
 *   no-op (INSERT OR IGNORE), and the UPDATE only moves `live_version` to the candidate's
 *   version while that is still the task's newest, so a replay arriving after a later
 *   champion cannot roll the live prompt back.
 * - A task that no longer exists is skipped rather than failing the caller's batch.
 */
export function appendChampionSql(champion: NewChampion): SqlStatement[] {
  const { taskId, text, source, runId, candidateId, scores, now } = champion;
  const candidateVersion = "(SELECT version FROM champions WHERE task_id = ?1 AND candidate_id = ?2)";
  return [
    {
      sql: `INSERT OR IGNORE INTO champions (task_id, version, text, source, run_id, candidate_id, scores, created_at)
            SELECT t.id, (SELECT COALESCE(MAX(version), 0) + 1 FROM champions WHERE task_id = ?1), ?3, ?4, ?5, ?2, ?6, ?7
            FROM tasks t WHERE t.id = ?1`,
      params: [taskId, candidateId, text, source, runId, JSON.stringify(scores), now],
    },
    {
      sql: `UPDATE tasks SET live_version = ${candidateVersion}, updated_at = ?3
            WHERE id = ?1 AND live_version IS NOT ${candidateVersion}
              AND ${candidateVersion} = (SELECT MAX(version) FROM champions WHERE task_id = ?1)`,
      params: [taskId, candidateId, now],
    },
  ];
}

/** `appendChampionSql`, prepared for `db.batch`. */
export function appendChampionStatements(db: D1Database, champion: NewChampion): D1PreparedStatement[] {
  return prepareAll(db, appendChampionSql(champion));
}

/** The prompt a task of the project serves now, or null when the project has no such task (or it has no live version). */
export async function getLivePrompt(db: D1Database, projectId: string, taskId: string): Promise<PromptVersion | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM tasks t JOIN champions c ON c.task_id = t.id AND c.version = t.live_version WHERE t.id = ?1 AND t.project_id = ?2`)
    .bind(taskId, projectId)
    .first<ChampionRow>();
  return row ? toPromptVersion(row) : null;
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
