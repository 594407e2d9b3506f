/**
 * A `deliver` message: one attempt at one delivery. Claim the row, sign and POST the
 * stored payload, record the attempt, and tell the queue whether to bring the message
 * back (after the backoff) or let it go. Deciding is delivery-outcome.ts's; this file
 * only reads, sends and writes.
 */
import type { AppEnv } from "../env";
import { outboundUrlProblem } from "../security/outbound-url";
import { claimDelivery, deliveryWait, failWithoutAttempt, recordAttempt } from "../storage/webhook-delivery-claims";
import { type SubscriptionTarget, subscriptionTarget } from "../storage/webhook-subscription-repo";
import { clampDelay } from "./delivery-backoff";
import { decideAttempt } from "./delivery-outcome";
import { deliveryHeaders, signingSecrets } from "./delivery-signature";
import { ACK, type MessageDecision, retryIn } from "./message-decision";
import { sendWebhook } from "./send-webhook";

export interface DeliverOptions {
  fetcher?: typeof fetch;
  /** In [0, 1); Math.random by default. */
  jitter?: () => number;
}

export async function deliverOnce(env: Pick<AppEnv, "DB" | "ALLOW_PRIVATE_URLS">, deliveryId: string, options: DeliverOptions = {}): Promise<MessageDecision> {
  const claimedAt = Date.now();
  const claimed = await claimDelivery(env.DB, deliveryId, claimedAt);
  if (!claimed) {
    // Settled or gone: done. Otherwise another message holds it or it is not due yet: come back then.
    const wait = await deliveryWait(env.DB, deliveryId);
    if (!wait || wait.status !== "pending") return ACK;
    return retryIn(clampDelay((wait.notBefore - claimedAt) / 1000));
  }
  const target = await subscriptionTarget(env.DB, claimed.subscriptionId);
  const refusal = refusalOf(target, env);
  if (!target || refusal) {
    await failWithoutAttempt(env.DB, claimed.id, refusal ?? "the subscription was deleted");
    return ACK;
  }
  const started = Date.now();
  const headers = deliveryHeaders({ msgId: claimed.eventId, timestamp: new Date(started), payload: claimed.payload, secrets: signingSecrets(target, started) });
  const result = await sendWebhook(target.url, headers, claimed.payload, options.fetcher);
  const finished = Date.now();
  const attempt = claimed.attempts + 1;
  const decision = decideAttempt(result, { attempt, attemptLimit: claimed.attemptLimit, now: finished, jitter: (options.jitter ?? Math.random)() });
  const status = result.kind === "response" ? result.status : null;
  await recordAttempt(env.DB, claimed.id, { attempt, at: started, status, durationMs: finished - started }, decision, finished);
  if (decision.status === "pending") return retryIn(decision.delaySeconds);
  if (decision.status === "failed") console.warn(`webhook delivery ${claimed.id} failed after ${attempt} attempts: ${decision.error}`);
  return ACK;
}

/** Why a delivery to this subscription is not even attempted, or null. */
function refusalOf(target: SubscriptionTarget | null, env: Pick<AppEnv, "ALLOW_PRIVATE_URLS">): string | null {
  if (!target) return "the subscription was deleted";
  if (!target.enabled) return "the subscription is disabled; enable it, then retry this delivery";
  // Checked again at send time: the setting may have changed since the subscription was made.
  const problem = outboundUrlProblem(target.url, env);
  return problem ? `the URL is refused: it ${problem}` : null;
}
