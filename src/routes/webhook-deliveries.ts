/**
 * `/v1/webhooks/deliveries`: the delivery log of a project's outbound webhooks, newest
 * first, one delivery with its payload and every attempt, and a manual retry of one that
 * failed (a new round of attempts, under the same event id).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readQuery } from "../http/validate";
import { DELIVERY_STATUSES, getDelivery, listDeliveries, requeueFailedDelivery, type WebhookDeliveryDetail } from "../storage/webhook-delivery-repo";
import { getSubscription } from "../storage/webhook-subscription-repo";
import { TEST_EVENT_TYPE } from "../webhooks/delivery-payload";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/event-types";
import { enqueueDeliveries } from "../webhooks/fan-out";
import { PageQuerySchema } from "./pagination";

const EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const;

export const ListDeliveriesQuerySchema = PageQuerySchema.extend({
  subscriptionId: z.string().min(1, "must not be empty; omit it for every subscription").optional(),
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(", ")}` }).optional(),
  eventType: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(", ")}` }).optional(),
});

export const webhookDeliveryRoutes = new Hono<HonoEnv>();

webhookDeliveryRoutes.get("/", async (c) => c.json(await listDeliveries(c.env.DB, projectIdOf(c), readQuery(c, ListDeliveriesQuerySchema))));

webhookDeliveryRoutes.get("/:id", async (c) => c.json(await existingDelivery(c, c.req.param("id"))));

webhookDeliveryRoutes.post("/:id/retry", async (c) => {
  const projectId = projectIdOf(c);
  const delivery = await existingDelivery(c, c.req.param("id"));
  if (delivery.status !== "failed") {
    throw new AppError("conflict", `Delivery '${delivery.id}' is ${delivery.status}; only a failed delivery can be retried.`);
  }
  const sub = await getSubscription(c.env.DB, projectId, delivery.subscriptionId);
  if (!sub?.enabled) {
    throw new AppError("conflict", `Subscription '${delivery.subscriptionId}' is disabled; enable it first (PATCH /v1/webhooks/subscriptions/${delivery.subscriptionId} with {"enabled": true}).`);
  }
  const requeued = await requeueFailedDelivery(c.env.DB, projectId, delivery.id);
  if (!requeued) throw new AppError("conflict", `Delivery '${delivery.id}' is no longer failed; it is being retried already.`);
  await enqueueDeliveries(c.env.WEBHOOKS, [requeued.id]);
  return c.json(requeued, 202, { Location: `/v1/webhooks/deliveries/${requeued.id}` });
});

async function existingDelivery(c: Context<HonoEnv>, id: string): Promise<WebhookDeliveryDetail> {
  const delivery = await getDelivery(c.env.DB, projectIdOf(c), id);
  if (!delivery) throw new AppError("not_found", `No webhook delivery with id '${id}'. List them with GET /v1/webhooks/deliveries.`);
  return delivery;
}
