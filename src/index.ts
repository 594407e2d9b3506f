/**
 * The Worker's entry: HTTP through the Hono app, the job queue and its dead-letter
 * queue through the consumer. Durable Object classes are re-exported here because
 * wrangler only looks at the main module.
 */
import { createApp } from "./app";
import type { AppEnv } from "./env";
import { handleQueueBatch } from "./jobs/consumer";
import type { QueueMessage } from "./jobs/queue-message";

export { RateLimiter } from "../durable-objects/rate-limiter";
export { RunObject } from "../durable-objects/run-object";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessage>, env: AppEnv): Promise<void> {
    await handleQueueBatch(batch, env);
  },
} satisfies ExportedHandler<AppEnv, QueueMessage>;
