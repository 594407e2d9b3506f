import type { AppEnv } from "../env";
import type { QueueMessage } from "./queue-message";

export async function handleQueueBatch(batch: MessageBatch<QueueMessage>, _env: AppEnv): Promise<void> {
  batch.ackAll();
}
