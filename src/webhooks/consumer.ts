/**
 * The WEBHOOKS queue's consumer: a thin translation between messages and the two
 * handlers. An `event` fans out into deliveries (fan-out.ts); a `deliver` is one attempt
 * (deliver.ts). Each handler says ack or retry-with-delay; an unexpected error (D1 busy)
 * retries with the delivery backoff, and a message that cannot be read is logged and
 * dropped, since no retry could ever make it readable. Batches with events also sweep for
 * deliveries whose message was lost (requeue-stalled.ts).
 */
import type { AppEnv } from "../env";
import { backoffSeconds } from "./delivery-backoff";
import { deliverOnce } from "./deliver";
import { fanOutEvent } from "./fan-out";
import { type WebhookQueueMessage, WebhookQueueMessageSchema } from "./queue-message";
import { requeueStalledDeliveries } from "./requeue-stalled";

export async function handleWebhookBatch(batch: MessageBatch<WebhookQueueMessage>, env: AppEnv): Promise<void> {
  // Deliveries go to different receivers: one slow receiver must not hold up the others' attempts.
  await Promise.all(batch.messages.map((message) => handleMessage(message, env)));
  // Events come with every generation of every run: often enough to sweep for lost messages.
  if (batch.messages.some((m) => (m.body as { kind?: unknown } | null)?.kind === "event")) {
    await requeueStalledDeliveries(env).catch((error: unknown) => console.error("sweeping stalled webhook deliveries failed", String(error)));
  }
}

async function handleMessage(message: Message<WebhookQueueMessage>, env: AppEnv): Promise<void> {
  const parsed = WebhookQueueMessageSchema.safeParse(message.body);
  if (!parsed.success || (parsed.data.kind === "event" && !parsed.data.projectId && !parsed.data.runId)) {
    const issues = parsed.success ? "an event names neither projectId nor runId" : parsed.error.issues.slice(0, 3);
    console.error("dropping malformed webhook message", issues);
    message.ack();
    return;
  }
  const body = parsed.data;
  try {
    const decision = body.kind === "event" ? await fanOutEvent(env, body, message.attempts) : await deliverOnce(env, body.deliveryId);
    if (decision.action === "ack") message.ack();
    else message.retry({ delaySeconds: decision.delaySeconds });
  } catch (error) {
    const delaySeconds = backoffSeconds(message.attempts, Math.random());
    const what = body.kind === "event" ? `event ${body.eventId}` : `delivery ${body.deliveryId}`;
    console.error(`webhook ${what} (message attempt ${message.attempts}) failed; retry in ${delaySeconds}s`, error instanceof Error ? error.message : String(error));
    message.retry({ delaySeconds });
  }
}
