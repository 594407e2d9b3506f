/**
 * The delivery log as the API shows it: a project's deliveries newest first, one with
 * its payload and attempts, and the writes a person asks for (retry a failed delivery,
 * send a test ping). The consumer's writes are in webhook-delivery-claims.ts.
 */
import { z } from "zod";
import { newId } from "../ids";
import { MAX_ATTEMPTS } from "../webhooks/delivery-backoff";
import { CreatedCursorSchema, type Page, type PageOptions, decodeCursor, toPage } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Attempts made, over every round. */
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when no response came (timeout, connection refused). */
  status: number | null;
  /** Null when the attempt delivered. */
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  /** The body as sent: `{type, timestamp, data}`. */
  payload: unknown;
  attemptLog: DeliveryAttempt[];
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload?: string;
  status: DeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
}

interface AttemptRow {
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const LIST_COLUMNS = "id, subscription_id, event_id, event_type, status, attempts, last_status, last_error, next_attempt_at, created_at, delivered_at";

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: row.status === "pending" ? isoTime(row.next_attempt_at) : null,
    createdAt: isoTime(row.created_at),
    deliveredAt: row.delivered_at === null ? null : isoTime(row.delivered_at),
  };
}

const toAttempt = (row: AttemptRow): DeliveryAttempt => ({ attempt: row.attempt, at: isoTime(row.at), status: row.status, error: row.error, durationMs: row.duration_ms });

export interface DeliveryFilter {
  subscriptionId?: string | undefined;
  status?: DeliveryStatus | undefined;
  eventType?: string | undefined;
}

/** The project's deliveries, newest first, optionally of one subscription, status or event type. */
export async function listDeliveries(db: D1Database, projectId: string, query: PageOptions & DeliveryFilter): Promise<Page<WebhookDelivery>> {
  const where = ["project_id = ?"];
  const params: Array<string | number> = [projectId];
  if (query.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(query.cursor, CreatedCursorSchema);
    where.push("created_at <= ? AND (created_at < ? OR id < ?)");
    params.push(createdAt, createdAt, id);
  }
  for (const [column, value] of [["subscription_id", query.subscriptionId], ["status", query.status], ["event_type", query.eventType]] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const { results } = await db
    .prepare(`SELECT ${LIST_COLUMNS} FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...params, query.limit + 1)
    .all<DeliveryRow>();
  return toPage(results, query.limit, toDelivery, (row) => [row.created_at, row.id]);
}

/** A delivery of the project with its payload and attempts, or null (another project's is unknown). */
export async function getDelivery(db: D1Database, projectId: string, id: string): Promise<WebhookDeliveryDetail | null> {
  const [deliveries, attempts] = await db.batch<DeliveryRow | AttemptRow>([
    db.prepare(`SELECT ${LIST_COLUMNS}, payload FROM webhook_deliveries WHERE id = ?1 AND project_id = ?2`).bind(id, projectId),
    db
      .prepare(
        `SELECT attempt, at, status, error, duration_ms FROM webhook_delivery_attempts
         WHERE delivery_id = ?1 AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = ?1 AND d.project_id = ?2) ORDER BY attempt`,
      )
      .bind(id, projectId),
  ]);
  const row = deliveries?.results[0] as DeliveryRow | undefined;
  if (!row) return null;
  return {
    ...toDelivery(row),
    payload: parseJsonColumn(row.payload ?? null, z.unknown(), null, `webhook_deliveries.payload of ${row.id}`),
    attemptLog: ((attempts?.results ?? []) as AttemptRow[]).map(toAttempt),
  };
}

/**
 * Puts a failed delivery back to pending for a new round of attempts; null when it is not
 * (or no longer) failed, so two retries at once requeue it once.
 */
export async function requeueFailedDelivery(db: D1Database, projectId: string, id: string, now = Date.now()): Promise<WebhookDelivery | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', attempt_limit = attempts + ?3, next_attempt_at = ?4, claimed_until = NULL
       WHERE id = ?1 AND project_id = ?2 AND status = 'failed' RETURNING ${LIST_COLUMNS}`,
    )
    .bind(id, projectId, MAX_ATTEMPTS, now)
    .first<DeliveryRow>();
  return row ? toDelivery(row) : null;
}

/** A one-off delivery to one subscription (a test ping), pending now. */
export async function insertSingleDelivery(
  db: D1Database,
  delivery: { projectId: string; subscriptionId: string; eventType: string; payload: string },
  now = Date.now(),
): Promise<WebhookDelivery> {
  const id = newId("dlv");
  const eventId = newId("evt_test");
  await db
    .prepare(
      `INSERT INTO webhook_deliveries (id, subscription_id, project_id, event_id, event_type, payload, attempt_limit, next_attempt_at, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)`,
    )
    .bind(id, delivery.subscriptionId, delivery.projectId, eventId, delivery.eventType, delivery.payload, MAX_ATTEMPTS, now)
    .run();
  return toDelivery({
    id,
    subscription_id: delivery.subscriptionId,
    event_id: eventId,
    event_type: delivery.eventType,
    status: "pending",
    attempts: 0,
    last_status: null,
    last_error: null,
    next_attempt_at: now,
    created_at: now,
    delivered_at: null,
  });
}

/** How many of the project's deliveries are in each status. */
export async function countDeliveriesByStatus(db: D1Database, projectId: string): Promise<Record<DeliveryStatus, number>> {
  const { results } = await db
    .prepare("SELECT status, count(*) AS n FROM webhook_deliveries WHERE project_id = ?1 GROUP BY status")
    .bind(projectId)
    .all<{ status: DeliveryStatus; n: number }>();
  const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const { status, n } of results) if (status in counts) counts[status] = n;
  return counts;
}
