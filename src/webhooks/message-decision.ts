/** What the webhook consumer does with a queue message once it has been handled. */
export type MessageDecision = { action: "ack" } | { action: "retry"; delaySeconds: number };

export const ACK: MessageDecision = { action: "ack" };

export const retryIn = (delaySeconds: number): MessageDecision => ({ action: "retry", delaySeconds });
