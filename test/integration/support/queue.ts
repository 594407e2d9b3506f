/**
 * Handing messages to the Worker's queue handler, as the Queues runtime would, and
 * reading back what it did with each (ack, or retry with a delay).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../src/index";
import type { QueueMessage } from "../../../src/jobs/queue-message";

export const JOBS_QUEUE = "sepo-jobs";
export const DEAD_LETTER_QUEUE = "sepo-jobs-dlq";

export interface Delivery {
  body: unknown;
  /** Deliveries so far, this one included. Default 1. */
  attempts?: number;
}

/** What getQueueResult() answers (its type is not in the pinned workers-types). */
interface QueueResult {
  outcome: string;
  ackAll: boolean;
  explicitAcks: string[];
  retryMessages: Array<{ msgId: string }>;
}

/**
 * Delivers one batch to the Worker's queue handler; messages get ids m0, m1, ...
 * (`exports.default.queue()` loses the queue name in this pool, which the consumer reads
 * to tell dead letters apart, so the handler is called directly.)
 */
export async function deliver(queue: string, deliveries: Delivery[]) {
  const messages = deliveries.map((d, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: d.attempts ?? 1, body: d.body }));
  const batch = createMessageBatch<QueueMessage>(queue, messages as Array<{ id: string; timestamp: Date; attempts: number; body: QueueMessage }>);
  // getQueueResult() in this pool drops the delay a message was retried with: record it here.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = (await getQueueResult(batch, ctx)) as unknown as QueueResult;
  return {
    outcome: result.outcome,
    acked: [...result.explicitAcks].sort(),
    retried: result.retryMessages.map((m) => ({ id: m.msgId, delaySeconds: delays.get(m.msgId) })),
    ackAll: result.ackAll,
  };
}

/** Requests a scripted-status host (see outbound.ts) has answered. */
export async function requestsTo(host: string): Promise<number> {
  const res = await fetch(`http://${host}/__requests`);
  return ((await res.json()) as { count: number }).count;
}
