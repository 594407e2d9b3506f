/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` is an HMAC-SHA256 of
 * `<webhook-id>.<webhook-timestamp>.<body>` with the base64-decoded secret, so the id and
 * the time are as authentic as the body. Checked by the `standardwebhooks` package itself.
 */
import { Webhook } from "standardwebhooks";
import { clampWebhookId, MAX_WEBHOOK_ID_LENGTH, type Verification } from "./verification";

/**
 * How far `webhook-timestamp` may be from the server's clock, either way. Older
 * deliveries are refused, so an id need only be remembered this long to stop a replay;
 * we remember ids for good anyway. Checked here first, for a message that says the
 * tolerance; standardwebhooks 1.1.1 checks again with its own fixed 5 minutes, so a
 * larger value here would have no effect.
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

const TIMESTAMP = /^\d{1,15}$/;

/** Checks a Standard Webhooks delivery: headers present, timestamp within tolerance, a signature that matches. */
export function verifyStandardDelivery(secret: string, body: string, headers: Headers, nowMs: number): Verification {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signature = headers.get("webhook-signature");
  const webhookId = clampWebhookId(id);
  if (!id || !timestamp || !signature) {
    return { ok: false, webhookId, reason: "Standard Webhooks deliveries need the headers webhook-id, webhook-timestamp and webhook-signature." };
  }
  if (id.length > MAX_WEBHOOK_ID_LENGTH) return { ok: false, webhookId, reason: `webhook-id must be at most ${MAX_WEBHOOK_ID_LENGTH} characters.` };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, webhookId, reason: "webhook-timestamp must be the send time in whole Unix seconds." };
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > TIMESTAMP_TOLERANCE_SECONDS) {
    const how = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
    return {
      ok: false,
      webhookId,
      reason: `webhook-timestamp is ${how}; deliveries are accepted within ${TIMESTAMP_TOLERANCE_SECONDS} s of the server's clock. Send a new delivery (and check the sender's clock).`,
    };
  }
  try {
    new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, { jsonParse: false });
  } catch {
    return { ok: false, webhookId, reason: "webhook-signature does not match this endpoint's secret (or the body was changed after signing)." };
  }
  return { ok: true, webhookId: id };
}
