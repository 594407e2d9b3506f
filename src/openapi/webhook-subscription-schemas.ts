/**
 * Response schemas of the outbound webhook routes (`/v1/webhooks`), hand-written like
 * response-schemas.ts and tied to the repositories' types at compile time.
 */
import { z } from "zod";
import { DELIVERY_STATUSES, type DeliveryAttempt, type WebhookDelivery, type WebhookDeliveryDetail } from "../storage/webhook-delivery-repo";
import type { WebhookSubscription } from "../storage/webhook-subscription-repo";
import type { Same } from "./response-schemas";

const int = () => z.number().int();
const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC" });
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const WebhookSubscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).meta({ description: 'The event types it receives; ["*"] for all.' }),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string().meta({ description: "Sent as `webhook-id`, the same on every attempt: receivers drop duplicates by it." }),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: int().meta({ description: "Attempts made, manual retries included." }),
  lastStatus: int().nullable().meta({ description: "The receiver's last HTTP status; null when none answered." }),
  lastError: z.string().nullable(),
  nextAttemptAt: timestamp().nullable().meta({ description: "When the next attempt is due; null unless pending." }),
  createdAt: timestamp(),
  deliveredAt: timestamp().nullable(),
});

const DeliveryAttemptSchema = z.object({ attempt: int(), at: timestamp(), status: int().nullable(), error: z.string().nullable(), durationMs: int() });

export const WebhookDeliveryDetailSchema = WebhookDeliverySchema.extend({
  payload: z.unknown().meta({ description: "The body as sent: `{type, timestamp, data}` (Standard Webhooks)." }),
  attemptLog: z.array(DeliveryAttemptSchema),
});

/** Named response schemas for `components.schemas`. */
export const WEBHOOK_SUBSCRIPTION_SCHEMAS = {
  WebhookSubscription: WebhookSubscriptionSchema,
  WebhookSubscriptionPage: page(WebhookSubscriptionSchema),
  WebhookSubscriptionWithSecret: WebhookSubscriptionSchema.extend({
    secret: z.string().meta({ description: "The signing secret (whsec_…): shown in this response only. Verify deliveries with any Standard Webhooks library." }),
  }),
  WebhookDelivery: WebhookDeliverySchema,
  WebhookDeliveryPage: page(WebhookDeliverySchema),
  WebhookDeliveryDetail: WebhookDeliveryDetailSchema,
  WebhooksIndex: z.object({
    subscriptions: int(),
    deliveries: z.object({ pending: int(), delivered: int(), failed: int() }),
    eventTypes: z.array(z.string()),
    links: z.object({ subscriptions: z.string(), deliveries: z.string() }),
  }),
} satisfies Record<string, z.ZodType>;

// Compile-time: each schema says exactly what its route's value is typed as.
const typesAgree: [
  Same<z.infer<typeof WebhookSubscriptionSchema>, WebhookSubscription>,
  Same<z.infer<typeof WebhookDeliverySchema>, WebhookDelivery>,
  Same<z.infer<typeof DeliveryAttemptSchema>, DeliveryAttempt>,
  Same<z.infer<typeof WebhookDeliveryDetailSchema>, WebhookDeliveryDetail>,
] = [true, true, true, true];
void typesAgree;
