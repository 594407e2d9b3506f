/**
 * Driving the outbound webhook consumer one message at a time. The WEBHOOKS queue is
 * replaced by one that only records what is sent, and each message is handed to the
 * consumer by the test, with the attempt count a redelivery would have: so a test walks
 * through retries without waiting out real backoff delays (10 s, 30 s, ...).
 */
import { env } from "cloudflare:workers";
import { createApp } from "../../../src/app";
import type { AppEnv } from "../../../src/env";
import { handleWebhookBatch } from "../../../src/webhooks/consumer";
import type { WebhookQueueMessage } from "../../../src/webhooks/queue-message";
import type { ReceivedRequest } from "./webhook-receiver";

/** A WEBHOOKS queue that keeps what it is sent in `sent`, in order. */
export function recordingQueue() {
  const sent: WebhookQueueMessage[] = [];
  const queue = {
    async send(body: WebhookQueueMessage) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: WebhookQueueMessage }>) {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue<WebhookQueueMessage>;
  return { sent, queue, env: { ...env, WEBHOOKS: queue } as AppEnv };
}

export interface Handled {
  acked: boolean;
  /** The delay asked for, when the message was retried. */
  retryDelay?: number | undefined;
}

/** Hands one message to the consumer as delivery number `attempts` and says what it did with it. */
export async function consume(body: unknown, testEnv: AppEnv, attempts = 1): Promise<Handled> {
  const outcome: Handled = { acked: false };
  let retried = false;
  const message = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts,
    body,
    ack: () => {
      outcome.acked = true;
    },
    retry: (options?: { delaySeconds?: number }) => {
      retried = true;
      outcome.retryDelay = options?.delaySeconds;
    },
  } as unknown as Message<WebhookQueueMessage>;
  const batch = { queue: "sepo-webhooks", messages: [message], ackAll() {}, retryAll() {} } as unknown as MessageBatch<WebhookQueueMessage>;
  await handleWebhookBatch(batch, testEnv);
  if (outcome.acked === retried) throw new Error(`the consumer must ack or retry a message exactly once (acked ${outcome.acked}, retried ${retried})`);
  return outcome;
}

/** Takes the messages sent so far off the recording queue. */
export function drain(sent: WebhookQueueMessage[]): WebhookQueueMessage[] {
  return sent.splice(0, sent.length);
}

/** A request to a fresh app with `testEnv` (e.g. a recording queue, or ALLOW_PRIVATE_URLS off), as the key's project. */
export async function appRequest(testEnv: AppEnv, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await createApp().fetch(new Request(`http://x${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) }), testEnv);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** What a test receiver host has been sent (see webhook-receiver.ts). */
export async function receivedBy(host: string): Promise<ReceivedRequest[]> {
  return (await fetch(`http://${host}/__received`)).json();
}

/** A receiver host of this test's own: `hooks-<mode>-<random>.receiver`. */
export function receiverHost(mode: string): string {
  return `hooks-${mode}-${crypto.randomUUID().slice(0, 8)}.receiver`;
}

/** The delivery row as stored, for what the API does not show (the claim, the limit). */
export async function deliveryRow(id: string) {
  return env.DB.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").bind(id).first<Record<string, any>>();
}

/** Lets the clock run past a delivery's backoff, as the queue's delay would. */
export async function makeDue(id: string): Promise<void> {
  await env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE id = ?").bind(id).run();
}
