/**
 * The project budget (`/v1/budget`) as OpenAPI path items, and its response schema
 * (hand-written like response-schemas.ts, tied to the route's type at compile time).
 */
import { z } from "zod";
import { BUDGET_PERIODS, PutBudgetSchema } from "../budgets/project-budget";
import type { BudgetView } from "../routes/budget";
import { BODY_ERRORS, body, errors, json } from "./paths";
import type { Same } from "./response-schemas";

const tags = ["budget"];

const HOW =
  "What counts is what the project's runs spent in the period (the usage ledger: model calls, prompt + completion tokens, USD at the run's `config.prices`), " +
  "plus what running runs may still spend (`reserved`: each run's caps minus its spending). A run holds its caps (`config.budget` maxCalls, maxTokens, maxUsd) " +
  "against what is left when it starts, whether from the API, a webhook or a schedule: a cap larger than what is left is refused (409), and a cap the run leaves out " +
  "is set to what is left (the run then holds the rest of the budget until it finishes). With a USD limit, every model of the run needs a price. The engine never " +
  "lets a run pass its caps, so the project never passes its budget. Alerts: a `budget.threshold` webhook event (scope \"project\") once per period when spending " +
  "reaches 50, 80 and 100 % of a limit, checked every minute.";

const amounts = (what: string) => z.object({ calls: z.number(), tokens: z.number(), usd: z.number() }).meta({ description: what });
const limits = (what: string) => z.object({ calls: z.number().nullable(), tokens: z.number().nullable(), usd: z.number().nullable() }).meta({ description: `${what} Null: no limit.` });
const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC" });

export const BudgetSchema = z.object({
  limits: limits("The limits per period."),
  period: z.enum(BUDGET_PERIODS).meta({ description: '"month": a UTC calendar month; "total": all spending ever.' }),
  periodKey: z.string().meta({ description: '"2026-07" for a month, "total" otherwise.' }),
  periodStart: timestamp().nullable(),
  periodEnd: timestamp().nullable().meta({ description: "When the next month starts; null for \"total\"." }),
  spent: amounts("Settled by the project's runs in the period."),
  reserved: amounts("What running runs may still spend: their caps minus what they spent."),
  remaining: limits("Limit minus spent minus reserved, never below 0: the most a new run can get."),
  activeRuns: z.number().int().meta({ description: "Runs holding a reservation." }),
  thresholdsReached: z.array(z.number()).meta({ description: "Of 0.5, 0.8 and 1: the shares of a limit spending has reached (its most-spent dimension)." }),
  alerts: z
    .array(z.object({ threshold: z.number(), dimension: z.string(), spent: amounts("Spent when the alert was recorded."), at: timestamp(), sent: z.boolean() }))
    .meta({ description: "The period's alerts, recorded by the minute check: `sent` once the webhook event was queued." }),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const BUDGET_SCHEMAS = { Budget: BudgetSchema } satisfies Record<string, z.ZodType>;

const typesAgree: [Same<z.infer<typeof BudgetSchema>, BudgetView>] = [true];
void typesAgree;

export function budgetPaths() {
  return {
    "/v1/budget": {
      get: { tags, operationId: "getBudget", summary: "The project's budget: spent, reserved and left in this period", description: HOW, responses: { 200: json("The budget.", "Budget"), ...errors(404) } },
      put: {
        tags,
        operationId: "putBudget",
        summary: "Set (create or replace) the project's budget",
        description: `${HOW} Lowering a limit does not stop running runs; it applies to runs that start later.`,
        requestBody: body(PutBudgetSchema),
        responses: { 200: json("The budget as set.", "Budget"), ...errors(...BODY_ERRORS) },
      },
      delete: {
        tags,
        operationId: "deleteBudget",
        summary: "Remove the project's budget",
        description: "Runs start unbounded by the project again (their own caps still hold).",
        responses: { 204: { description: "Removed." }, ...errors(404) },
      },
    },
  };
}
