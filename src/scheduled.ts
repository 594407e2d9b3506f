/**
 * What the cron trigger does each minute (wrangler.toml `[triggers]`): start the task
 * schedules that are due, and check project budgets for alerts. Each part runs even when
 * the other fails; a failure is logged and the next tick tries again.
 */
import type { AppEnv } from "./env";
import { checkProjectBudgets } from "./budgets/check-project-budgets";
import { startDueSchedules } from "./schedules/start-due-schedules";

export async function runScheduledWork(env: AppEnv, now: number): Promise<void> {
  const parts = { schedules: startDueSchedules(env, now), budgets: checkProjectBudgets(env, now) };
  const results = await Promise.allSettled(Object.values(parts));
  for (const [i, name] of Object.keys(parts).entries()) {
    const result = results[i];
    if (result?.status === "rejected") console.error(`scheduled work '${name}' failed`, result.reason);
  }
}
