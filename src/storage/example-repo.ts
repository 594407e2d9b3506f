/**
 * A task's labelled examples. `position` is the example's index in the list the task
 * was created with, so it orders examples within a split and pages through them.
 */
import { z } from "zod";
import type { ExampleMeta, Split } from "../engine/types";
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
  const encoder = new TextEncoder();
  const statements: D1PreparedStatement[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (chunk.length) statements.push(db.prepare(sql).bind(taskId, now, `[${chunk.join(",")}]`));
    chunk = [];
    bytes = 0;
  };
  for (const e of examples) {
    const row = JSON.stringify([e.id, e.split, e.position, e.input, e.expected]);
    const size = encoder.encode(row).byteLength + 1;
    if (bytes + size > INSERT_CHUNK_BYTES) flush();
    chunk.push(row);
    bytes += size;
  }
  flush();
  return statements;
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
