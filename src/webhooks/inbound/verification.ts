/** What checking a delivery's signature tells the receiver. */
export type Verification =
  /** The body and (for Standard Webhooks) the id come from the secret's holder. */
  | { ok: true; webhookId: string | null }
  /** Refused with a 401; `webhookId` is what the sender claimed, kept for the log only. */
  | { ok: false; reason: string; webhookId: string | null };

/** Longer ids are not stored as sent (a log entry, not a place to park data). */
export const MAX_WEBHOOK_ID_LENGTH = 255;

export function clampWebhookId(id: string | null): string | null {
  return id === null ? null : id.slice(0, MAX_WEBHOOK_ID_LENGTH);
}
