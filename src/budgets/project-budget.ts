/**
 * A project's budget, as plain values: the limits, the period they apply to, and the
 * arithmetic around them (what is left, which alert thresholds are reached). The D1 side
 * is in storage/budget-repo.ts; the checks at a run's start in reserve-run-budget.ts.
 *
 * The money that counts is what runs of the project *settled* in the period (the
 * usage_ledger), plus what its running runs may still spend (their caps minus what they
 * spent: "reserved"). Every run of a project with a budget holds such a reservation, and
 * the engine never lets a run spend past its caps, so spent + reserved never passes a
 * limit.
 */
import { z } from "zod";
import { BUDGET_THRESHOLDS } from "../engine/budget-thresholds";

export const BUDGET_PERIODS = ["month", "total"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** The three dimensions a project budget can limit; a run's caps name them maxCalls, maxTokens, maxUsd. */
export const PROJECT_DIMENSIONS = ["calls", "tokens", "usd"] as const;
export type ProjectDimension = (typeof PROJECT_DIMENSIONS)[number];

/** Amounts per dimension: model calls, tokens (prompt + completion) and USD. */
export interface Amounts {
  calls: number;
  tokens: number;
  usd: number;
}

/** A limit per dimension; null is no limit. */
export type ProjectLimits = Record<ProjectDimension, number | null>;

export interface ProjectBudget {
  projectId: string;
  limits: ProjectLimits;
  period: BudgetPeriod;
  createdAt: number;
  updatedAt: number;
}

const positiveInt = (what: string) => z.number({ error: `must be a positive integer (${what})` }).int("must be an integer").positive("must be at least 1");

export const BudgetLimitsInputSchema = z
  .strictObject({
    calls: positiveInt("model calls of every run of the project").optional(),
    tokens: positiveInt("prompt + completion tokens").optional(),
    usd: z.number({ error: "must be a positive number of US dollars" }).positive("must be more than 0").optional(),
  })
  .refine((l) => l.calls !== undefined || l.tokens !== undefined || l.usd !== undefined, 'must set at least one of "calls", "tokens", "usd"');

/** The body of `PUT /v1/budget`. */
export const PutBudgetSchema = z.strictObject({
  limits: BudgetLimitsInputSchema,
  /** "month": a UTC calendar month, spending starts again at 0 on the 1st; "total": all spending ever. */
  period: z.enum(BUDGET_PERIODS, { error: 'must be "month" or "total"' }).default("month"),
});
export type PutBudgetInput = z.infer<typeof PutBudgetSchema>;

export function toProjectLimits(input: PutBudgetInput["limits"]): ProjectLimits {
  return { calls: input.calls ?? null, tokens: input.tokens ?? null, usd: input.usd ?? null };
}

export interface PeriodWindow {
  /** "2026-07" for a month (UTC), "total" otherwise: part of alert ids, so one alert per period. */
  key: string;
  /** Epoch ms: spending at or after this counts. */
  start: number;
  /** Epoch ms when the next period starts; null for "total". */
  end: number | null;
}

export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  if (period === "total") return { key: "total", start: 0, end: null };
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return { key: `${year}-${String(month + 1).padStart(2, "0")}`, start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
}

/** USD totals are float sums: amounts this close count as equal. */
export const USD_TOLERANCE = 1e-9;

/** What is left of each limit after spending and reservations, never below 0; null where there is no limit. */
export function remainingOf(limits: ProjectLimits, spent: Amounts, reserved: Amounts): ProjectLimits {
  const left = (d: ProjectDimension) => {
    const limit = limits[d];
    if (limit === null) return null;
    const value = limit - spent[d] - reserved[d];
    return value <= (d === "usd" ? USD_TOLERANCE : 0) ? 0 : value;
  };
  return { calls: left("calls"), tokens: left("tokens"), usd: left("usd") };
}

/** The dimension with the largest spent / limit share, or null when nothing is limited. */
export function mostSpentDimension(limits: ProjectLimits, spent: Amounts): { dimension: ProjectDimension; share: number } | null {
  let best: { dimension: ProjectDimension; share: number } | null = null;
  for (const dimension of PROJECT_DIMENSIONS) {
    const limit = limits[dimension];
    if (limit === null) continue;
    const share = spent[dimension] / limit;
    if (!best || share > best.share) best = { dimension, share };
  }
  return best;
}

/** The alert thresholds (0.5, 0.8, 1) the spending has reached, judged on its most-spent dimension. */
export function reachedThresholds(limits: ProjectLimits, spent: Amounts): number[] {
  const share = mostSpentDimension(limits, spent)?.share ?? 0;
  return BUDGET_THRESHOLDS.filter((t) => share >= t - USD_TOLERANCE);
}

export const zeroAmounts = (): Amounts => ({ calls: 0, tokens: 0, usd: 0 });
