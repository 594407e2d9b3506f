/**
 * Project budget alerts in D1 (`budget_alerts`, migrations/0009): one row per project,
 * period and threshold. A row is recorded first and marked sent once the WEBHOOKS queue
 * took its event, so an alert is never lost, and sent again at worst (same event id).
 */
import { z } from "zod";
import type { Amounts, BudgetPeriod, ProjectBudget, ProjectLimits } from "../budgets/project-budget";
import { parseJsonColumn } from "./json-column";

export interface BudgetAlert {
  projectId: string;
  periodKey: string;
  /** 0.5, 0.8 or 1. */
  threshold: number;
  dimension: string;
  spent: Amounts;
  limits: ProjectLimits;
  createdAt: number;
  sentAt: number | null;
}

interface AlertRow {
  project_id: string;
  period_key: string;
  threshold: number;
  dimension: string;
  spent: string;
  limits: string;
  created_at: number;
  sent_at: number | null;
}

const AmountsSchema = z.object({ calls: z.number(), tokens: z.number(), usd: z.number() });
const LimitsSchema = z.object({ calls: z.number().nullable(), tokens: z.number().nullable(), usd: z.number().nullable() });
const ZERO = { calls: 0, tokens: 0, usd: 0 };
const NO_LIMITS = { calls: null, tokens: null, usd: null };

function toAlert(row: AlertRow): BudgetAlert {
  const where = `budget_alerts of ${row.project_id} ${row.period_key} ${row.threshold}`;
  return {
    projectId: row.project_id,
    periodKey: row.period_key,
    threshold: row.threshold / 100,
    dimension: row.dimension,
    spent: parseJsonColumn(row.spent, AmountsSchema, ZERO, where),
    limits: parseJsonColumn(row.limits, LimitsSchema, NO_LIMITS, where),
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export interface BudgetToCheck extends ProjectBudget {
  /** Alerts already recorded in the budget's current period. */
  alertsRecorded: number;
}

/** Every project budget, with how many alerts its current period has (`monthKey` names the current month). */
export async function listBudgetsToCheck(db: D1Database, monthKey: string): Promise<BudgetToCheck[]> {
  const { results } = await db
    .prepare(
      `SELECT b.*, (SELECT COUNT(*) FROM budget_alerts a
                     WHERE a.project_id = b.project_id AND a.period_key = CASE b.period WHEN 'month' THEN ?1 ELSE 'total' END) AS alerts_recorded
       FROM project_budgets b ORDER BY b.project_id`,
    )
    .bind(monthKey)
    .all<{ project_id: string; max_calls: number | null; max_tokens: number | null; max_usd: number | null; period: BudgetPeriod; created_at: number; updated_at: number; alerts_recorded: number }>();
  return results.map((row) => ({
    projectId: row.project_id,
    limits: { calls: row.max_calls, tokens: row.max_tokens, usd: row.max_usd },
    period: row.period,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    alertsRecorded: row.alerts_recorded,
  }));
}

/** Records an alert unless one exists for the project, period and threshold. */
export async function recordAlert(db: D1Database, alert: Omit<BudgetAlert, "sentAt">): Promise<void> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO budget_alerts (project_id, period_key, threshold, dimension, spent, limits, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(alert.projectId, alert.periodKey, Math.round(alert.threshold * 100), alert.dimension, JSON.stringify(alert.spent), JSON.stringify(alert.limits), alert.createdAt)
    .run();
}

/** Alerts recorded but not yet handed to the queue, oldest first. */
export async function unsentAlerts(db: D1Database, limit = 100): Promise<BudgetAlert[]> {
  const { results } = await db.prepare(`SELECT * FROM budget_alerts WHERE sent_at IS NULL ORDER BY created_at LIMIT ?`).bind(limit).all<AlertRow>();
  return results.map(toAlert);
}

export async function markAlertSent(db: D1Database, alert: Pick<BudgetAlert, "projectId" | "periodKey" | "threshold">, now: number): Promise<void> {
  await db
    .prepare(`UPDATE budget_alerts SET sent_at = ? WHERE project_id = ? AND period_key = ? AND threshold = ?`)
    .bind(now, alert.projectId, alert.periodKey, Math.round(alert.threshold * 100))
    .run();
}

/** The alerts of one period of a project, by threshold. */
export async function alertsOf(db: D1Database, projectId: string, periodKey: string): Promise<BudgetAlert[]> {
  const { results } = await db.prepare(`SELECT * FROM budget_alerts WHERE project_id = ? AND period_key = ? ORDER BY threshold`).bind(projectId, periodKey).all<AlertRow>();
  return results.map(toAlert);
}
