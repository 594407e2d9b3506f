/**
 * The consumer's side of the delivery log. Queues deliver at least once and a replayed
 * event enqueues its pending deliveries again, so two `deliver` messages may name the same
 * delivery: an attempt starts only by claiming the row (pending, due, not claimed), in one
 * UPDATE, and the message that loses the claim waits until the row is due again instead.
 */
import { newId } from "../ids";
import type { AttemptDecision } from "../webhooks/delivery-outcome";
import { MAX_ATTEMPTS } from "../webhooks/delivery-backoff";
import type { DeliveryStatus } from "./webhook-delivery-repo";

/** How long a claim holds: well past the request timeout, so a crashed attempt frees the row again. */
export const CLAIM_MS = 60_000;

export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
  attemptLimit: number;
}

export interface EventDeliveries {
  projectId: string;
  eventId: string;
  eventType: string;
  payload: string;
  subscriptionIds: string[];
}

/**
 * Records one pending delivery per subscription (a replayed event adds none) and returns
 * the ids of the event's deliveries never attempted nor claimed: those that may still
 * lack a `deliver` message, because an earlier try stopped before sending it.
 */
export async function recordEventDeliveries(db: D1Database, event: EventDeliveries, now = Date.now()): Promise<string[]> {
  const inserts = event.subscriptionIds.map((subscriptionId) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (id, subscription_id, project_id, event_id, event_type, payload, attempt_limit, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)`,
      )
      .bind(newId("dlv"), subscriptionId, event.projectId, event.eventId, event.eventType, event.payload, MAX_ATTEMPTS, now),
  );
  const select = db
    .prepare("SELECT id FROM webhook_deliveries WHERE event_id = ?1 AND project_id = ?2 AND status = 'pending' AND attempts = 0 AND claimed_until IS NULL")
    .bind(event.eventId, event.projectId);
  const results = await db.batch<{ id: string }>([...inserts, select]);
  return (results.at(-1)?.results ?? []).map((row) => row.id);
}

/** Claims a pending, due, unclaimed delivery for one attempt; null when it is not to be attempted now. */
export async function claimDelivery(db: D1Database, id: string, now = Date.now()): Promise<ClaimedDelivery | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_deliveries SET claimed_until = ?2 + ?3
       WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2 AND (claimed_until IS NULL OR claimed_until <= ?2)
       RETURNING id, subscription_id, event_id, payload, attempts, attempt_limit`,
    )
    .bind(id, now, CLAIM_MS)
    .first<{ id: string; subscription_id: string; event_id: string; payload: string; attempts: number; attempt_limit: number }>();
  if (!row) return null;
  return { id: row.id, subscriptionId: row.subscription_id, eventId: row.event_id, payload: row.payload, attempts: row.attempts, attemptLimit: row.attempt_limit };
}

/** Where an unclaimable delivery stands: settled (or gone), or when it may be attempted next. */
export async function deliveryWait(db: D1Database, id: string): Promise<{ status: DeliveryStatus; notBefore: number } | null> {
  const row = await db
    .prepare("SELECT status, next_attempt_at, claimed_until FROM webhook_deliveries WHERE id = ?1")
    .bind(id)
    .first<{ status: DeliveryStatus; next_attempt_at: number; claimed_until: number | null }>();
  return row ? { status: row.status, notBefore: Math.max(row.next_attempt_at, row.claimed_until ?? 0) } : null;
}

export interface AttemptRecord {
  /** This attempt's number over every round (1 = the first). */
  attempt: number;
  at: number;
  status: number | null;
  durationMs: number;
}

/** Writes an attempt and what it decided, and releases the claim. */
export async function recordAttempt(db: D1Database, id: string, record: AttemptRecord, decision: AttemptDecision, now = Date.now()): Promise<void> {
  const error = decision.status === "delivered" ? null : decision.error;
  const next = decision.status === "pending" ? now + decision.delaySeconds * 1000 : now;
  await db.batch([
    db
      .prepare(
        `UPDATE webhook_deliveries SET status = ?2, attempts = ?3, last_status = ?4, last_error = ?5, next_attempt_at = ?6, claimed_until = NULL,
           delivered_at = CASE WHEN ?2 = 'delivered' THEN ?7 ELSE delivered_at END
         WHERE id = ?1`,
      )
      .bind(id, decision.status, record.attempt, record.status, error, next, now),
    db
      .prepare("INSERT OR REPLACE INTO webhook_delivery_attempts (delivery_id, attempt, at, status, error, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(id, record.attempt, record.at, record.status, error, record.durationMs),
  ]);
}

/**
 * Pending deliveries past due by `stalledMs` and not being attempted: their queue message
 * was lost (a consumer that kept failing, a local queue restarted). Marks them due now, so
 * the next sweep leaves them alone while the message sent for them is on its way.
 */
export async function takeStalledDeliveries(db: D1Database, now: number, stalledMs: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE webhook_deliveries SET next_attempt_at = ?1
       WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at < ?1 - ?2 AND (claimed_until IS NULL OR claimed_until < ?1) LIMIT ?3)
       RETURNING id`,
    )
    .bind(now, stalledMs, limit)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}

/** Fails a pending delivery without an attempt (its subscription was disabled or deleted, its URL is refused). */
export async function failWithoutAttempt(db: D1Database, id: string, error: string): Promise<void> {
  await db.prepare("UPDATE webhook_deliveries SET status = 'failed', last_error = ?2, claimed_until = NULL WHERE id = ?1 AND status = 'pending'").bind(id, error).run();
}
