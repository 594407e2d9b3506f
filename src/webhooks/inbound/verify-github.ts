/**
 * GitHub webhooks: X-Hub-Signature-256 is `sha256=` and the hex HMAC-SHA256 of the body
 * with the secret as typed into GitHub (the whole `whsec_…` string). Checked in constant
 * time by @octokit/webhooks-methods. GitHub signs the body only and sends no timestamp:
 * X-GitHub-Delivery is not authenticated, so replays are caught by the delivery id and by
 * the body's digest (see receive-delivery.ts), never by age.
 */
import { verify } from "@octokit/webhooks-methods";
import { clampWebhookId, type Verification } from "./verification";

/** The one form GitHub sends; anything else is refused before hashing (the library's web build would throw on some). */
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

export async function verifyGitHubDelivery(secret: string, body: string, headers: Headers): Promise<Verification> {
  const webhookId = clampWebhookId(headers.get("x-github-delivery"));
  const signature = headers.get("x-hub-signature-256");
  if (!signature) {
    return { ok: false, webhookId, reason: "GitHub deliveries need X-Hub-Signature-256 (set a secret on the GitHub webhook; the SHA-1 X-Hub-Signature is not accepted)." };
  }
  if (!SIGNATURE.test(signature)) return { ok: false, webhookId, reason: "X-Hub-Signature-256 must be 'sha256=' followed by 64 lowercase hex digits." };
  // The library refuses an empty payload by throwing; GitHub never sends one.
  if (body === "") return { ok: false, webhookId, reason: "An empty body cannot be verified." };
  let matches = false;
  try {
    matches = await verify(secret, body, signature);
  } catch {
    matches = false;
  }
  if (!matches) return { ok: false, webhookId, reason: "X-Hub-Signature-256 does not match this endpoint's secret (or the body was changed after signing)." };
  return { ok: true, webhookId };
}
