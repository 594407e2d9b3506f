/**
 * A task's labelled examples. `position` is the example's index in the list the task
 * was created with, so it orders examples within a split and pages through them.
 */
import { z } from "zod";
import type { ExampleMeta, Split } from "../engine/types";
import { newId } from "../ids";
import { type Page, decodeCursor, toPage } from "./cursor";

/** One example as the API shows it. */
export interface ExampleView {
  id: string;
  split: Split;
  input: string;
  expected: string;
  position: number;
}

/** One example as the job handlers read it. */
export interface StoredExample {
  id: string;
  taskId: string;
  split: Split;
  input: string;
  expected: string;
}

/** An example about to be inserted. */
export interface NewExample {
  id: string;
  split: Split;
  position: number;
  input: string;
  expected: string;
}

/**
 * JSON bytes per insert statement. D1 binds at most 100 parameters per statement and
 * holds at most 2 MB per value, so each statement binds its rows as one JSON array
 * (read back with json_each) kept well under that: a 5,000-example task is a handful
 * of statements instead of hundreds of 100-parameter ones.
 */
const INSERT_CHUNK_BYTES = 512 * 1024;
/** D1 binds at most 100 parameters per statement. */
const IDS_PER_QUERY = 100;

/** Statements inserting a task's examples, for the caller to batch with the task insert. */
export function insertExampleStatements(db: D1Database, taskId: string, examples: NewExample[], now: number): D1PreparedStatement[] {
  const sql = `INSERT INTO examples (id, task_id, split, position, input, expected, created_at)
    SELECT json_extract(value, '$[0]'), ?1, json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]'), json_extract(value, '$[4]'), ?2
    FROM json_each(?3)`;
  const rows = examples.map((e) => JSON.stringify([e.id, e.split, e.position, e.input, e.expected]));
  return jsonArrayChunks(rows).map((chunk) => db.prepare(sql).bind(taskId, now, chunk));
}

/** JSON rows joined into JSON arrays of at most INSERT_CHUNK_BYTES each (a row larger than that gets an array of its own). */
function jsonArrayChunks(rows: string[]): string[] {
  const encoder = new TextEncoder();
  const chunks: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (chunk.length) chunks.push(`[${chunk.join(",")}]`);
    chunk = [];
    bytes = 0;
  };
  for (const row of rows) {
    const size = encoder.encode(row).byteLength + 1;
    if (bytes + size > INSERT_CHUNK_BYTES) flush();
    chunk.push(row);
    bytes += size;
  }
  flush();
  return chunks;
}

/** An example to add to an existing task, its split already chosen. */
export interface AppendedExample {
  split: Split;
  input: string;
  expected: string;
}

/**
 * Adds examples after the task's last one, in one transaction, and returns the task's
 * counts per split afterwards; null when the project has no such task. Positions are
 * taken inside each INSERT (one past the task's largest), so two appends racing each
 * other still give every example a position of its own.
 */
export async function appendExamples(db: D1Database, projectId: string, taskId: string, examples: AppendedExample[], now = Date.now()): Promise<Record<Split, number> | null> {
  // json_each's `key` is the row's index in its chunk: each statement's base already counts the chunks before it.
  const sql = `WITH base AS MATERIALIZED (SELECT COALESCE(MAX(position), -1) + 1 AS next FROM examples WHERE task_id = ?1)
    INSERT INTO examples (id, task_id, split, position, input, expected, created_at)
    SELECT json_extract(value, '$[0]'), ?1, json_extract(value, '$[1]'), base.next + key,
           json_extract(value, '$[2]'), json_extract(value, '$[3]'), ?2
    FROM json_each(?3), base
    WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?1 AND t.project_id = ?4)`;
  const rows = examples.map((e) => JSON.stringify([newId("ex"), e.split, e.input, e.expected]));
  const inserts = jsonArrayChunks(rows).map((chunk) => db.prepare(sql).bind(taskId, now, chunk, projectId));
  const results = await db.batch<{ split: Split; n: number }>([
    ...inserts,
    db.prepare("UPDATE tasks SET updated_at = ?3 WHERE id = ?1 AND project_id = ?2").bind(taskId, projectId, now),
    db.prepare("SELECT e.split, count(*) AS n FROM examples e JOIN tasks t ON t.id = e.task_id AND t.project_id = ?2 WHERE e.task_id = ?1 GROUP BY e.split").bind(taskId, projectId),
  ]);
  const updated = results[inserts.length];
  if (!updated || updated.meta.changes === 0) return null;
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const row of results[inserts.length + 1]?.results ?? []) counts[row.split] = row.n;
  return counts;
}

/**
 * How many examples of each split a task of the project was created with: those written
 * in the task's own insert, which share its `created_at` (see insertTask). They stand in
 * for the split ratios the task was created with, which are not stored.
 */
export async function creationSplitCounts(db: D1Database, projectId: string, taskId: string): Promise<Record<Split, number>> {
  const { results } = await db
    .prepare(
      `SELECT e.split, count(*) AS n FROM examples e JOIN tasks t ON t.id = e.task_id
       WHERE e.task_id = ?1 AND t.project_id = ?2 AND e.created_at = t.created_at GROUP BY e.split`,
    )
    .bind(taskId, projectId)
    .all<{ split: Split; n: number }>();
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const row of results) counts[row.split] = row.n;
  return counts;
}

export interface ExamplePageOptions {
  split?: Split | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A page of the examples of a task of the project (none for another project's task) in position order, optionally of one split. */
export async function listExamples(db: D1Database, projectId: string, taskId: string, options: ExamplePageOptions): Promise<Page<ExampleView>> {
  const after = options.cursor === undefined ? -1 : decodeCursor(options.cursor, z.number().int());
  // Two shapes of WHERE rather than `?2 IS NULL OR split = ?2`, so a split filter seeks the index.
  const split = options.split === undefined ? "" : "AND split = ?5";
  const { results } = await db
    .prepare(
      `SELECT id, split, input, expected, position FROM examples
       WHERE task_id = ?1 ${split} AND position > ?2
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?1 AND t.project_id = ?4)
       ORDER BY position LIMIT ?3`,
    )
    .bind(taskId, after, options.limit + 1, projectId, ...(options.split === undefined ? [] : [options.split]))
    .all<ExampleView>();
  return toPage(results, options.limit, (row) => ({ ...row }), (row) => row.position);
}

/**
 * Examples by id (any task), for the job handlers. Unknown ids are simply absent from
 * the map; duplicates are looked up once.
 */
export async function getExamples(db: D1Database, ids: string[]): Promise<Map<string, StoredExample>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, StoredExample>();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const marks = chunk.map(() => "?").join(", ");
    statements.push(
      db.prepare(`SELECT id, task_id AS taskId, split, input, expected FROM examples WHERE id IN (${marks})`).bind(...chunk),
    );
  }
  if (statements.length === 0) return found;
  for (const result of await db.batch<StoredExample>(statements)) {
    for (const row of result.results) found.set(row.id, { ...row });
  }
  return found;
}

/**
 * The statement listing a task's examples as the engine sees them: ids and UTF-8 byte
 * sizes per split, in position order. The sizes are computed by SQLite so that
 * starting a run never pulls the example texts into the Worker.
 */
export function exampleMetaStatement(db: D1Database, taskId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT id, split, length(CAST(input AS BLOB)) AS inputBytes, length(CAST(expected AS BLOB)) AS expectedBytes
       FROM examples WHERE task_id = ?1 ORDER BY split, position`,
    )
    .bind(taskId);
}

/** Groups the rows of `exampleMetaStatement` by split, keeping their order. */
export function toSplitMeta(rows: Array<ExampleMeta & { split: Split }>): Record<Split, ExampleMeta[]> {
  const splits: Record<Split, ExampleMeta[]> = { train: [], val: [], test: [] };
  for (const { split, id, inputBytes, expectedBytes } of rows) splits[split]?.push({ id, inputBytes, expectedBytes });
  return splits;
}
