/** `sepo runs`: start (or estimate) pre-training and fine-tuning runs, watch, list, read, cancel. */
import type { RunSummary } from "../../engine";
import type { CandidateRecord, RunRecord } from "../../storage/run-repo";
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import type { CliContext } from "../context";
import { preview, score, table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";
import { describeRun } from "../run-progress";
import { watchToEnd } from "../run-watch";
import { buildRunRequest, describeEstimate, START_OPTIONS, START_USAGE } from "./run-start";

const WATCH_OPTIONS = {
  interval: { type: "string" },
  timeout: { type: "string" },
} as const;

const WATCH_FLAGS_USAGE = `  --interval <s>    seconds between polls (default 1)
  --timeout <s>     give up watching after this long (exit 1; the run continues)`;

function watchOptions(values: { interval?: string | undefined; timeout?: string | undefined }) {
  const seconds = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number of seconds`);
    return n * 1000;
  };
  const timeoutMs = seconds("timeout", values.timeout);
  return { intervalMs: seconds("interval", values.interval) ?? 1000, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

export const runsGroup: CommandGroup = {
  name: "runs",
  summary: "optimization runs: pre-training (a prompt agent) and fine-tuning (a task's prompt)",
  commands: {
    start: {
      summary: "start a run (or estimate its cost with --dry-run)",
      usage: `${START_USAGE}\n${WATCH_FLAGS_USAGE}`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, { ...START_OPTIONS, ...WATCH_OPTIONS }, { min: 1, max: 1, names: "run kind (pretrain or finetune)" });
        const request = await buildRunRequest(ctx, positionals[0]!, values);
        const client = await ctx.client();
        if (values["dry-run"]) {
          const estimate = await client.estimateRun(request);
          if (ctx.globals.json) ctx.json(estimate);
          else for (const l of describeEstimate(estimate)) ctx.out(l);
          return;
        }
        const run = await client.startRun<RunSummary>(request);
        if (!values.watch) {
          if (ctx.globals.json) ctx.json(run);
          else ctx.out(`started ${run.kind} run ${run.runId}\nwatch it: sepo runs watch ${run.runId}`);
          return;
        }
        ctx.info(`started ${run.kind} run ${run.runId}`);
        return watchToEnd(ctx, client, run.runId, watchOptions(values));
      },
    },
    watch: {
      summary: "follow a run until it ends: progress, scores per generation, result",
      usage: `sepo runs watch <runId> [--interval s] [--timeout s]

Exit code 0 when the run completes, 3 when it ends failed or cancelled.
${WATCH_FLAGS_USAGE}`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, WATCH_OPTIONS, { min: 1, max: 1, names: "run id" });
        return watchToEnd(ctx, await ctx.client(), positionals[0]!, watchOptions(values));
      },
    },
    list: {
      summary: "list runs, newest first",
      usage: `sepo runs list [--task id] [--status running|completed|cancelled|failed] [paging]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, { ...PAGE_OPTIONS, task: { type: "string" }, status: { type: "string" } }, { max: 0 });
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listRuns({ ...q, taskId: values.task, status: values.status }));
        printList(ctx, page, "sepo runs list", renderRuns, "no runs yet; start one with `sepo runs start`");
      },
    },
    get: {
      summary: "a run's live summary",
      usage: "sepo runs get <runId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "run id" });
        const run = await (await ctx.client()).getRunSummary(positionals[0]!);
        if (ctx.globals.json) ctx.json(run);
        else for (const l of describeRun(run)) ctx.out(l);
      },
    },
    cancel: {
      summary: "cancel a running run",
      usage: "sepo runs cancel <runId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "run id" });
        const run = await (await ctx.client()).cancelRun<RunSummary>(positionals[0]!);
        if (ctx.globals.json) ctx.json(run);
        else ctx.out(`run ${run.runId} is ${run.status}`);
      },
    },
    candidates: {
      summary: "a run's candidate prompts in creation order",
      usage: `sepo runs candidates <runId> [--status seed|inner|evaluating|admitted|rejected] [--limit n] [--offset n] [--full]

  --full            print each candidate's whole prompt text`,
      async run(ctx, args) {
        const options = { status: { type: "string" }, limit: { type: "string" }, offset: { type: "string" }, full: { type: "boolean" } } as const;
        const { values, positionals } = ctx.parse(args, options, { min: 1, max: 1, names: "run id" });
        const client = await ctx.client();
        const page = await client.listCandidates(positionals[0]!, { status: values.status, limit: values.limit, offset: values.offset });
        if (ctx.globals.json) ctx.json(page);
        else if (values.full) for (const c of page.items) ctx.out(`--- ${c.id} gen ${c.generation} ${c.status} fitness ${score(c.fitness)}\n${c.text}`);
        else ctx.out(page.items.length ? renderCandidates(page.items) : "no candidates");
      },
    },
  },
};

function renderRuns(runs: RunRecord[]): string {
  return table(
    ["id", "kind", "status", "tasks", "created", "finished"],
    runs.map((r) => [r.id, r.kind, r.status, r.taskIds.join(","), r.createdAt, r.finishedAt ?? "-"]),
  );
}

function renderCandidates(items: CandidateRecord[]): string {
  return table(
    ["id", "kind", "gen", "status", "fitness", "parent", "text"],
    items.map((c) => [c.id, c.kind, String(c.generation), c.status, score(c.fitness), c.parentId ?? "-", preview(c.text, 50)]),
  );
}
