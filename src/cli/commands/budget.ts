/** `sepo budget`: the project's spending limit over every run (calls, tokens, USD), per month or in total. */
import { type BudgetInput, ApiError } from "../../client/api-client";
import type { BudgetView } from "../../routes/budget";
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import type { CliContext } from "../context";
import { count, table, usd } from "../format";

const SET_OPTIONS = { calls: { type: "string" }, tokens: { type: "string" }, usd: { type: "string" }, period: { type: "string" } } as const;

const NO_BUDGET = "this project has no budget; set one with `sepo budget set --usd 50` (or --calls, --tokens)";

export const budgetGroup: CommandGroup = {
  name: "budget",
  summary: "the project's budget: limits, spending in the period, what is left",
  commands: {
    get: {
      summary: "limits, spent, reserved by running runs, remaining, alerts",
      usage: "sepo budget get\n\nExits 1 when the project has no budget.",
      async run(ctx, args) {
        ctx.parse(args, {}, { max: 0 });
        const budget = await withNoBudgetMessage(async () => (await ctx.client()).getBudget());
        print(ctx, budget);
      },
    },
    set: {
      summary: "set (or replace) the limits",
      usage: `sepo budget set [--calls n] [--tokens n] [--usd x] [--period month|total]

  --calls <n>       model calls of every run of the project
  --tokens <n>      prompt + completion tokens
  --usd <x>         US dollars (counts models priced in a run's config.prices)
  --period <p>      month (a UTC calendar month; the default) or total (all spending ever)
At least one limit. Replaces the whole budget: limits not given are removed. Each run holds
its caps (config.budget, else what is left) against the budget when it starts; a run whose
caps do not fit is refused.`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, SET_OPTIONS, { max: 0 });
        const limits = {
          ...(values.calls !== undefined ? { calls: positiveNumber("calls", values.calls, true) } : {}),
          ...(values.tokens !== undefined ? { tokens: positiveNumber("tokens", values.tokens, true) } : {}),
          ...(values.usd !== undefined ? { usd: positiveNumber("usd", values.usd, false) } : {}),
        };
        if (Object.keys(limits).length === 0) throw new UsageError("give at least one of --calls, --tokens, --usd");
        const period = values.period;
        if (period !== undefined && period !== "month" && period !== "total") throw new UsageError(`--period must be month or total, not "${period}"`);
        const body: BudgetInput = { limits, ...(period ? { period } : {}) };
        print(ctx, await (await ctx.client()).putBudget(body));
      },
    },
    clear: {
      summary: "remove the budget (runs keep their own caps)",
      usage: "sepo budget clear\n\nExits 1 when the project has no budget.",
      async run(ctx, args) {
        ctx.parse(args, {}, { max: 0 });
        await withNoBudgetMessage(async () => (await ctx.client()).deleteBudget());
        if (ctx.globals.json) ctx.json({ deleted: true });
        else ctx.out("budget removed");
      },
    },
  },
};

function positiveNumber(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a positive ${integer ? "whole number" : "number"}, not "${value}"`);
  }
  return n;
}

/** The API's 404 names PUT /v1/budget; on the command line the way out is `sepo budget set`. */
async function withNoBudgetMessage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw new ApiError(404, error.body, NO_BUDGET);
    throw error;
  }
}

function print(ctx: CliContext, b: BudgetView): void {
  if (ctx.globals.json) {
    ctx.json(b);
    return;
  }
  const window = b.period === "total" ? "total (all spending ever)" : `month ${b.periodKey} (until ${b.periodEnd ?? "?"})`;
  ctx.out(`period  ${window}`);
  const show = (d: "calls" | "tokens" | "usd", x: number | null) => (x === null ? "-" : d === "usd" ? usd(x) : count(x));
  const dims = (["calls", "tokens", "usd"] as const).filter((d) => b.limits[d] !== null);
  ctx.out(
    table(
      ["", "limit", "spent", "reserved", "remaining"],
      dims.map((d) => [d, show(d, b.limits[d]), show(d, b.spent[d]), show(d, b.reserved[d]), show(d, b.remaining[d])]),
    ),
  );
  ctx.out(`running runs  ${b.activeRuns}`);
  if (b.thresholdsReached.length) ctx.out(`reached       ${b.thresholdsReached.map((t) => `${Math.round(t * 100)}%`).join(", ")} of the budget`);
  for (const a of b.alerts) ctx.out(`alert         ${Math.round(a.threshold * 100)}% of ${a.dimension} at ${a.at}${a.sent ? "" : " (webhook not sent yet)"}`);
}
