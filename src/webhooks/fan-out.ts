/**
 * An `event` message: one pending delivery per enabled subscription of the project that
 * listens to the event's type, and a `deliver` message for each, so a slow or failing
 * receiver is retried on its own without sending the event twice to the others.
 */
import type { AppEnv } from "../env";
import { recordEventDeliveries } from "../storage/webhook-delivery-claims";
import { enabledSubscriptions } from "../storage/webhook-subscription-repo";
import { eventPayload, listensTo } from "./delivery-payload";
import { ACK, type MessageDecision, retryIn } from "./message-decision";
import type { WebhookDeliverMessage, WebhookEventMessage } from "./queue-message";

/** Tries for an event whose run is not in D1 yet, before it is dropped. */
const RUN_LOOKUP_ATTEMPTS = 3;
/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export async function fanOutEvent(env: Pick<AppEnv, "DB" | "WEBHOOKS">, event: WebhookEventMessage, messageAttempts: number, now = Date.now()): Promise<MessageDecision> {
  const projectId = event.projectId ?? (event.runId ? await projectOfRun(env.DB, event.runId) : null);
  if (!projectId) {
    // A run writes its row before it sends events, so this is a lagging read or a deleted run.
    if (messageAttempts < RUN_LOOKUP_ATTEMPTS) return retryIn(5);
    console.warn(`dropping webhook event ${event.eventId}: no run ${event.runId} in D1`);
    return ACK;
  }
  const subscriptionIds = (await enabledSubscriptions(env.DB, projectId)).filter((s) => listensTo(s.events, event.type)).map((s) => s.id);
  if (subscriptionIds.length === 0) return ACK;
  const payload = eventPayload(event, projectId);
  const toSend = await recordEventDeliveries(env.DB, { projectId, eventId: event.eventId, eventType: event.type, payload, subscriptionIds }, now);
  await enqueueDeliveries(env.WEBHOOKS, toSend);
  return ACK;
}

/** Sends one `deliver` message per delivery id. */
export async function enqueueDeliveries(queue: AppEnv["WEBHOOKS"], deliveryIds: string[]): Promise<void> {
  for (let i = 0; i < deliveryIds.length; i += SEND_BATCH) {
    const messages = deliveryIds.slice(i, i + SEND_BATCH).map((deliveryId) => ({ body: { kind: "deliver", deliveryId } satisfies WebhookDeliverMessage, contentType: "json" as const }));
    await queue.sendBatch(messages);
  }
}

async function projectOfRun(db: D1Database, runId: string): Promise<string | null> {
  return db.prepare("SELECT project_id FROM runs WHERE id = ?1").bind(runId).first<string>("project_id");
}
