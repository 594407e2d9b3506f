/** `sepo schedules`: cron schedules that fine-tune a task again and again (scheduled re-optimization). */
import type { ScheduleInput } from "../../client/api-client";
import type { TaskSchedule } from "../../storage/schedule-repo";
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import { table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";
import { runConfig } from "./run-start";

const SET_OPTIONS = {
  cron: { type: "string" },
  timezone: { type: "string" },
  config: { type: "string" },
  set: { type: "string", multiple: true },
  agent: { type: "string" },
  "agent-model": { type: "string" },
  "agent-base-url": { type: "string" },
  disable: { type: "boolean" },
} as const;

export const schedulesGroup: CommandGroup = {
  name: "schedules",
  summary: "cron schedules of fine-tuning runs, one per task",
  commands: {
    set: {
      summary: "set (or replace) a task's schedule",
      usage: `sepo schedules set <taskId> --cron <expr> [--timezone tz] [--config run.json] [--set k=v ...] [--agent which] [--disable]

  --cron <expr>            five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *"),
                           or a nickname such as @daily; at most every 15 minutes
  --timezone <tz>          the IANA zone the fields are read in, e.g. Europe/Berlin (default UTC)
  --config <file.json>     the runs' config, as for \`sepo runs start\`
  --set <key=value>        one config field (repeatable; wins over --config)
  --agent <which>          latest (the newest agent snapshot when each run starts; the default),
                           a snapshot id, or none (the built-in hand-written agent)
  --agent-model <name>     the prompt agent's model
  --agent-base-url <url>   an OpenAI-compatible endpoint for that model
  --disable                keep the schedule but start nothing until it is set again without --disable
Replaces the whole schedule: fields not given take their defaults. The service checks the
expression and that a run could start now, and refuses the schedule otherwise (exit 1).`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, SET_OPTIONS, { min: 1, max: 1, names: "task id" });
        if (!values.cron) throw new UsageError('--cron is required, e.g. --cron "0 3 * * *"');
        if (values["agent-base-url"] && !values["agent-model"]) throw new UsageError("--agent-base-url needs --agent-model");
        const config = await runConfig(ctx, values);
        const body: ScheduleInput = {
          cron: values.cron,
          ...(values.timezone ? { timezone: values.timezone } : {}),
          ...(Object.keys(config).length ? { config } : {}),
          ...(values.agent !== undefined ? { agent: values.agent === "none" ? null : values.agent } : {}),
          ...(values["agent-model"] ? { agentModel: { model: values["agent-model"], ...(values["agent-base-url"] ? { baseUrl: values["agent-base-url"] } : {}) } } : {}),
          ...(values.disable ? { enabled: false } : {}),
        };
        const schedule = await (await ctx.client()).putSchedule(positionals[0]!, body);
        if (ctx.globals.json) ctx.json(schedule);
        else ctx.out(`schedule of ${schedule.taskId} set: ${timing(schedule)}; ${nextRun(schedule)}`);
      },
    },
    get: {
      summary: "a task's schedule and what its last tick did",
      usage: "sepo schedules get <taskId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
        const schedule = await (await ctx.client()).getSchedule(positionals[0]!);
        if (ctx.globals.json) ctx.json(schedule);
        else ctx.out(describeSchedule(schedule));
      },
    },
    delete: {
      summary: "remove a task's schedule (a run it started keeps running)",
      usage: "sepo schedules delete <taskId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
        const taskId = positionals[0]!;
        await (await ctx.client()).deleteSchedule(taskId);
        if (ctx.globals.json) ctx.json({ taskId, deleted: true });
        else ctx.out(`removed the schedule of ${taskId}`);
      },
    },
    list: {
      summary: "the project's schedules, newest first",
      usage: `sepo schedules list [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listSchedules(q));
        printList(ctx, page, "sepo schedules list", renderSchedules, 'no schedules; set one with `sepo schedules set <taskId> --cron "0 3 * * *"`');
      },
    },
  },
};

const agentName = (agent: string | null) => agent ?? "none (hand-written)";

function timing(s: TaskSchedule): string {
  return `"${s.cron}" (${s.timezone}), agent ${agentName(s.agent)}, ${s.enabled ? "enabled" : "disabled"}`;
}

function nextRun(s: TaskSchedule): string {
  if (s.nextRunAt) return `next run ${s.nextRunAt}`;
  return s.enabled ? "it never fires again" : "no runs while disabled";
}

function describeSchedule(s: TaskSchedule): string {
  const last = s.lastOutcome ? `${s.lastOutcome} at ${s.lastOutcomeAt ?? "?"}${s.lastRunId ? ` (run ${s.lastRunId})` : ""}${s.lastReason ? `: ${s.lastReason}` : ""}` : "none yet";
  return [
    `${s.taskId}  ${timing(s)}`,
    `next       ${s.nextRunAt ?? "-"}`,
    `last tick  ${last}`,
    `config     ${JSON.stringify(s.config)}`,
    ...(s.agentModel ? [`agent model ${s.agentModel.model}${s.agentModel.baseUrl ? ` @ ${s.agentModel.baseUrl}` : ""}`] : []),
    `created    ${s.createdAt}`,
    `updated    ${s.updatedAt}`,
  ].join("\n");
}

function renderSchedules(items: TaskSchedule[]): string {
  return table(
    ["task", "cron", "timezone", "enabled", "next run", "last outcome", "agent"],
    items.map((s) => [s.taskId, s.cron, s.timezone, s.enabled ? "yes" : "no", s.nextRunAt ?? "-", s.lastOutcome ?? "-", agentName(s.agent)]),
  );
}
