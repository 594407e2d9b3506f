/**
 * What the cron trigger does each minute (wrangler.toml `[triggers]`): start the task
 * schedules that are due, check project budgets for alerts, and re-send webhook
 * deliveries whose queue message was lost. Each part runs even when another fails; a
 * failure is logged and the next tick tries again.
 */
import type { AppEnv } from "./env";
import { checkProjectBudgets } from "./budgets/check-project-budgets";
import { startDueSchedules } from "./schedules/start-due-schedules";
import { requeueStalledDeliveries } from "./webhooks/requeue-stalled";

export async function runScheduledWork(env: AppEnv, now: number): Promise<void> {
  const parts = { schedules: startDueSchedules(env, now), budgets: checkProjectBudgets(env, now), webhooks: requeueStalledDeliveries(env, now) };
  const results = await Promise.allSettled(Object.values(parts));
  for (const [i, name] of Object.keys(parts).entries()) {
    const result = results[i];
    if (result?.status === "rejected") console.error(`scheduled work '${name}' failed`, result.reason);
  }
}
