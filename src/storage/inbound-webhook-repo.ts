/**
 * Inbound webhook endpoints. The secret is stored as issued (an HMAC check needs the key
 * itself) and leaves this module only through `findEndpointForDelivery`, for the
 * receiver; views carry its first characters. Every read and write of the management API
 * is scoped by project.
 */
import { newId } from "../ids";
import { secretDisplayPrefix } from "../webhooks/inbound/secret";
import { type GitHubAction, GitHubActionSchema } from "../webhooks/inbound/github-action";
import { type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";

export type InboundScheme = "standard" | "github";

/** An endpoint as the management API shows it: never the secret. */
export interface InboundEndpointView {
  id: string;
  name: string;
  scheme: InboundScheme;
  action: GitHubAction | null;
  secretPrefix: string;
  createdAt: string;
  secretRotatedAt: string | null;
  revokedAt: string | null;
}

/** An endpoint as the receiver needs it, secret included. */
export interface InboundEndpoint {
  id: string;
  projectId: string;
  scheme: InboundScheme;
  secret: string;
  action: GitHubAction | null;
  revoked: boolean;
}

export interface NewInboundEndpoint {
  projectId: string;
  name: string;
  scheme: InboundScheme;
  secret: string;
  action: GitHubAction | null;
}

interface EndpointRow {
  id: string;
  project_id: string;
  name: string;
  scheme: InboundScheme;
  secret: string;
  action: string | null;
  created_at: number;
  secret_rotated_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = "id, project_id, name, scheme, secret, action, created_at, secret_rotated_at, revoked_at";
const optionalTime = (ms: number | null) => (ms === null ? null : isoTime(ms));
const actionOf = (row: EndpointRow) => parseJsonColumn(row.action, GitHubActionSchema, null, `inbound_endpoints ${row.id} action`);

function toView(row: EndpointRow): InboundEndpointView {
  return {
    id: row.id,
    name: row.name,
    scheme: row.scheme,
    action: actionOf(row),
    secretPrefix: secretDisplayPrefix(row.secret),
    createdAt: isoTime(row.created_at),
    secretRotatedAt: optionalTime(row.secret_rotated_at),
    revokedAt: optionalTime(row.revoked_at),
  };
}

export async function insertEndpoint(db: D1Database, endpoint: NewInboundEndpoint, now = Date.now()): Promise<InboundEndpointView> {
  const id = newId("hook");
  await db
    .prepare(`INSERT INTO inbound_endpoints (id, project_id, name, scheme, secret, action, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
    .bind(id, endpoint.projectId, endpoint.name, endpoint.scheme, endpoint.secret, endpoint.action === null ? null : JSON.stringify(endpoint.action), now)
    .run();
  const view = await getEndpoint(db, endpoint.projectId, id);
  if (!view) throw new Error(`inbound endpoint ${id} vanished after insert`);
  return view;
}

/** One endpoint of the project (revoked ones too); null for an unknown id or another project's. */
export async function getEndpoint(db: D1Database, projectId: string, id: string): Promise<InboundEndpointView | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM inbound_endpoints WHERE id = ?1 AND project_id = ?2`).bind(id, projectId).first<EndpointRow>();
  return row ? toView(row) : null;
}

/** The project's endpoints newest first, revoked ones included. */
export async function listEndpoints(db: D1Database, projectId: string, page: PageOptions): Promise<Page<InboundEndpointView>> {
  const [createdAt, id] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM inbound_endpoints WHERE project_id = ?4 AND created_at <= ?1 AND (created_at < ?1 OR id < ?2)
       ORDER BY created_at DESC, id DESC LIMIT ?3`,
    )
    .bind(createdAt, id, page.limit + 1, projectId)
    .all<EndpointRow>();
  return toPage(results, page.limit, toView, (row) => [row.created_at, row.id]);
}

/** Revokes an endpoint (a second revoke keeps the first time); null when the project has no such endpoint. */
export async function revokeEndpoint(db: D1Database, projectId: string, id: string, now = Date.now()): Promise<InboundEndpointView | null> {
  const [, read] = await db.batch<EndpointRow>([
    db.prepare("UPDATE inbound_endpoints SET revoked_at = ?3 WHERE id = ?1 AND project_id = ?2 AND revoked_at IS NULL").bind(id, projectId, now),
    db.prepare(`SELECT ${COLUMNS} FROM inbound_endpoints WHERE id = ?1 AND project_id = ?2`).bind(id, projectId),
  ]);
  const row = read?.results[0];
  return row ? toView(row) : null;
}

/**
 * Replaces the secret of an active endpoint, at once (the old one stops verifying).
 * "missing" for no such endpoint in the project, "revoked" for a revoked one.
 */
export async function rotateEndpointSecret(db: D1Database, projectId: string, id: string, secret: string, now = Date.now()): Promise<InboundEndpointView | "missing" | "revoked"> {
  const [update, read] = await db.batch<EndpointRow>([
    db.prepare("UPDATE inbound_endpoints SET secret = ?3, secret_rotated_at = ?4 WHERE id = ?1 AND project_id = ?2 AND revoked_at IS NULL").bind(id, projectId, secret, now),
    db.prepare(`SELECT ${COLUMNS} FROM inbound_endpoints WHERE id = ?1 AND project_id = ?2`).bind(id, projectId),
  ]);
  const row = read?.results[0];
  if (!row) return "missing";
  if (!update?.meta.changes) return "revoked";
  return toView(row);
}

/**
 * The endpoint a delivery is addressed to, in whichever project: the URL names it and
 * the signature proves the sender knows its secret. Null for an unknown id.
 */
export async function findEndpointForDelivery(db: D1Database, id: string): Promise<InboundEndpoint | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM inbound_endpoints WHERE id = ?1`).bind(id).first<EndpointRow>();
  if (!row) return null;
  return { id: row.id, projectId: row.project_id, scheme: row.scheme, secret: row.secret, action: actionOf(row), revoked: row.revoked_at !== null };
}
