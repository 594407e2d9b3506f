/**
 * table.md and results.csv. Both are pure functions of results.json (plus the command
 * line), and the CSV leaves out run ids and timings, so a re-run with the same seeds and
 * data must produce a byte-identical CSV: `diff` is the determinism check.
 */
import { METHOD_LABELS, type MethodId } from "./methods";
import type { BenchResults, CellRecord, RoleSpend } from "./results-store";
import { budgetsUsed, type CostRow, type ScoreTable, type Stat } from "./stats";

/** "57.55 ± 1.23" (x100, two decimals, like the paper); n is shown when some seeds are missing. */
export function formatStat(stat: Stat | null, seeds: number): string {
  if (!stat) return "–";
  const core = `${(stat.mean * 100).toFixed(2)}${stat.sd === null ? "" : ` ± ${(stat.sd * 100).toFixed(2)}`}`;
  return stat.n < seeds ? `${core} (n=${stat.n})` : core;
}

/** Whole numbers stay whole; a mean over cells gets one decimal. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

const tokens = (s: { promptTokens: number; completionTokens: number }) => s.promptTokens + s.completionTokens;

export function scoreMarkdown(table: ScoreTable): string {
  const head = `| Method | ${table.tasks.join(" | ")} | Avg |`;
  const rule = `|---|${table.tasks.map(() => "---:|").join("")}---:|`;
  // Bold the best mean per column, as the paper does.
  const best = (pick: (r: ScoreTable["rows"][number]) => Stat | null) => Math.max(...table.rows.map((r) => pick(r)?.mean ?? -Infinity));
  const cell = (stat: Stat | null, top: number) => {
    const text = formatStat(stat, table.seeds.length);
    return stat && stat.mean === top && table.rows.length > 1 ? `**${text}**` : text;
  };
  const lines = table.rows.map((row) => {
    const tasks = table.tasks.map((t) => cell(row.cells[t] ?? null, best((r) => r.cells[t] ?? null)));
    return `| ${METHOD_LABELS[row.method]} | ${tasks.join(" | ")} | ${cell(row.avg, best((r) => r.avg))} |`;
  });
  return [head, rule, ...lines].join("\n");
}

export function costMarkdown(rows: readonly CostRow[], withUsd: boolean): string {
  const roleCols = (label: string) => [`${label} task calls`, `${label} task tokens`, `${label} agent calls`, `${label} agent tokens`, ...(withUsd ? [`${label} USD`] : [])];
  const head = ["Method", "cells", ...roleCols("FT"), "PT runs", ...roleCols("PT")];
  const roles = (s: RoleSpend | null) =>
    s ? [num(s.task.calls), num(Math.round(tokens(s.task))), num(s.agent.calls), num(Math.round(tokens(s.agent))), ...(withUsd ? [(s.task.usd + s.agent.usd).toFixed(4)] : [])] : roleCols("").map(() => "–");
  const lines = rows.map((r) => `| ${[METHOD_LABELS[r.method], String(r.cells), ...roles(r.finetune), String(r.pretrainRuns), ...roles(r.pretrain)].join(" | ")} |`);
  return [`| ${head.join(" | ")} |`, `|---|${head.slice(1).map(() => "---:|").join("")}`, ...lines].join("\n");
}

export interface TableDoc {
  title: string;
  command: string;
  results: BenchResults;
  scores: ScoreTable;
  costs: CostRow[];
  /** Lines for the notes section (model, skipped cells, timing). */
  notes: string[];
}

export function tableMarkdown(doc: TableDoc): string {
  const withUsd = doc.costs.some((r) => (r.finetune.task.usd + r.finetune.agent.usd + (r.pretrain ? r.pretrain.task.usd + r.pretrain.agent.usd : 0)) > 0);
  const budgets = budgetsUsed(doc.results).map((b) => (b === null ? "not enforced (the service has no budget.maxTaskCalls yet)" : `${b} task-model calls`));
  return [
    `# ${doc.title}`,
    "",
    "```",
    doc.command,
    "```",
    "",
    `## Test score: pass@1 x 100, mean ± sd over seeds ${doc.scores.seeds.join(", ")}`,
    "",
    scoreMarkdown(doc.scores),
    "",
    "Score = the fine-tuning champion's score on the target task's sealed test split. Avg = mean ± sd over seeds of each seed's average across the tasks (seeds with every task completed). Best mean per column in bold.",
    "",
    "## Cost per cell (mean over completed cells)",
    "",
    costMarkdown(doc.costs, withUsd),
    "",
    "FT = the target's fine-tuning run. PT = the pre-training run the cell used, listed separately and in full (not amortized): under the held-out rule each target has its own pre-training, except that SePO-Specialist targets with the same related task share one run. Calls and tokens per role come from the runs' spentByRole; task = the task model, agent = the prompt agent.",
    "",
    `Fine-tuning budget per target: ${budgets.join("; ") || "n/a"}.`,
    "",
    "## Notes",
    "",
    ...doc.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}

const CSV_HEAD = [
  "method", "method_label", "task", "seed", "status", "score", "seed_score", "champion_val", "seed_val", "champion_train", "seed_train", "budget_task_calls",
  "ft_task_calls", "ft_task_prompt_tokens", "ft_task_completion_tokens", "ft_agent_calls", "ft_agent_prompt_tokens", "ft_agent_completion_tokens", "ft_usd",
  "pretrain_key", "pt_task_calls", "pt_task_tokens", "pt_agent_calls", "pt_agent_tokens", "pt_usd", "stop_reason", "note",
];

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per cell, in grid order; cells never run are left out. */
export function resultsCsv(results: BenchResults, order: ReadonlyArray<{ method: MethodId; task: string; seed: number }>): string {
  const rows = order.flatMap(({ method, task, seed }) => {
    const c: CellRecord | undefined = results.cells[`${method}|${task}|${seed}`];
    if (!c) return [];
    const pt = c.pretrainKey ? results.pretrains[c.pretrainKey]?.spent ?? null : null;
    const ft = c.finetune;
    return [
      [
        c.method, METHOD_LABELS[c.method], c.task, c.seed, c.status, c.score, c.seedScore,
        c.splits?.champion.val ?? null, c.splits?.seed.val ?? null, c.splits?.champion.train ?? null, c.splits?.seed.train ?? null, c.budgetTaskCalls,
        ft?.task.calls ?? null, ft?.task.promptTokens ?? null, ft?.task.completionTokens ?? null, ft?.agent.calls ?? null, ft?.agent.promptTokens ?? null, ft?.agent.completionTokens ?? null,
        ft ? ft.task.usd + ft.agent.usd : null,
        c.pretrainKey, pt?.task.calls ?? null, pt ? tokens(pt.task) : null, pt?.agent.calls ?? null, pt ? tokens(pt.agent) : null, pt ? pt.task.usd + pt.agent.usd : null,
        c.stopReason, c.note,
      ].map(csvField).join(","),
    ];
  });
  return `${[CSV_HEAD.join(","), ...rows].join("\n")}\n`;
}
