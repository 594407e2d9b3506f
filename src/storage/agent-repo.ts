/**
 * Agent snapshots: the prompt-agent prompts that pre-training runs produce, each a
 * reusable starting point for later fine-tunings. Rows are written once (by the run
 * history, see run-history.ts) and never changed.
 */
import { z } from "zod";
import { BEFORE_CURSOR, type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";
import type { SnapshotKind } from "../engine/types";

/** One agent snapshot as the API shows it. `lineage` lists candidate ids, seed first. */
export interface AgentSnapshot {
  id: string;
  runId: string;
  candidateId: string;
  /** `prompt-agent` (SePO) or `shared-system-prompt` (the MetaSPO-style baseline). */
  kind: SnapshotKind;
  text: string;
  fitness: number;
  lineage: string[];
  createdAt: string;
}

interface AgentSnapshotRow {
  id: string;
  run_id: string;
  candidate_id: string;
  kind: string;
  text: string;
  fitness: number;
  lineage: string;
  created_at: number;
}

const SELECT = "SELECT id, run_id, candidate_id, kind, text, fitness, lineage, created_at FROM agent_snapshots";
const LineageSchema = z.array(z.string());

function toAgentSnapshot(row: AgentSnapshotRow): AgentSnapshot {
  return {
    id: row.id,
    runId: row.run_id,
    candidateId: row.candidate_id,
    kind: row.kind === "shared-system-prompt" ? "shared-system-prompt" : "prompt-agent",
    text: row.text,
    fitness: row.fitness,
    lineage: parseJsonColumn(row.lineage, LineageSchema, [], `agent_snapshots ${row.id}`),
    createdAt: isoTime(row.created_at),
  };
}

/** One snapshot of the project, or null for an unknown id (another project's snapshot is unknown). */
export async function getAgentSnapshot(db: D1Database, projectId: string, id: string): Promise<AgentSnapshot | null> {
  const row = await db.prepare(`${SELECT} WHERE id = ?1 AND project_id = ?2`).bind(id, projectId).first<AgentSnapshotRow>();
  return row ? toAgentSnapshot(row) : null;
}

/** The project's newest snapshot of a kind (what `"latest"` means for a fine-tuning), or null when there is none. */
export async function getLatestAgentSnapshot(db: D1Database, projectId: string, kind: SnapshotKind = "prompt-agent"): Promise<AgentSnapshot | null> {
  const row = await db
    .prepare(`${SELECT} WHERE project_id = ?2 AND kind = ?1 ORDER BY created_at DESC, id DESC LIMIT 1`)
    .bind(kind, projectId)
    .first<AgentSnapshotRow>();
  return row ? toAgentSnapshot(row) : null;
}

/** The project's snapshots newest first; `cursor` is a previous page's `nextCursor` (a bad one is a 400). */
export async function listAgentSnapshots(db: D1Database, projectId: string, page: PageOptions): Promise<Page<AgentSnapshot>> {
  const [createdAt, id] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(`${SELECT} WHERE project_id = ?4 AND ${BEFORE_CURSOR} ORDER BY created_at DESC, id DESC LIMIT ?3`)
    .bind(createdAt, id, page.limit + 1, projectId)
    .all<AgentSnapshotRow>();
  return toPage(results, page.limit, toAgentSnapshot, (row) => [row.created_at, row.id]);
}
