/**
 * Signing secrets and the headers of a delivery, per Standard Webhooks
 * (https://www.standardwebhooks.com): `webhook-id` is the event id, the same on every
 * attempt, so receivers can drop duplicates; `webhook-timestamp` is when this attempt was
 * signed, so receivers can refuse replays; `webhook-signature` holds one `v1,<base64>`
 * per secret in use. Signing is the `standardwebhooks` library's, so what we send is what
 * every receiver's verifier expects.
 */
import { Webhook } from "standardwebhooks";

export const SECRET_PREFIX = "whsec_";
/** 32 random bytes: the spec asks for 24 to 64. */
const SECRET_BYTES = 32;
/** After a rotation, the old secret still signs for a day, so receivers can switch over without dropping deliveries. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export const USER_AGENT = "sepo-edge-webhooks/1";

/** A new secret: `whsec_` and the base64 of random bytes. */
export function generateSecret(fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = fill(new Uint8Array(SECRET_BYTES));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `${SECRET_PREFIX}${btoa(binary)}`;
}

/** The secrets a delivery is signed with now: the current one, and the previous one during its grace period. */
export function signingSecrets(sub: { secret: string; previousSecret: string | null; previousSecretExpiresAt: number | null }, now: number): string[] {
  const previous = sub.previousSecret !== null && sub.previousSecretExpiresAt !== null && sub.previousSecretExpiresAt > now;
  return previous ? [sub.secret, sub.previousSecret as string] : [sub.secret];
}

export interface SigningInput {
  /** The event id. */
  msgId: string;
  /** When this attempt is sent. */
  timestamp: Date;
  /** The exact body. */
  payload: string;
  secrets: string[];
}

/** Every header of a delivery request. */
export function deliveryHeaders({ msgId, timestamp, payload, secrets }: SigningInput): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, payload));
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
