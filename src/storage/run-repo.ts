/** Runs and their candidates as D1 records them (the live state is in the run's Durable Object). */
import { z } from "zod";
import { decodeCursor, CreatedCursorSchema, type Page, type PageOptions, toPage } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";
import type { SqlStatement } from "./sql-statement";

interface RunRow {
  id: string;
  kind: string;
  status: string;
  task_ids: string;
  agent_snapshot_id: string | null;
  config: string;
  reason: string | null;
  report: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface RunRecord {
  id: string;
  kind: string;
  status: string;
  taskIds: string[];
  agentSnapshotId: string | null;
  config: unknown;
  reason: string | null;
  report: unknown;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    taskIds: parseJsonColumn(row.task_ids, z.array(z.string()), [], `runs.task_ids of ${row.id}`),
    agentSnapshotId: row.agent_snapshot_id,
    config: parseJsonColumn(row.config, z.unknown(), null, `runs.config of ${row.id}`),
    reason: row.reason,
    report: parseJsonColumn(row.report, z.unknown(), null, `runs.report of ${row.id}`),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    finishedAt: row.finished_at === null ? null : isoTime(row.finished_at),
  };
}

/**
 * The runs row, written by the run's Durable Object with its first effects (so it exists
 * once the run does). The run belongs to the project that started it; what the run writes
 * later (its agent snapshot) takes the project from this row.
 */
export function insertRunStatement(run: { id: string; projectId: string; kind: string; taskIds: string[]; agentSnapshotId: string | null; config: unknown; now: number }): SqlStatement {
  return {
    sql: `INSERT OR IGNORE INTO runs (id, project_id, kind, status, task_ids, agent_snapshot_id, config, created_at, updated_at)
          VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    params: [run.id, run.projectId, run.kind, JSON.stringify(run.taskIds), run.agentSnapshotId, JSON.stringify(run.config), run.now, run.now],
  };
}

/** A run of the project, or null (another project's run is unknown). */
export async function getRun(db: D1Database, projectId: string, id: string): Promise<RunRecord | null> {
  const row = await db.prepare(`SELECT * FROM runs WHERE id = ? AND project_id = ?`).bind(id, projectId).first<RunRow>();
  return row ? toRecord(row) : null;
}

/** The project's runs newest first, optionally of one task or status. */
export async function listRuns(db: D1Database, projectId: string, page: PageOptions & { taskId?: string | undefined; status?: string | undefined }): Promise<Page<RunRecord>> {
  const where: string[] = ["project_id = ?"];
  const params: Array<string | number> = [projectId];
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor, CreatedCursorSchema);
    where.push(`(created_at < ? OR (created_at = ? AND id < ?))`);
    params.push(createdAt, createdAt, id);
  }
  if (page.status) {
    where.push(`status = ?`);
    params.push(page.status);
  }
  if (page.taskId) {
    where.push(`EXISTS (SELECT 1 FROM json_each(runs.task_ids) WHERE json_each.value = ?)`);
    params.push(page.taskId);
  }
  const sql = `SELECT * FROM runs WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...params, page.limit + 1).all<RunRow>();
  return toPage(results, page.limit, toRecord, (row) => [row.created_at, row.id]);
}

interface CandidateRow {
  id: string;
  run_id: string;
  kind: string;
  task_id: string | null;
  parent_id: string | null;
  generation: number;
  text: string;
  status: string;
  fitness: number | null;
  scores: string;
  created_at: number;
}

function toCandidate(row: CandidateRow) {
  return {
    id: row.id,
    kind: row.kind,
    taskId: row.task_id,
    parentId: row.parent_id,
    generation: row.generation,
    status: row.status,
    fitness: row.fitness,
    scores: parseJsonColumn(row.scores, z.record(z.string(), z.unknown()), {}, `candidates.scores of ${row.id}`),
    text: row.text,
    createdAt: isoTime(row.created_at),
  };
}
export type CandidateRecord = ReturnType<typeof toCandidate>;

/** Candidates belong to the project of their run. */
const IN_PROJECT = "EXISTS (SELECT 1 FROM runs r WHERE r.id = candidates.run_id AND r.project_id = ?)";

/**
 * The candidates of a run of the project (none for another project's run) in creation
 * order (lineage reads parent before child). Candidates of one step share a timestamp,
 * and ids are `<runId>:c<n>`: ordering ties by plain `id` would put c10 before c9, so
 * ties go by length first, which makes the text order numeric.
 */
export async function listCandidates(
  db: D1Database,
  projectId: string,
  runId: string,
  filter: { status?: string | undefined; limit: number; offset: number },
): Promise<CandidateRecord[]> {
  const status = filter.status ? `AND status = ?` : "";
  const params = filter.status ? [runId, projectId, filter.status] : [runId, projectId];
  const { results } = await db
    .prepare(`SELECT * FROM candidates WHERE run_id = ? AND ${IN_PROJECT} ${status} ORDER BY created_at, length(id), id LIMIT ? OFFSET ?`)
    .bind(...params, filter.limit, filter.offset)
    .all<CandidateRow>();
  return results.map(toCandidate);
}

/** One candidate of a run of the project with its evaluations, or null. */
export async function getCandidate(db: D1Database, projectId: string, runId: string, id: string) {
  const row = await db
    .prepare(`SELECT * FROM candidates WHERE run_id = ? AND id = ? AND ${IN_PROJECT}`)
    .bind(runId, id, projectId)
    .first<CandidateRow>();
  if (!row) return null;
  const { results } = await db
    .prepare(`SELECT example_id, split, output, score, feedback, prompt_tokens, completion_tokens FROM evaluations WHERE candidate_id = ? ORDER BY split, example_id`)
    .bind(id)
    .all<{ example_id: string; split: string; output: string; score: number; feedback: string; prompt_tokens: number; completion_tokens: number }>();
  return {
    ...toCandidate(row),
    evaluations: results.map((r) => ({
      exampleId: r.example_id,
      split: r.split,
      output: r.output,
      score: r.score,
      feedback: r.feedback,
      promptTokens: r.prompt_tokens,
      completionTokens: r.completion_tokens,
    })),
  };
}
