/**
 * The live-version change log (`prompt_changes`) and the user's changes of what a task
 * serves: promote, rollback, pin, unpin, a manual version made live. D1 has no
 * transactions spanning a read and a write, so each change is compare-and-set: read the
 * state, plan (prompts/plan-live-change.ts), and write in one batch whose first
 * statement inserts the change row only while the state is still the one read; the other
 * statements apply only if that row is there. A lost race is retried from a fresh read.
 */
import { z } from "zod";
import { newId } from "../ids";
import { type ChangeAction, type LiveRequest, type LiveState, type PlannedChange, type Refusal, planLiveChange } from "../prompts/plan-live-change";
import type { PromptVersion } from "./champion-repo";
import { type Page, type PageOptions, decodeCursor, toPage } from "./cursor";
import { isoTime } from "./json-column";

/** One change of a task's live version (or of its pin), as the API shows it. */
export interface PromptChange {
  /** 1, 2, ... per task, in the order applied. */
  seq: number;
  action: ChangeAction;
  fromVersion: number | null;
  toVersion: number | null;
  /** Whether the task was pinned after this change. */
  pinned: boolean;
  /** Action `run`: the run whose champion went live. */
  runId: string | null;
  reason: string | null;
  /** Action `rollback`: the seq of the change it undid. */
  undoes: number | null;
  createdAt: string;
}

/** The answer of every change route: what the task serves now, and the change written (null: none was needed). */
export interface PromptState {
  taskId: string;
  liveVersion: number | null;
  pinned: boolean;
  change: PromptChange | null;
}

/** `POST /v1/tasks/:id/prompts`: the state, and the version added. */
export type AddedPrompt = PromptState & { prompt: PromptVersion };

interface ChangeRow {
  seq: number;
  action: ChangeAction;
  from_version: number | null;
  to_version: number | null;
  pinned: number;
  run_id: string | null;
  reason: string | null;
  undoes: number | null;
  created_at: number;
}

const CHANGE_COLUMNS = "seq, action, from_version, to_version, pinned, run_id, reason, undoes, created_at";

function toPromptChange(row: ChangeRow): PromptChange {
  return {
    seq: row.seq,
    action: row.action,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    pinned: row.pinned === 1,
    runId: row.run_id,
    reason: row.reason,
    undoes: row.undoes,
    createdAt: isoTime(row.created_at),
  };
}

interface StateRow {
  live_version: number | null;
  pinned: number;
  max_version: number;
  head_seq: number;
  undo_seq: number | null;
  undo_from: number | null;
  undo_prior: number | null;
  version_exists: number;
}

/**
 * A task's live state in one read, or null when the project has no such task. `version`
 * is the one a request names (promote, pin), checked for existence; null when none is.
 */
export async function readLiveState(db: D1Database, projectId: string, taskId: string, version: number | null = null): Promise<LiveState | null> {
  const row = await db
    .prepare(
      `SELECT t.live_version, t.pinned,
              (SELECT COALESCE(MAX(version), 0) FROM champions WHERE task_id = t.id) AS max_version,
              COALESCE(h.seq, 0) AS head_seq, h.undo_seq, u.from_version AS undo_from,
              (SELECT p.undo_seq FROM prompt_changes p WHERE p.task_id = t.id AND p.seq < h.undo_seq ORDER BY p.seq DESC LIMIT 1) AS undo_prior,
              EXISTS (SELECT 1 FROM champions WHERE task_id = t.id AND version = ?3) AS version_exists
       FROM tasks t
       LEFT JOIN prompt_changes h ON h.task_id = t.id AND h.seq = (SELECT MAX(seq) FROM prompt_changes WHERE task_id = t.id)
       LEFT JOIN prompt_changes u ON u.task_id = t.id AND u.seq = h.undo_seq
       WHERE t.id = ?1 AND t.project_id = ?2`,
    )
    .bind(taskId, projectId, version)
    .first<StateRow>();
  if (!row) return null;
  return {
    liveVersion: row.live_version,
    pinned: row.pinned === 1,
    maxVersion: row.max_version,
    headSeq: row.head_seq,
    undo: row.undo_seq === null ? null : { seq: row.undo_seq, fromVersion: row.undo_from, priorUndoSeq: row.undo_prior },
    versionExists: row.version_exists === 1,
  };
}

/** A manual version to write with the change that makes it live. */
export interface ManualText {
  text: string;
  note: string | null;
}

export type LiveChangeResult =
  | { kind: "not_found" }
  | { kind: "refused"; refusal: Refusal; state: LiveState }
  | { kind: "unchanged"; state: LiveState }
  | { kind: "changed"; change: PromptChange }
  /** The state kept moving under this request (concurrent changes); the client may retry. */
  | { kind: "busy" };

/** Compare-and-set attempts before giving up: each lost race means another change landed, so a few suffice. */
const MAX_ATTEMPTS = 3;

/**
 * Applies a user's request to a task of the project. With the action `manual`, `manual`
 * is the new version that becomes live, written in the same batch as its change.
 */
export async function applyLiveRequest(
  db: D1Database,
  projectId: string,
  taskId: string,
  request: LiveRequest,
  now: number,
  manual?: ManualText,
): Promise<LiveChangeResult> {
  if ((request.action === "manual") !== (manual !== undefined)) throw new Error("applyLiveRequest: the text comes with, and only with, a manual request");
  const named = request.action === "promote" || request.action === "pin" ? request.version : null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await readLiveState(db, projectId, taskId, named);
    if (!state) return { kind: "not_found" };
    const plan = planLiveChange(state, request);
    if (plan.kind !== "change") return plan.kind === "refused" ? { kind: "refused", refusal: plan.refusal, state } : { kind: "unchanged", state };
    const changeId = newId("chg");
    const [inserted] = await db.batch(changeStatements(db, { projectId, taskId, changeId, now, state, change: plan.change, manual }));
    if (inserted?.meta.changes === 1) return { kind: "changed", change: plannedView(plan.change, now) };
  }
  return { kind: "busy" };
}

interface ChangeWrite {
  projectId: string;
  taskId: string;
  changeId: string;
  now: number;
  state: LiveState;
  change: PlannedChange;
  manual: ManualText | undefined;
}

function changeStatements(db: D1Database, w: ChangeWrite): D1PreparedStatement[] {
  const { change: c, state: s } = w;
  const ours = "EXISTS (SELECT 1 FROM prompt_changes WHERE id = ?1)";
  const statements = [
    // The compare: the task still has the live version, pin, latest change and newest version the plan was made from.
    db
      .prepare(
        `INSERT INTO prompt_changes (task_id, seq, id, action, from_version, to_version, pinned, reason, undoes, undo_seq, created_at)
         SELECT t.id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM tasks t
         WHERE t.id = ?1 AND t.project_id = ?2 AND t.live_version IS ?13 AND t.pinned = ?14
           AND (SELECT COALESCE(MAX(seq), 0) FROM prompt_changes WHERE task_id = t.id) = ?15
           AND (SELECT COALESCE(MAX(version), 0) FROM champions WHERE task_id = t.id) = ?16`,
      )
      .bind(
        ...[w.taskId, w.projectId, c.seq, w.changeId, c.action, c.fromVersion, c.toVersion, c.pinned ? 1 : 0, c.reason, c.undoes, c.undoSeq, w.now],
        ...[s.liveVersion, s.pinned ? 1 : 0, s.headSeq, s.maxVersion],
      ),
  ];
  if (w.manual) {
    statements.push(
      db
        .prepare(`INSERT INTO champions (task_id, version, text, source, scores, note, created_at) SELECT ?2, ?3, ?4, 'manual', '{}', ?5, ?6 WHERE ${ours}`)
        .bind(w.changeId, w.taskId, c.toVersion, w.manual.text, w.manual.note, w.now),
    );
  }
  statements.push(
    db.prepare(`UPDATE tasks SET live_version = ?3, pinned = ?4, updated_at = ?5 WHERE id = ?2 AND ${ours}`).bind(w.changeId, w.taskId, c.toVersion, c.pinned ? 1 : 0, w.now),
  );
  return statements;
}

function plannedView(c: PlannedChange, now: number): PromptChange {
  return { seq: c.seq, action: c.action, fromVersion: c.fromVersion, toVersion: c.toVersion, pinned: c.pinned, runId: null, reason: c.reason, undoes: c.undoes, createdAt: isoTime(now) };
}

/** The change log of a task of the project, newest first (none for another project's task); the cursor is the last seq shown. */
export async function listPromptChanges(db: D1Database, projectId: string, taskId: string, page: PageOptions): Promise<Page<PromptChange>> {
  const before = page.cursor === undefined ? null : decodeCursor(page.cursor, z.number().int());
  const { results } = await db
    .prepare(
      `SELECT ${CHANGE_COLUMNS} FROM prompt_changes p
       WHERE p.task_id = ?1 AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?1 AND t.project_id = ?2) AND (?3 IS NULL OR p.seq < ?3)
       ORDER BY p.seq DESC LIMIT ?4`,
    )
    .bind(taskId, projectId, before, page.limit + 1)
    .all<ChangeRow>();
  return toPage(results, page.limit, toPromptChange, (row) => row.seq);
}
