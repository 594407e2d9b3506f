/**
 * Project budgets in D1 (migrations/0009): the budget row, the reservations of running
 * runs and the alerts already recorded. The reservation is one conditional INSERT: D1
 * runs each statement atomically, so two runs starting at once cannot both take the
 * last of a budget.
 */
import { type Amounts, type BudgetPeriod, type ProjectBudget, type ProjectLimits, USD_TOLERANCE } from "../budgets/project-budget";

/**
 * A reservation counts while its run is running, or for this long before the run's row
 * exists (the run's Durable Object writes it with its first effects, normally within
 * seconds). A run that never started stops holding budget after that.
 */
export const UNSTARTED_RESERVATION_MS = 10 * 60_000;

interface BudgetRow {
  project_id: string;
  max_calls: number | null;
  max_tokens: number | null;
  max_usd: number | null;
  period: BudgetPeriod;
  created_at: number;
  updated_at: number;
}

const toBudget = (row: BudgetRow): ProjectBudget => ({
  projectId: row.project_id,
  limits: { calls: row.max_calls, tokens: row.max_tokens, usd: row.max_usd },
  period: row.period,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function getProjectBudget(db: D1Database, projectId: string): Promise<ProjectBudget | null> {
  const row = await db.prepare(`SELECT * FROM project_budgets WHERE project_id = ?`).bind(projectId).first<BudgetRow>();
  return row ? toBudget(row) : null;
}

export async function putProjectBudget(db: D1Database, projectId: string, limits: ProjectLimits, period: BudgetPeriod, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO project_budgets (project_id, max_calls, max_tokens, max_usd, period, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (project_id) DO UPDATE SET max_calls = ?2, max_tokens = ?3, max_usd = ?4, period = ?5, updated_at = ?6`,
    )
    .bind(projectId, limits.calls, limits.tokens, limits.usd, period, now)
    .run();
}

/** Removes the budget; true when there was one. Reservations stay until their runs finish. */
export async function deleteProjectBudget(db: D1Database, projectId: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM project_budgets WHERE project_id = ?`).bind(projectId).run();
  return result.meta.changes > 0;
}

/**
 * Common table expressions over ?1 = project id, ?2 = the start of the current month,
 * ?3 = the oldest creation time of a reservation whose run has not appeared yet:
 * `active` (the reservations that count), `held` (what they may still spend: each
 * run's caps minus what it has spent, never below 0) and `spent` (what the project's
 * runs settled in the budget's period: the month from ?2, or ever).
 */
const USAGE_CTES = `
  active AS (
    SELECT res.run_id, res.max_calls, res.max_tokens, res.max_usd
    FROM budget_reservations res LEFT JOIN runs r ON r.id = res.run_id
    WHERE res.project_id = ?1 AND (r.status = 'running' OR (r.id IS NULL AND res.created_at >= ?3))
  ),
  run_spent AS (
    SELECT u.run_id, SUM(u.calls) AS calls, SUM(u.prompt_tokens + u.completion_tokens) AS tokens, SUM(u.usd) AS usd
    FROM usage_ledger u WHERE u.run_id IN (SELECT run_id FROM active) GROUP BY u.run_id
  ),
  held AS (
    SELECT COALESCE(SUM(MAX(0, a.max_calls - COALESCE(s.calls, 0))), 0) AS calls,
           COALESCE(SUM(MAX(0, a.max_tokens - COALESCE(s.tokens, 0))), 0) AS tokens,
           COALESCE(SUM(MAX(0, a.max_usd - COALESCE(s.usd, 0))), 0) AS usd,
           COUNT(*) AS runs
    FROM active a LEFT JOIN run_spent s ON s.run_id = a.run_id
  ),
  spent AS (
    SELECT COALESCE(SUM(u.calls), 0) AS calls, COALESCE(SUM(u.prompt_tokens + u.completion_tokens), 0) AS tokens, COALESCE(SUM(u.usd), 0) AS usd
    FROM usage_ledger u JOIN runs r ON r.id = u.run_id
    WHERE r.project_id = ?1
      AND u.created_at >= COALESCE((SELECT CASE period WHEN 'month' THEN ?2 ELSE 0 END FROM project_budgets WHERE project_id = ?1), ?2)
  )`;

export interface BudgetUsage {
  /** Settled in the current period by the project's runs. */
  spent: Amounts;
  /** What running runs may still spend (their caps minus their spending). */
  reserved: Amounts;
  /** Runs holding a reservation. */
  activeRuns: number;
}

interface UsageRow {
  spent_calls: number;
  spent_tokens: number;
  spent_usd: number;
  held_calls: number;
  held_tokens: number;
  held_usd: number;
  held_runs: number;
}

/** Spent and reserved for the project's budget period containing `now` (`monthStart` is that month's start). */
export async function readBudgetUsage(db: D1Database, projectId: string, monthStart: number, now: number): Promise<BudgetUsage> {
  const row = await db
    .prepare(
      `WITH ${USAGE_CTES}
       SELECT spent.calls AS spent_calls, spent.tokens AS spent_tokens, spent.usd AS spent_usd,
              held.calls AS held_calls, held.tokens AS held_tokens, held.usd AS held_usd, held.runs AS held_runs
       FROM spent, held`,
    )
    .bind(projectId, monthStart, now - UNSTARTED_RESERVATION_MS)
    .first<UsageRow>();
  if (!row) return { spent: { calls: 0, tokens: 0, usd: 0 }, reserved: { calls: 0, tokens: 0, usd: 0 }, activeRuns: 0 };
  return {
    spent: { calls: row.spent_calls, tokens: row.spent_tokens, usd: row.spent_usd },
    reserved: { calls: row.held_calls, tokens: row.held_tokens, usd: row.held_usd },
    activeRuns: row.held_runs,
  };
}

/** A run's caps in the project's dimensions; null where the run has none. */
export type RunCaps = ProjectLimits;

/**
 * Holds `caps` for the run against the project's budget, in one statement that inserts
 * only if spent + reserved + caps fits every limit the budget has (a limited dimension
 * with no cap never fits). False when it did not fit, or the project has no budget.
 */
export async function tryReserve(db: D1Database, reservation: { runId: string; projectId: string; caps: RunCaps; monthStart: number; now: number }): Promise<boolean> {
  const { runId, projectId, caps, monthStart, now } = reservation;
  const result = await db
    .prepare(
      `WITH ${USAGE_CTES}
       INSERT INTO budget_reservations (run_id, project_id, max_calls, max_tokens, max_usd, created_at)
       SELECT ?4, ?1, ?5, ?6, ?7, ?8
       FROM project_budgets b, spent, held
       WHERE b.project_id = ?1
         AND (b.max_calls IS NULL OR spent.calls + held.calls + ?5 <= b.max_calls)
         AND (b.max_tokens IS NULL OR spent.tokens + held.tokens + ?6 <= b.max_tokens)
         AND (b.max_usd IS NULL OR spent.usd + held.usd + ?7 <= b.max_usd + ${USD_TOLERANCE})`,
    )
    .bind(projectId, monthStart, now - UNSTARTED_RESERVATION_MS, runId, caps.calls, caps.tokens, caps.usd, now)
    .run();
  return result.meta.changes > 0;
}

/** Gives a reservation up (its run did not start). */
export async function releaseReservation(db: D1Database, runId: string): Promise<void> {
  await db.prepare(`DELETE FROM budget_reservations WHERE run_id = ?`).bind(runId).run();
}

/** The statement that releases a finished run's reservation: its real spending is in usage_ledger by then. */
export function releaseReservationSql(runId: string): { sql: string; params: string[] } {
  return { sql: `DELETE FROM budget_reservations WHERE run_id = ?`, params: [runId] };
}

/** Drops reservations that no longer count: finished runs, and runs that never appeared. */
export async function pruneReservations(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM budget_reservations WHERE run_id IN (
         SELECT res.run_id FROM budget_reservations res LEFT JOIN runs r ON r.id = res.run_id
         WHERE (r.id IS NULL AND res.created_at < ?1) OR (r.id IS NOT NULL AND r.status <> 'running'))`,
    )
    .bind(now - UNSTARTED_RESERVATION_MS)
    .run();
  return result.meta.changes;
}
