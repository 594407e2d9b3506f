/**
 * The per-minute budget check (src/scheduled.ts): for each project with a budget, which
 * alert thresholds (50, 80, 100 % of a limit) its spending in the current period has
 * reached, and a `budget.threshold` webhook event for each one not announced yet.
 *
 * Alerts judge what was *spent* (settled in usage_ledger), not what running runs hold:
 * a reservation is a bound, not money gone. Each alert is recorded before it is sent
 * and marked sent after the queue took it; a send that fails is tried again next
 * minute with the same event id, which the webhook consumer de-duplicates.
 */
import type { AppEnv } from "../env";
import { type BudgetAlert, listBudgetsToCheck, markAlertSent, recordAlert, unsentAlerts } from "../storage/budget-alert-repo";
import { pruneReservations, readBudgetUsage } from "../storage/budget-repo";
import type { WebhookEventMessage } from "../webhooks/queue-message";
import { BUDGET_THRESHOLDS } from "../engine/budget-thresholds";
import { mostSpentDimension, periodWindow, reachedThresholds } from "./project-budget";

export async function checkProjectBudgets(env: Pick<AppEnv, "DB" | "WEBHOOKS">, now: number): Promise<void> {
  await pruneReservations(env.DB, now);
  const month = periodWindow("month", now);
  for (const budget of await listBudgetsToCheck(env.DB, month.key)) {
    if (budget.alertsRecorded >= BUDGET_THRESHOLDS.length) continue;
    const window = periodWindow(budget.period, now);
    const { spent } = await readBudgetUsage(env.DB, budget.projectId, month.start, now);
    const top = mostSpentDimension(budget.limits, spent);
    if (!top) continue;
    for (const threshold of reachedThresholds(budget.limits, spent)) {
      await recordAlert(env.DB, { projectId: budget.projectId, periodKey: window.key, threshold, dimension: top.dimension, spent, limits: budget.limits, createdAt: now });
    }
  }
  await sendUnsentAlerts(env, now);
}

/** Hands every recorded, unsent alert to the WEBHOOKS queue; one failure does not hold back the others. */
async function sendUnsentAlerts(env: Pick<AppEnv, "DB" | "WEBHOOKS">, now: number): Promise<void> {
  const failures: unknown[] = [];
  for (const alert of await unsentAlerts(env.DB)) {
    try {
      await env.WEBHOOKS.send(budgetAlertMessage(alert));
      await markAlertSent(env.DB, alert, now);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} budget alert(s) could not be sent; the next check retries them`);
}

/** The webhook event of an alert. Its id depends only on the project, period and threshold, so a re-send is the same event. */
export function budgetAlertMessage(alert: BudgetAlert): WebhookEventMessage {
  const percent = Math.round(alert.threshold * 100);
  return {
    kind: "event",
    eventId: `evt_budget_${alert.projectId}_${alert.periodKey}_${percent}`,
    type: "budget.threshold",
    at: alert.createdAt,
    projectId: alert.projectId,
    data: { scope: "project", threshold: alert.threshold, dimension: alert.dimension, spent: alert.spent, limits: alert.limits, period: alert.periodKey },
  };
}
