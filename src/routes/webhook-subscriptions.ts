/**
 * `/v1/webhooks`: outbound webhooks, the service telling a project's own systems what
 * happened (a run started, a generation completed, a champion was promoted, ...).
 * Subscriptions live under /subscriptions, the delivery log under /deliveries
 * (webhook-deliveries.ts). A subscription's signing secret is shown in the answers that
 * create or rotate it, never again.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson, readQuery } from "../http/validate";
import { outboundUrlProblem } from "../security/outbound-url";
import { countDeliveriesByStatus, insertSingleDelivery } from "../storage/webhook-delivery-repo";
import {
  countSubscriptions,
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  rotateSubscriptionSecret,
  updateSubscription,
  type WebhookSubscription,
} from "../storage/webhook-subscription-repo";
import { ALL_EVENTS, TEST_EVENT_TYPE, testPayload } from "../webhooks/delivery-payload";
import { generateSecret } from "../webhooks/delivery-signature";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/event-types";
import { enqueueDeliveries } from "../webhooks/fan-out";
import { PageQuerySchema } from "./pagination";
import { webhookDeliveryRoutes } from "./webhook-deliveries";

/** Each event is sent once per subscription: a cap keeps one event from becoming an unbounded fan-out. */
export const MAX_SUBSCRIPTIONS_PER_PROJECT = 50;

const EVENT_CHOICES = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS] as const;
const eventList = `${WEBHOOK_EVENT_TYPES.join(", ")}, or "${ALL_EVENTS}" for all`;

const UrlSchema = z
  .string({ error: "is required: the http(s) URL to POST events to" })
  .trim()
  .min(1, "must not be empty")
  .max(2048, "must be at most 2048 characters");

const EventsSchema = z
  .array(z.enum(EVENT_CHOICES, { error: `must be one of ${eventList}` }), { error: `is required: a list of event types (${eventList})` })
  .min(1, `must name at least one event type (${eventList})`)
  .max(EVENT_CHOICES.length, `must name each event type at most once`)
  .refine((events) => !events.includes(ALL_EVENTS) || events.length === 1, `"${ALL_EVENTS}" already means every event; send it alone`);

const DescriptionSchema = z.string().trim().max(500, "must be at most 500 characters");

export const CreateSubscriptionSchema = z.strictObject({ url: UrlSchema, events: EventsSchema, description: DescriptionSchema.optional() });

export const UpdateSubscriptionSchema = z
  .strictObject({ url: UrlSchema.optional(), events: EventsSchema.optional(), description: DescriptionSchema.optional(), enabled: z.boolean({ error: "must be true or false" }).optional() })
  .refine((patch) => Object.keys(patch).length > 0, "must change at least one of url, events, description, enabled");

export const subscriptionRoutes = new Hono<HonoEnv>();

subscriptionRoutes.post("/", async (c) => {
  const body = await readJson(c, CreateSubscriptionSchema);
  const projectId = projectIdOf(c);
  const url = checkedUrl(c, body.url);
  if ((await countSubscriptions(c.env.DB, projectId)) >= MAX_SUBSCRIPTIONS_PER_PROJECT) {
    throw new AppError("conflict", `A project may have at most ${MAX_SUBSCRIPTIONS_PER_PROJECT} webhook subscriptions; delete one first (DELETE /v1/webhooks/subscriptions/:id).`);
  }
  const secret = generateSecret();
  const sub = await createSubscription(c.env.DB, { projectId, url, events: unique(body.events), description: body.description ?? "", secret });
  // The only answers that hold the secret: keep them out of every cache.
  return c.json({ ...sub, secret }, 201, { Location: `/v1/webhooks/subscriptions/${sub.id}`, "Cache-Control": "no-store" });
});

subscriptionRoutes.get("/", async (c) => c.json(await listSubscriptions(c.env.DB, projectIdOf(c), readQuery(c, PageQuerySchema))));

subscriptionRoutes.get("/:id", async (c) => c.json(await existingSubscription(c, c.req.param("id"))));

subscriptionRoutes.patch("/:id", async (c) => {
  const patch = await readJson(c, UpdateSubscriptionSchema);
  const id = c.req.param("id");
  const url = patch.url === undefined ? undefined : checkedUrl(c, patch.url);
  const events = patch.events === undefined ? undefined : unique(patch.events);
  const updated = await updateSubscription(c.env.DB, projectIdOf(c), id, { ...patch, url, events });
  if (!updated) throw subscriptionNotFound(id);
  return c.json(updated);
});

subscriptionRoutes.delete("/:id", async (c) => {
  const sub = await existingSubscription(c, c.req.param("id"));
  await deleteSubscription(c.env.DB, projectIdOf(c), sub.id);
  return c.json(sub);
});

subscriptionRoutes.post("/:id/rotate", async (c) => {
  const id = c.req.param("id");
  const secret = generateSecret();
  const sub = await rotateSubscriptionSecret(c.env.DB, projectIdOf(c), id, secret);
  if (!sub) throw subscriptionNotFound(id);
  return c.json({ ...sub, secret }, 200, { "Cache-Control": "no-store" });
});

/** A `webhook.test` ping to this subscription alone, through the same queue, signing and log as events. */
subscriptionRoutes.post("/:id/test", async (c) => {
  const sub = await existingSubscription(c, c.req.param("id"));
  if (!sub.enabled) throw new AppError("conflict", `Subscription '${sub.id}' is disabled; enable it first (PATCH with {"enabled": true}).`);
  const projectId = projectIdOf(c);
  const delivery = await insertSingleDelivery(c.env.DB, { projectId, subscriptionId: sub.id, eventType: TEST_EVENT_TYPE, payload: testPayload(sub.id, projectId, Date.now()) });
  await enqueueDeliveries(c.env.WEBHOOKS, [delivery.id]);
  return c.json(delivery, 202, { Location: `/v1/webhooks/deliveries/${delivery.id}` });
});

/** `/v1/webhooks`: what is configured, how deliveries stand, and where to look. */
export const outboundWebhookRoutes = new Hono<HonoEnv>();

outboundWebhookRoutes.get("/", async (c) => {
  const projectId = projectIdOf(c);
  const [subscriptions, deliveries] = await Promise.all([countSubscriptions(c.env.DB, projectId), countDeliveriesByStatus(c.env.DB, projectId)]);
  return c.json({
    subscriptions,
    deliveries,
    eventTypes: [...WEBHOOK_EVENT_TYPES],
    links: { subscriptions: "/v1/webhooks/subscriptions", deliveries: "/v1/webhooks/deliveries" },
  });
});
outboundWebhookRoutes.route("/subscriptions", subscriptionRoutes);
outboundWebhookRoutes.route("/deliveries", webhookDeliveryRoutes);

export function subscriptionNotFound(id: string): AppError {
  return new AppError("not_found", `No webhook subscription with id '${id}'. List them with GET /v1/webhooks/subscriptions.`);
}

async function existingSubscription(c: Context<HonoEnv>, id: string): Promise<WebhookSubscription> {
  const sub = await getSubscription(c.env.DB, projectIdOf(c), id);
  if (!sub) throw subscriptionNotFound(id);
  return sub;
}

/** The URL, or a 400 naming `url` when it may not be called (not http(s), credentials, a private address). */
function checkedUrl(c: Context<HonoEnv>, url: string): string {
  const problem = outboundUrlProblem(url, c.env);
  if (problem) throw new AppError("invalid_request", `Invalid request body: url: ${problem}`, [{ path: "url", message: problem }]);
  return url;
}

const unique = (events: string[]) => [...new Set(events)];
