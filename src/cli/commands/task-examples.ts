/** `sepo tasks add-examples`: append labelled examples to an existing task (POST /v1/tasks/:id/examples). */
import { InputError, UsageError } from "../cli-error";
import type { Command } from "../command";
import { parseTaskFile } from "../task-body";

const SPLITS = ["train", "val", "test"] as const;

const OPTIONS = { file: { type: "string" }, split: { type: "string" } } as const;

export const addExamplesCommand: Command = {
  summary: "add examples to a task (a JSONL file, or a JSON list)",
  usage: `sepo tasks add-examples <taskId> --file <examples.jsonl|examples.json> [--split train|val|test]

  --file <path>     .jsonl: one example per line {"input": "...", "expected": "...", "split"?: "train"|"val"|"test"};
                    .json: a list of examples, or {"examples": [...]}
  --split <split>   put every example that names no split into this one
Examples without a split are spread over train, val and test so the task keeps the ratios it
was created with. A task holds at most 5000 examples.`,
  async run(ctx, args) {
    const { values, positionals } = ctx.parse(args, OPTIONS, { min: 1, max: 1, names: "task id" });
    if (!values.file) throw new UsageError("--file <examples.jsonl> is required");
    const split = values.split;
    if (split !== undefined && !(SPLITS as readonly string[]).includes(split)) throw new UsageError(`--split must be train, val or test, not "${split}"`);
    let examples = examplesOf(values.file, await ctx.readText(values.file));
    if (split) examples = examples.map((e) => (e && typeof e === "object" && !("split" in e) ? { ...e, split } : e));
    const taskId = positionals[0]!;
    const added = await (await ctx.client()).appendExamples(taskId, examples);
    if (ctx.globals.json) {
      ctx.json(added);
      return;
    }
    const c = added.counts;
    ctx.out(`added ${added.added} example(s) to ${added.taskId}: now train ${c.train}, val ${c.val}, test ${c.test}`);
  },
};

function examplesOf(path: string, text: string): unknown[] {
  const file = parseTaskFile(path, text);
  if (file.kind === "examples") return file.examples;
  const examples = file.body.examples;
  if (!Array.isArray(examples)) throw new InputError(`${path} must hold a list of examples, or an object {"examples": [...]}`);
  return examples;
}
