/**
 * The safety net under the queue: a pending delivery whose `deliver` message was lost
 * would otherwise stay pending forever. The consumer sweeps after each batch with an
 * event in it, and a cron may call this too. A message sent for a delivery whose own
 * message was only late is harmless: an attempt needs the claim (webhook-delivery-claims.ts).
 */
import type { AppEnv } from "../env";
import { takeStalledDeliveries } from "../storage/webhook-delivery-claims";
import { enqueueDeliveries } from "./fan-out";

/** Past due by this much, a pending delivery has lost its message (queues redeliver within seconds of the delay). */
export const STALLED_AFTER_MS = 5 * 60_000;
/** Per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;

/** Re-enqueues stalled deliveries; returns how many. */
export async function requeueStalledDeliveries(env: Pick<AppEnv, "DB" | "WEBHOOKS">, now = Date.now()): Promise<number> {
  const ids = await takeStalledDeliveries(env.DB, now, STALLED_AFTER_MS, SWEEP_LIMIT);
  if (ids.length > 0) {
    console.warn(`re-enqueuing ${ids.length} webhook deliveries whose queue message was lost`);
    await enqueueDeliveries(env.WEBHOOKS, ids);
  }
  return ids.length;
}
