/**
 * `/v1/budget`: the project's budget (project key). Read it with what was spent in the
 * current period, what running runs hold and what is left; set or replace it; remove it.
 * How runs are held to it: budgets/reserve-run-budget.ts.
 */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { type Amounts, type BudgetPeriod, periodWindow, PutBudgetSchema, reachedThresholds, remainingOf, toProjectLimits, type ProjectLimits } from "../budgets/project-budget";
import { AppError } from "../errors";
import { readJson } from "../http/validate";
import { alertsOf } from "../storage/budget-alert-repo";
import { deleteProjectBudget, getProjectBudget, putProjectBudget, readBudgetUsage } from "../storage/budget-repo";
import { isoTime } from "../storage/json-column";

/** `GET /v1/budget` and `PUT /v1/budget` answer this (the OpenAPI schema is budget-paths.ts). */
export interface BudgetView {
  limits: ProjectLimits;
  period: BudgetPeriod;
  /** "2026-07" (UTC month) or "total". */
  periodKey: string;
  periodStart: string | null;
  periodEnd: string | null;
  spent: Amounts;
  reserved: Amounts;
  remaining: ProjectLimits;
  activeRuns: number;
  thresholdsReached: number[];
  alerts: Array<{ threshold: number; dimension: string; spent: Amounts; at: string; sent: boolean }>;
  createdAt: string;
  updatedAt: string;
}

export const budgetRoutes = new Hono<HonoEnv>();

budgetRoutes.get("/", async (c) => c.json(await budgetView(c.env.DB, projectIdOf(c), Date.now())));

budgetRoutes.put("/", async (c) => {
  const body = await readJson(c, PutBudgetSchema);
  const projectId = projectIdOf(c);
  const now = Date.now();
  await putProjectBudget(c.env.DB, projectId, toProjectLimits(body.limits), body.period, now);
  return c.json(await budgetView(c.env.DB, projectId, now));
});

budgetRoutes.delete("/", async (c) => {
  if (!(await deleteProjectBudget(c.env.DB, projectIdOf(c)))) throw noBudget();
  return c.body(null, 204);
});

async function budgetView(db: D1Database, projectId: string, now: number): Promise<BudgetView> {
  const budget = await getProjectBudget(db, projectId);
  if (!budget) throw noBudget();
  const window = periodWindow(budget.period, now);
  const [usage, alerts] = await Promise.all([readBudgetUsage(db, projectId, periodWindow("month", now).start, now), alertsOf(db, projectId, window.key)]);
  return {
    limits: budget.limits,
    period: budget.period,
    periodKey: window.key,
    periodStart: budget.period === "total" ? null : isoTime(window.start),
    periodEnd: window.end === null ? null : isoTime(window.end),
    spent: usage.spent,
    reserved: usage.reserved,
    remaining: remainingOf(budget.limits, usage.spent, usage.reserved),
    activeRuns: usage.activeRuns,
    thresholdsReached: reachedThresholds(budget.limits, usage.spent),
    alerts: alerts.map((a) => ({ threshold: a.threshold, dimension: a.dimension, spent: a.spent, at: isoTime(a.createdAt), sent: a.sentAt !== null })),
    createdAt: isoTime(budget.createdAt),
    updatedAt: isoTime(budget.updatedAt),
  };
}

function noBudget(): AppError {
  return new AppError("not_found", "This project has no budget; set one with PUT /v1/budget {\"limits\": {\"calls\", \"tokens\", \"usd\"}, \"period\": \"month\" | \"total\"}.");
}
