/** `sepo tasks`: create tasks (from a task JSON, JSONL examples or a promptfoo config), list, read, add examples. */
import { basename } from "node:path";
import type { Task } from "../../storage/task-repo";
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import type { CliContext } from "../context";
import { table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";
import { convertPromptfoo } from "../promptfoo/convert";
import { fileRefReader, parsePromptfooConfig } from "../promptfoo/load";
import { parseIntFlag, parseScorerFlag, parseSplitFlag, parseTaskFile } from "../task-body";
import { addExamplesCommand } from "./task-examples";

const CREATE_OPTIONS = {
  file: { type: "string" },
  promptfoo: { type: "string" },
  name: { type: "string" },
  description: { type: "string" },
  "seed-prompt": { type: "string" },
  scorer: { type: "string" },
  model: { type: "string" },
  "model-base-url": { type: "string" },
  split: { type: "string" },
  "split-seed": { type: "string" },
  "expected-var": { type: "string" },
  "ignore-assert": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

type CreateFlags = { [K in keyof typeof CREATE_OPTIONS]?: (typeof CREATE_OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

const CREATE_USAGE = `sepo tasks create (--file <task.json|examples.jsonl> | --promptfoo <promptfooconfig.yaml|.json>) [options]

Sources
  --file task.json          a task body as POST /v1/tasks takes it ({name, seedPrompt, scorer, examples, ...});
                            flags below override its fields
  --file examples.jsonl     one example per line: {"input": "...", "expected": "...", "split"?: "train"|"val"|"test"}
                            (or a .json file holding a list of examples); needs --name, --seed-prompt, --scorer
  --promptfoo config.yaml   a promptfoo config (.yaml/.yml, else JSON; tests may come from file://tests.yaml):
                            the first prompt rendered with each test's {{vars}} is the example's input (the user
                            message); a chat prompt's system message is the seed prompt, else --seed-prompt or a
                            default; each test needs ONE assertion of one type across all tests:
                            equals -> exact (case-sensitive), contains -> contains (case-sensitive),
                            icontains -> contains, regex -> regex (same pattern in every test),
                            is-json -> is-json (no schema); anything else (javascript,
                            llm-rubric, ...) stops with a message
Options
  --name <text>             task name
  --description <text>
  --seed-prompt <text|@file> the system prompt to start from (@file reads a file)
  --scorer <type|json>      exact, numeric, choice, contains, or JSON such as '{"type":"regex","pattern":"^yes"}'
  --model <name>            the task model (default: the service's DEFAULT_TASK_MODEL)
  --model-base-url <url>    an OpenAI-compatible endpoint for that model
  --split <t,v,t>           train,val,test fractions for examples without a split (default 0.5,0.25,0.25)
  --split-seed <n>          seed of the split shuffle
  --expected-var <var>      promptfoo: expected value = this test var; assertions are ignored (needs --scorer)
  --ignore-assert <types>   promptfoo: drop these assertion types, comma-separated (e.g. javascript,latency)
  --dry-run                 print the task body that would be sent, and stop`;

export const tasksGroup: CommandGroup = {
  name: "tasks",
  summary: "tasks: examples, a scorer, a model and a seed prompt",
  commands: {
    create: { summary: "create a task", usage: CREATE_USAGE, run: createTask },
    list: {
      summary: "list tasks, newest first",
      usage: `sepo tasks list [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listTasks(q));
        printList(ctx, page, "sepo tasks list", renderTasks, "no tasks yet; create one with `sepo tasks create`");
      },
    },
    get: {
      summary: "show one task",
      usage: "sepo tasks get <taskId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
        const task = await (await ctx.client()).getTask(positionals[0]!);
        if (ctx.globals.json) ctx.json(task);
        else ctx.out(describeTask(task));
      },
    },
    "add-examples": addExamplesCommand,
  },
};

async function createTask(ctx: CliContext, args: string[]): Promise<void> {
  const { values } = ctx.parse(args, CREATE_OPTIONS, { max: 0 });
  const flags = values as CreateFlags;
  if (!flags.file === !flags.promptfoo) throw new UsageError("give exactly one of --file or --promptfoo");
  if (!flags.promptfoo && (flags["expected-var"] || flags["ignore-assert"])) throw new UsageError("--expected-var and --ignore-assert apply to --promptfoo");
  const body = flags.promptfoo ? await promptfooBody(ctx, flags) : await fileBody(ctx, flags);
  if (flags.split) body.split = parseSplitFlag(flags.split);
  if (flags["split-seed"]) body.splitSeed = parseIntFlag("split-seed", flags["split-seed"]);
  if (flags["dry-run"]) {
    ctx.json(body);
    return;
  }
  const task = await (await ctx.client()).createTask<Task>(body);
  if (ctx.globals.json) {
    ctx.json(task);
    return;
  }
  const c = task.counts;
  ctx.out(`created task ${task.id} "${task.name}": ${c.train + c.val + c.test} examples (train ${c.train}, val ${c.val}, test ${c.test}), scorer ${task.scorer?.type ?? "?"}`);
  ctx.out(`next: sepo runs start finetune --task ${task.id} --watch`);
}

async function fileBody(ctx: CliContext, flags: CreateFlags): Promise<Record<string, unknown>> {
  const file = parseTaskFile(flags.file!, await ctx.readText(flags.file!));
  const overrides = await commonOverrides(ctx, flags);
  if (file.kind === "body") return { ...file.body, ...overrides };
  const missing = (["name", "seed-prompt", "scorer"] as const).filter((f) => !flags[f]);
  if (missing.length) throw new UsageError(`a file of examples needs ${missing.map((m) => `--${m}`).join(", ")}`);
  return { ...overrides, examples: file.examples };
}

async function promptfooBody(ctx: CliContext, flags: CreateFlags): Promise<Record<string, unknown>> {
  const path = ctx.resolvePath(flags.promptfoo!);
  const config = parsePromptfooConfig(path, await ctx.readText(flags.promptfoo!));
  const overrides = await commonOverrides(ctx, flags);
  const converted = convertPromptfoo(config, {
    readRef: fileRefReader(path),
    fileName: basename(path),
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(overrides.seedPrompt ? { seedPrompt: overrides.seedPrompt as string } : {}),
    ...(overrides.scorer ? { scorer: overrides.scorer as Record<string, unknown> } : {}),
    ...(overrides.model ? { model: overrides.model as { model: string } } : {}),
    ...(flags["expected-var"] ? { expectedVar: flags["expected-var"] } : {}),
    ...(flags["ignore-assert"] ? { ignoreAsserts: flags["ignore-assert"].split(",").map((t) => t.trim()) } : {}),
  });
  for (const note of converted.notes) ctx.io.stderr.write(`promptfoo: ${note}\n`);
  for (const warning of converted.warnings) ctx.warn(warning);
  return { ...converted.body };
}

/** Body fields given as flags; they win over the file's. */
async function commonOverrides(ctx: CliContext, flags: CreateFlags): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (flags.name) out.name = flags.name;
  if (flags.description !== undefined) out.description = flags.description;
  if (flags["seed-prompt"]) out.seedPrompt = await ctx.textArg(flags["seed-prompt"]);
  if (flags.scorer) out.scorer = parseScorerFlag(flags.scorer);
  if (flags["model-base-url"] && !flags.model) throw new UsageError("--model-base-url needs --model");
  if (flags.model) out.model = { model: flags.model, ...(flags["model-base-url"] ? { baseUrl: flags["model-base-url"] } : {}) };
  return out;
}

function renderTasks(tasks: Task[]): string {
  return table(
    ["id", "name", "scorer", "train/val/test", "live", "created"],
    tasks.map((t) => [t.id, t.name, t.scorer?.type ?? "?", `${t.counts.train}/${t.counts.val}/${t.counts.test}`, t.liveVersion === null ? "-" : `v${t.liveVersion}`, t.createdAt]),
  );
}

function describeTask(t: Task): string {
  return [
    `${t.id}  ${t.name}`,
    ...(t.description ? [t.description] : []),
    `scorer    ${JSON.stringify(t.scorer)}`,
    `model     ${t.model ? `${t.model.model}${t.model.baseUrl ? ` @ ${t.model.baseUrl}` : ""}` : "?"}`,
    `examples  train ${t.counts.train}, val ${t.counts.val}, test ${t.counts.test} (split seed ${t.splitSeed})`,
    `live      ${t.liveVersion === null ? "none yet" : `v${t.liveVersion} (sepo prompt get ${t.id})`}`,
    `created   ${t.createdAt}`,
    "seed prompt:",
    ...t.seedPrompt.split("\n").map((l) => `  ${l}`),
  ].join("\n");
}
