/**
 * The log of inbound webhook deliveries, which is also their replay protection: a
 * delivery is acted on only if inserting its claiming row succeeded, and the unique
 * indexes of migrations/0006 let only one claiming row per id (and, for GitHub, per
 * body) exist per endpoint. Bodies are never stored.
 */
import { z } from "zod";
import { newId } from "../ids";
import { type Page, type PageOptions, decodeCursor, toPage } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";

export const DELIVERY_OUTCOMES = ["processing", "accepted", "duplicate", "ignored", "rejected", "failed"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
export type DeliveryAction = "run.start" | "examples.append" | "ping";

/** What the log says about one delivery. */
export interface DeliveryFacts {
  outcome: DeliveryOutcome;
  httpStatus: number;
  action: DeliveryAction | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** A delivery as received: who for, the id the sender gave, and when. */
export interface DeliveryReceipt {
  endpointId: string;
  projectId: string;
  webhookId: string | null;
  event: string | null;
  receivedAt: number;
}

export interface InboundDeliveryView extends Omit<DeliveryFacts, "httpStatus"> {
  id: string;
  /** Null while the delivery is still `processing`. */
  httpStatus: number | null;
  endpointId: string;
  webhookId: string | null;
  event: string | null;
  receivedAt: string;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  webhook_id: string | null;
  event: string | null;
  received_at: number;
  outcome: DeliveryOutcome;
  http_status: number | null;
  action: DeliveryAction | null;
  result: string | null;
  error: string | null;
}

const COLUMNS = "id, endpoint_id, webhook_id, event, received_at, outcome, http_status, action, result, error";
const ResultSchema = z.record(z.string(), z.unknown());
/** Long enough for any message of ours; a log line, not a place for a whole response. */
const MAX_ERROR_LENGTH = 2000;

function toView(row: DeliveryRow): InboundDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    webhookId: row.webhook_id,
    event: row.event,
    receivedAt: isoTime(row.received_at),
    outcome: row.outcome,
    httpStatus: row.http_status,
    action: row.action,
    result: parseJsonColumn(row.result, ResultSchema, null, `inbound_deliveries ${row.id} result`),
    error: row.error,
  };
}

const json = (value: Record<string, unknown> | null) => (value === null ? null : JSON.stringify(value));
const clip = (error: string | null) => (error === null ? null : error.slice(0, MAX_ERROR_LENGTH));

/** Logs a delivery that will not be acted on (refused, or a duplicate). Returns its id. */
export async function recordDelivery(db: D1Database, receipt: DeliveryReceipt, facts: DeliveryFacts): Promise<string> {
  const id = newId("hkd");
  await db
    .prepare(
      `INSERT INTO inbound_deliveries (id, endpoint_id, project_id, webhook_id, event, received_at, outcome, http_status, action, result, error)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(id, receipt.endpointId, receipt.projectId, receipt.webhookId, receipt.event, receipt.receivedAt, facts.outcome, facts.httpStatus, facts.action, json(facts.result), clip(facts.error))
    .run();
  return id;
}

/**
 * Logs a verified delivery as `processing` and claims its id (and body digest) against
 * replays, in one INSERT: the id of the new row, or null when another delivery holds
 * the claim, i.e. this one is a replay and must not be acted on.
 */
export async function claimDelivery(db: D1Database, receipt: DeliveryReceipt & { webhookId: string; bodySha256: string | null }, action: DeliveryAction | null): Promise<string | null> {
  const id = newId("hkd");
  const result = await db
    .prepare(
      `INSERT INTO inbound_deliveries (id, endpoint_id, project_id, webhook_id, body_sha256, claimed, event, received_at, outcome, action)
       VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, 'processing', ?8) ON CONFLICT DO NOTHING`,
    )
    .bind(id, receipt.endpointId, receipt.projectId, receipt.webhookId, receipt.bodySha256, receipt.event, receipt.receivedAt, action)
    .run();
  return result.meta.changes === 1 ? id : null;
}

/** The delivery holding the claim a replay ran into: its id, outcome and result, for the replay's answer. */
export async function findClaim(db: D1Database, endpointId: string, webhookId: string, bodySha256: string | null): Promise<InboundDeliveryView | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM inbound_deliveries WHERE endpoint_id = ?1 AND claimed = 1 AND (webhook_id = ?2 OR body_sha256 = ?3) LIMIT 1`)
    .bind(endpointId, webhookId, bodySha256)
    .first<DeliveryRow>();
  return row ? toView(row) : null;
}

/**
 * Records how a claimed delivery ended. `keepClaim` false gives the claim back (the
 * action was refused or failed): the sender's retry with the same id is then acted on.
 */
export async function finishDelivery(db: D1Database, id: string, facts: DeliveryFacts, keepClaim: boolean): Promise<void> {
  await db
    .prepare(`UPDATE inbound_deliveries SET outcome = ?2, http_status = ?3, action = ?4, result = ?5, error = ?6, claimed = CASE WHEN ?7 THEN claimed ELSE 0 END WHERE id = ?1`)
    .bind(id, facts.outcome, facts.httpStatus, facts.action, json(facts.result), clip(facts.error), keepClaim ? 1 : 0)
    .run();
}

/** Newest first: the sort key is (received_at, id). */
const ReceivedCursorSchema = z.tuple([z.number().int(), z.string().min(1)]);

/** A page of an endpoint's deliveries, newest first; empty for another project's endpoint. */
export async function listDeliveries(db: D1Database, projectId: string, endpointId: string, page: PageOptions): Promise<Page<InboundDeliveryView>> {
  const [receivedAt, id] = page.cursor === undefined ? [Number.MAX_SAFE_INTEGER, ""] : decodeCursor(page.cursor, ReceivedCursorSchema);
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM inbound_deliveries
       WHERE endpoint_id = ?4 AND project_id = ?5 AND received_at <= ?1 AND (received_at < ?1 OR id < ?2)
       ORDER BY received_at DESC, id DESC LIMIT ?3`,
    )
    .bind(receivedAt, id, page.limit + 1, endpointId, projectId)
    .all<DeliveryRow>();
  return toPage(results, page.limit, toView, (row) => [row.received_at, row.id]);
}
