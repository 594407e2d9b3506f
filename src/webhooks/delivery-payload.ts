/**
 * The body a subscriber receives, in the Standard Webhooks shape `{type, timestamp, data}`,
 * and which subscriptions hear which events. Pure: the body is built once per event and
 * stored with each delivery, so every attempt sends (and signs) exactly the same bytes.
 */
import type { WebhookEventMessage } from "./queue-message";

/** A subscription listening to this hears every event type, present and future. */
export const ALL_EVENTS = "*";

/** The type of the ping POST /v1/webhooks/subscriptions/:id/test sends; never fanned out. */
export const TEST_EVENT_TYPE = "webhook.test";

export interface WebhookPayload {
  type: string;
  /** When the event happened (ISO 8601), not when this attempt was sent (that is webhook-timestamp). */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The JSON text of an event's payload; `projectId` is added so one receiver can serve several projects. */
export function eventPayload(event: Pick<WebhookEventMessage, "type" | "at" | "data">, projectId: string): string {
  return payloadText({ type: event.type, timestamp: new Date(event.at).toISOString(), data: { projectId, ...event.data } });
}

/** The JSON text of a test ping. */
export function testPayload(subscriptionId: string, projectId: string, now: number): string {
  return payloadText({
    type: TEST_EVENT_TYPE,
    timestamp: new Date(now).toISOString(),
    data: { projectId, subscriptionId, message: "A test delivery from SePO Edge: answer 2xx to acknowledge it." },
  });
}

function payloadText(payload: WebhookPayload): string {
  return JSON.stringify(payload);
}

/** Whether a subscription with these events hears an event of this type. */
export function listensTo(events: readonly string[], type: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(type);
}
