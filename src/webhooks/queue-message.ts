/**
 * What travels on the WEBHOOKS queue. An `event` is something that happened (from a run's
 * Durable Object, or a project-level check); its consumer records one delivery per
 * matching subscription and enqueues a `deliver` message for each, so that a slow or
 * failing receiver is retried on its own without sending the event twice to the others.
 */
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

export const WebhookEventMessageSchema = z.object({
  kind: z.literal("event"),
  /** Deterministic (run id and what happened), so a replayed outbox entry is the same event. */
  eventId: z.string().min(1).max(200),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  at: z.number(),
  /** Set for project-level events; a run's events name the run and the consumer finds its project. */
  projectId: z.string().optional(),
  runId: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEventMessage = z.infer<typeof WebhookEventMessageSchema>;

export const WebhookDeliverMessageSchema = z.object({
  kind: z.literal("deliver"),
  deliveryId: z.string().min(1).max(200),
});
export type WebhookDeliverMessage = z.infer<typeof WebhookDeliverMessageSchema>;

export const WebhookQueueMessageSchema = z.discriminatedUnion("kind", [WebhookEventMessageSchema, WebhookDeliverMessageSchema]);
export type WebhookQueueMessage = z.infer<typeof WebhookQueueMessageSchema>;
