/**
 * The Worker's entry: HTTP through the Hono app; the job queue and its dead-letter queue
 * through the job consumer; the webhook queue through the webhook consumer; the cron
 * trigger through the scheduled work. Durable Object classes are re-exported here because
 * wrangler only looks at the main module.
 */
import { createApp } from "./app";
import type { AppEnv } from "./env";
import { handleQueueBatch } from "./jobs/consumer";
import type { QueueMessage } from "./jobs/queue-message";
import { runScheduledWork } from "./scheduled";
import { handleWebhookBatch } from "./webhooks/consumer";
import type { WebhookQueueMessage } from "./webhooks/queue-message";

export { RateLimiter } from "../durable-objects/rate-limiter";
export { RunObject } from "../durable-objects/run-object";

const app = createApp();

/** The webhook queue's name (wrangler.toml); every other queue carries jobs. */
const WEBHOOK_QUEUE = "sepo-webhooks";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessage | WebhookQueueMessage>, env: AppEnv): Promise<void> {
    if (batch.queue === WEBHOOK_QUEUE) await handleWebhookBatch(batch as MessageBatch<WebhookQueueMessage>, env);
    else await handleQueueBatch(batch as MessageBatch<QueueMessage>, env);
  },
  // Awaited rather than left to waitUntil: the invocation (and a test calling it) ends when the work has.
  async scheduled(controller: ScheduledController, env: AppEnv): Promise<void> {
    await runScheduledWork(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<AppEnv, QueueMessage | WebhookQueueMessage>;
