/**
 * Outbound webhooks (`/v1/webhooks`: subscriptions and the delivery log) as OpenAPI path
 * items; see paths.ts for how the table is checked against the app's routes.
 */
import { PageQuerySchema } from "../routes/pagination";
import { ListDeliveriesQuerySchema } from "../routes/webhook-deliveries";
import { CreateSubscriptionSchema, UpdateSubscriptionSchema } from "../routes/webhook-subscriptions";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/event-types";
import { queryParameters } from "./json-schema";
import { BODY_ERRORS, body, errors, json, paging, path, schemaRef } from "./paths";

const tags = ["webhooks"];
/** 409 is not among the shared error responses; these routes are the ones that answer it. */
const conflict = (description: string) => ({ 409: { description: `conflict: ${description}`, content: { "application/json": { schema: schemaRef("Error") } } } });

const SIGNING =
  "Each delivery is a POST of `{type, timestamp, data}` signed per Standard Webhooks (https://www.standardwebhooks.com): headers `webhook-id` (the event id, the same on every retry), " +
  "`webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`; two signatures for a day after a rotation). Any 2xx acknowledges it; anything else, a timeout (10 s) or a redirect " +
  `is retried with exponential backoff and jitter (10 s, 30 s, 2 min, 10 min, ... up to 10 attempts in about 16 h, honouring Retry-After on 429 and 503). Events: ${WEBHOOK_EVENT_TYPES.join(", ")}.`;

export function webhookSubscriptionPaths() {
  const subId = path("id", "A subscription id (sub_…).");
  const deliveryId = path("id", "A delivery id (dlv_…).");
  return {
    "/v1/webhooks": {
      get: { tags, operationId: "webhooksIndex", summary: "Outbound webhooks at a glance", responses: { 200: json("Subscription and delivery counts, the event types, and links.", "WebhooksIndex") } },
    },
    "/v1/webhooks/subscriptions": {
      post: {
        tags,
        operationId: "createWebhookSubscription",
        summary: "Subscribe a URL to events",
        description: `${SIGNING} The URL must be a public http(s) address. The response holds the signing secret, the only time it is shown.`,
        requestBody: body(CreateSubscriptionSchema),
        responses: {
          201: json("The subscription with its secret.", "WebhookSubscriptionWithSecret", { Location: "/v1/webhooks/subscriptions/{id}", "Cache-Control": "no-store" }),
          ...errors(...BODY_ERRORS),
          ...conflict("the project has the most subscriptions it may have."),
        },
      },
      get: {
        tags,
        operationId: "listWebhookSubscriptions",
        summary: "List subscriptions, newest first",
        parameters: queryParameters(PageQuerySchema, paging),
        responses: { 200: json("A page of subscriptions (without secrets).", "WebhookSubscriptionPage"), ...errors(400) },
      },
    },
    "/v1/webhooks/subscriptions/{id}": {
      get: { tags, operationId: "getWebhookSubscription", summary: "Read a subscription", parameters: [subId], responses: { 200: json("The subscription (without its secret).", "WebhookSubscription"), ...errors(404) } },
      patch: {
        tags,
        operationId: "updateWebhookSubscription",
        summary: "Change a subscription's URL, events, description or enabled flag",
        description: "Disabling stops new deliveries; pending ones fail with a note and can be retried once it is enabled again.",
        parameters: [subId],
        requestBody: body(UpdateSubscriptionSchema),
        responses: { 200: json("The subscription as changed.", "WebhookSubscription"), ...errors(...BODY_ERRORS, 404) },
      },
      delete: {
        tags,
        operationId: "deleteWebhookSubscription",
        summary: "Delete a subscription and its delivery log",
        parameters: [subId],
        responses: { 200: json("The subscription as it was.", "WebhookSubscription"), ...errors(404) },
      },
    },
    "/v1/webhooks/subscriptions/{id}/rotate": {
      post: {
        tags,
        operationId: "rotateWebhookSecret",
        summary: "Replace the signing secret",
        description: "Deliveries carry signatures by the new and the old secret for 24 hours, then by the new one only.",
        parameters: [subId],
        responses: { 200: json("The subscription with its new secret, shown this once.", "WebhookSubscriptionWithSecret", { "Cache-Control": "no-store" }), ...errors(404) },
      },
    },
    "/v1/webhooks/subscriptions/{id}/test": {
      post: {
        tags,
        operationId: "testWebhookSubscription",
        summary: "Send a webhook.test ping",
        description: "Queues one signed `webhook.test` delivery to this subscription; follow it at Location.",
        parameters: [subId],
        responses: { 202: json("The queued delivery.", "WebhookDelivery", { Location: "/v1/webhooks/deliveries/{id}" }), ...errors(404), ...conflict("the subscription is disabled.") },
      },
    },
    "/v1/webhooks/deliveries": {
      get: {
        tags,
        operationId: "listWebhookDeliveries",
        summary: "The delivery log, newest first",
        parameters: queryParameters(ListDeliveriesQuerySchema, { ...paging, subscriptionId: "Only this subscription's.", status: "Only deliveries in this state.", eventType: "Only this event type." }),
        responses: { 200: json("A page of deliveries.", "WebhookDeliveryPage"), ...errors(400) },
      },
    },
    "/v1/webhooks/deliveries/{id}": {
      get: { tags, operationId: "getWebhookDelivery", summary: "One delivery with its payload and attempts", parameters: [deliveryId], responses: { 200: json("The delivery.", "WebhookDeliveryDetail"), ...errors(404) } },
    },
    "/v1/webhooks/deliveries/{id}/retry": {
      post: {
        tags,
        operationId: "retryWebhookDelivery",
        summary: "Retry a failed delivery",
        description: "Starts a new round of attempts with the same event id (so a receiver that did get it can drop it).",
        parameters: [deliveryId],
        responses: {
          202: json("The delivery, pending again.", "WebhookDelivery", { Location: "/v1/webhooks/deliveries/{id}" }),
          ...errors(404),
          ...conflict("the delivery is not failed, or its subscription is disabled."),
        },
      },
    },
  };
}
