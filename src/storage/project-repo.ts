/**
 * Projects and their API keys. A key row holds the SHA-256 hash of the key and its first
 * characters for display, never the key; nothing this module returns contains the hash.
 */
import { newId } from "../ids";
import { BEFORE_CURSOR, type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { isoTime } from "./json-column";

/** The project rows written before access control belong to (see migrations/0004). */
export const DEFAULT_PROJECT_ID = "default";

export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

/** A key as the admin API lists it: enough to recognise and revoke it, nothing to use it. */
export interface ApiKeyView {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The key a request authenticated with. */
export interface ActiveKey {
  id: string;
  projectId: string;
  lastUsedAt: number | null;
}

interface ProjectRow {
  id: string;
  name: string;
  created_at: number;
}

interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

const KEY_COLUMNS = "id, project_id, name, prefix, created_at, revoked_at, last_used_at";
const toProject = (row: ProjectRow): Project => ({ id: row.id, name: row.name, createdAt: isoTime(row.created_at) });
const optionalTime = (ms: number | null) => (ms === null ? null : isoTime(ms));

function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: isoTime(row.created_at),
    revokedAt: optionalTime(row.revoked_at),
    lastUsedAt: optionalTime(row.last_used_at),
  };
}

export async function createProject(db: D1Database, name: string, now = Date.now()): Promise<Project> {
  const id = newId("proj");
  await db.prepare("INSERT INTO projects (id, name, created_at) VALUES (?1, ?2, ?3)").bind(id, name, now).run();
  return { id, name, createdAt: isoTime(now) };
}

export async function getProject(db: D1Database, id: string): Promise<Project | null> {
  const row = await db.prepare("SELECT id, name, created_at FROM projects WHERE id = ?1").bind(id).first<ProjectRow>();
  return row ? toProject(row) : null;
}

/** Projects newest first. */
export async function listProjects(db: D1Database, page: PageOptions): Promise<Page<Project>> {
  const [createdAt, id] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(`SELECT id, name, created_at FROM projects WHERE ${BEFORE_CURSOR} ORDER BY created_at DESC, id DESC LIMIT ?3`)
    .bind(createdAt, id, page.limit + 1)
    .all<ProjectRow>();
  return toPage(results, page.limit, toProject, (row) => [row.created_at, row.id]);
}

/** A key to store: its hash and display prefix, computed by the caller from the key it shows once. */
export interface NewApiKey {
  projectId: string;
  name: string;
  prefix: string;
  hash: string;
}

export async function insertApiKey(db: D1Database, key: NewApiKey, now = Date.now()): Promise<ApiKeyView> {
  const id = newId("key");
  await db
    .prepare("INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    .bind(id, key.projectId, key.name, key.prefix, key.hash, now)
    .run();
  return { id, projectId: key.projectId, name: key.name, prefix: key.prefix, createdAt: isoTime(now), revokedAt: null, lastUsedAt: null };
}

/** A project's keys, revoked ones included, newest first. */
export async function listApiKeys(db: D1Database, projectId: string): Promise<ApiKeyView[]> {
  const { results } = await db
    .prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = ?1 ORDER BY created_at DESC, id DESC`)
    .bind(projectId)
    .all<ApiKeyRow>();
  return results.map(toApiKeyView);
}

/** Revokes a key of the project (once: a second revoke keeps the first time); null when the project has no such key. */
export async function revokeApiKey(db: D1Database, projectId: string, keyId: string, now = Date.now()): Promise<ApiKeyView | null> {
  const [, read] = await db.batch<ApiKeyRow>([
    db.prepare("UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND project_id = ?2 AND revoked_at IS NULL").bind(keyId, projectId, now),
    db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?1 AND project_id = ?2`).bind(keyId, projectId),
  ]);
  const row = read?.results[0];
  return row ? toApiKeyView(row) : null;
}

/** The unrevoked key with this hash, or null. An index seek on the hash. */
export async function findActiveKey(db: D1Database, hash: string): Promise<ActiveKey | null> {
  const row = await db
    .prepare("SELECT id, project_id, last_used_at FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL")
    .bind(hash)
    .first<{ id: string; project_id: string; last_used_at: number | null }>();
  return row ? { id: row.id, projectId: row.project_id, lastUsedAt: row.last_used_at } : null;
}

/** Records that a key was used. */
export async function touchApiKey(db: D1Database, keyId: string, now = Date.now()): Promise<void> {
  await db.prepare("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1").bind(keyId, now).run();
}
