/**
 * A project's outbound webhook subscriptions. The signing secret is stored (every
 * delivery is signed with it) but nothing this module returns to the API contains it:
 * routes show a secret only in the answer that creates or rotates it.
 */
import { z } from "zod";
import { newId } from "../ids";
import { ROTATION_GRACE_MS } from "../webhooks/delivery-signature";
import { BEFORE_CURSOR, type Page, type PageOptions, toPage, newestFirstKey } from "./cursor";
import { isoTime, parseJsonColumn } from "./json-column";

/** A subscription as the API shows it (no secret). */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the consumer needs to send a delivery: the target and the secrets. Never returned by a route. */
export interface SubscriptionTarget {
  id: string;
  url: string;
  enabled: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
}

interface SubscriptionRow {
  id: string;
  project_id: string;
  url: string;
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  description: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

const VIEW_COLUMNS = "id, url, events, description, enabled, created_at, updated_at";

function toSubscription(row: Pick<SubscriptionRow, "id" | "url" | "events" | "description" | "enabled" | "created_at" | "updated_at">): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    events: parseEvents(row.events, row.id),
    description: row.description,
    enabled: row.enabled === 1,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

function parseEvents(text: string, id: string): string[] {
  return parseJsonColumn(text, z.array(z.string()), [], `webhook_subscriptions.events of ${id}`);
}

export interface NewSubscription {
  projectId: string;
  url: string;
  events: string[];
  description: string;
  secret: string;
}

export async function createSubscription(db: D1Database, sub: NewSubscription, now = Date.now()): Promise<WebhookSubscription> {
  const id = newId("sub");
  await db
    .prepare(
      `INSERT INTO webhook_subscriptions (id, project_id, url, events, secret, description, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)`,
    )
    .bind(id, sub.projectId, sub.url, JSON.stringify(sub.events), sub.secret, sub.description, now)
    .run();
  return { id, url: sub.url, events: sub.events, description: sub.description, enabled: true, createdAt: isoTime(now), updatedAt: isoTime(now) };
}

export async function countSubscriptions(db: D1Database, projectId: string): Promise<number> {
  return (await db.prepare("SELECT count(*) AS n FROM webhook_subscriptions WHERE project_id = ?1").bind(projectId).first<number>("n")) ?? 0;
}

/** The project's subscriptions, newest first. */
export async function listSubscriptions(db: D1Database, projectId: string, page: PageOptions): Promise<Page<WebhookSubscription>> {
  const [createdAt, id] = newestFirstKey(page.cursor);
  const { results } = await db
    .prepare(`SELECT ${VIEW_COLUMNS} FROM webhook_subscriptions WHERE project_id = ?3 AND ${BEFORE_CURSOR} ORDER BY created_at DESC, id DESC LIMIT ?4`)
    .bind(createdAt, id, projectId, page.limit + 1)
    .all<SubscriptionRow>();
  return toPage(results, page.limit, toSubscription, (row) => [row.created_at, row.id]);
}

/** A subscription of the project, or null (another project's is unknown). */
export async function getSubscription(db: D1Database, projectId: string, id: string): Promise<WebhookSubscription | null> {
  const row = await db.prepare(`SELECT ${VIEW_COLUMNS} FROM webhook_subscriptions WHERE id = ?1 AND project_id = ?2`).bind(id, projectId).first<SubscriptionRow>();
  return row ? toSubscription(row) : null;
}

export interface SubscriptionPatch {
  url?: string | undefined;
  events?: string[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/** Applies the fields given; null when the project has no such subscription. */
export async function updateSubscription(db: D1Database, projectId: string, id: string, patch: SubscriptionPatch, now = Date.now()): Promise<WebhookSubscription | null> {
  const sets: string[] = ["updated_at = ?3"];
  const params: Array<string | number> = [id, projectId, now];
  const set = (column: string, value: string | number) => {
    params.push(value);
    sets.push(`${column} = ?${params.length}`);
  };
  if (patch.url !== undefined) set("url", patch.url);
  if (patch.events !== undefined) set("events", JSON.stringify(patch.events));
  if (patch.description !== undefined) set("description", patch.description);
  if (patch.enabled !== undefined) set("enabled", patch.enabled ? 1 : 0);
  const row = await db
    .prepare(`UPDATE webhook_subscriptions SET ${sets.join(", ")} WHERE id = ?1 AND project_id = ?2 RETURNING ${VIEW_COLUMNS}`)
    .bind(...params)
    .first<SubscriptionRow>();
  return row ? toSubscription(row) : null;
}

/** Replaces the secret; the old one keeps signing for ROTATION_GRACE_MS. Null when the project has no such subscription. */
export async function rotateSubscriptionSecret(db: D1Database, projectId: string, id: string, secret: string, now = Date.now()): Promise<WebhookSubscription | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_expires_at = ?4, secret = ?3, updated_at = ?5
       WHERE id = ?1 AND project_id = ?2 RETURNING ${VIEW_COLUMNS}`,
    )
    .bind(id, projectId, secret, now + ROTATION_GRACE_MS, now)
    .first<SubscriptionRow>();
  return row ? toSubscription(row) : null;
}

/** Deletes a subscription with its delivery log; false when the project has no such subscription. */
export async function deleteSubscription(db: D1Database, projectId: string, id: string): Promise<boolean> {
  const results = await db.batch([
    db
      .prepare("DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE subscription_id = ?1 AND project_id = ?2)")
      .bind(id, projectId),
    db.prepare("DELETE FROM webhook_deliveries WHERE subscription_id = ?1 AND project_id = ?2").bind(id, projectId),
    db.prepare("DELETE FROM webhook_subscriptions WHERE id = ?1 AND project_id = ?2").bind(id, projectId),
  ]);
  return (results[2]?.meta.changes ?? 0) > 0;
}

/** The project's enabled subscriptions with the events each listens to (for fanning out an event). */
export async function enabledSubscriptions(db: D1Database, projectId: string): Promise<Array<{ id: string; events: string[] }>> {
  const { results } = await db
    .prepare("SELECT id, events FROM webhook_subscriptions WHERE project_id = ?1 AND enabled = 1")
    .bind(projectId)
    .all<Pick<SubscriptionRow, "id" | "events">>();
  return results.map((row) => ({ id: row.id, events: parseEvents(row.events, row.id) }));
}

/** The target and secrets of a subscription, for the consumer; null when it is gone. */
export async function subscriptionTarget(db: D1Database, id: string): Promise<SubscriptionTarget | null> {
  const row = await db
    .prepare("SELECT id, url, enabled, secret, previous_secret, previous_secret_expires_at FROM webhook_subscriptions WHERE id = ?1")
    .bind(id)
    .first<SubscriptionRow>();
  if (!row) return null;
  return {
    id: row.id,
    url: row.url,
    enabled: row.enabled === 1,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}
