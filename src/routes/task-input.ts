/**
 * The body of `POST /v1/tasks` and its normalisation into a task to store: defaults
 * filled in and every example given its final split.
 */
import { z } from "zod";
import type { Split } from "../engine/types";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { ScorerSpecSchema } from "../scoring/scorer-spec";
import { checkModelBaseUrl, type ModelUrlEnv } from "../security/model-base-url";
import { DEFAULT_SPLIT_RATIOS, SPLITS, type SplitRatios, assignSplits } from "../split";
import type { NewTask } from "../storage/task-repo";

export const MAX_EXAMPLES = 5000;
const RATIO_TOLERANCE = 1e-6;

/** Zod says "expected string, received undefined" for a missing field; say "is required" instead. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${expected}`);

const text = (min: number, max: number) =>
  z
    .string({ error: typeError("a string") })
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const ExampleInputSchema = z.strictObject({
  input: text(1, 20_000),
  expected: text(0, 20_000),
  split: z.enum(SPLITS, { error: 'must be "train", "val" or "test"' }).optional(),
});

const ratio = z.number({ error: typeError("a number from 0 to 1") }).min(0, "must be at least 0").max(1, "must be at most 1");

export const SplitRatiosSchema = z
  .strictObject({ train: ratio, val: ratio, test: ratio })
  .superRefine((r, ctx) => {
    const sum = r.train + r.val + r.test;
    if (Math.abs(sum - 1) > RATIO_TOLERANCE) {
      ctx.addIssue({ code: "custom", message: `train + val + test must sum to 1 (they sum to ${sum})` });
    }
  });

/**
 * What `scorer` accepts, for the JSON Schema of this body (GET /openapi.json): the pipe
 * below starts from `unknown`, whose JSON Schema would document nothing.
 */
const { $schema: _scorerDialect, ...SCORER_JSON_SCHEMA } = z.toJSONSchema(ScorerSpecSchema, { io: "input" });

export const TaskModelInputSchema = z.strictObject({
  model: text(1, 200),
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://api.openai.com/v1" }).optional(),
});

export const CreateTaskSchema = z.strictObject({
  name: z.string({ error: typeError("a string") }).trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: text(0, 2000).default(""),
  seedPrompt: text(1, 8000),
  // The scorer schema's own messages are fine except for a missing scorer.
  scorer: z.unknown().refine((v) => v !== undefined, 'is required, e.g. { "type": "exact" }').pipe(ScorerSpecSchema).meta(SCORER_JSON_SCHEMA),
  model: TaskModelInputSchema.optional(),
  examples: z
    .array(ExampleInputSchema, { error: typeError("an array of { input, expected, split? }") })
    .min(1, "must hold at least one example")
    .max(MAX_EXAMPLES, `must hold at most ${MAX_EXAMPLES} examples; split larger data sets into several tasks`),
  split: SplitRatiosSchema.optional(),
  splitSeed: z.number({ error: typeError("an integer") }).int("must be an integer").default(0),
  /** pass@k: answers per example, the best one counting (ARC-AGI uses 3). */
  attempts: z.number({ error: typeError("an integer from 1 to 10") }).int("must be an integer").min(1, "must be at least 1").max(10, "must be at most 10").default(1),
});
export type CreateTaskInput = z.infer<typeof CreateTaskSchema>;

/**
 * Examples that name a split keep it; the others are dealt out by a seeded shuffle in
 * the requested ratios (see split.ts), in the order they were given.
 */
export function resolveSplits(examples: Array<{ split?: Split | undefined }>, ratios: SplitRatios, seed: number): Split[] {
  const unsplit = examples.filter((e) => e.split === undefined).length;
  const assigned = assignSplits(unsplit, ratios, seed);
  let next = 0;
  return examples.map((e) => e.split ?? assigned[next++]!);
}

/**
 * The task to store for a valid body. Throws a 400 when the train or val split would
 * be empty (a run needs train examples to learn from and val examples to choose its
 * champion), or when `model.baseUrl` is an address the service must not call
 * (security/model-base-url.ts).
 */
export function toNewTask(body: CreateTaskInput, env: Pick<AppEnv, "DEFAULT_TASK_MODEL"> & ModelUrlEnv): NewTask {
  if (body.model?.baseUrl !== undefined) checkModelBaseUrl(body.model.baseUrl, "model.baseUrl", env);
  const ratios = body.split ?? DEFAULT_SPLIT_RATIOS;
  const splits = resolveSplits(body.examples, ratios, body.splitSeed);
  for (const required of ["train", "val"] as const) {
    if (splits.includes(required)) continue;
    const message =
      `the ${required} split would be empty (${body.examples.length} example(s)); ` +
      `add examples, mark some with "split": "${required}", or raise split.${required}`;
    throw new AppError("invalid_request", `Invalid request body: examples: ${message}`, [{ path: "examples", message }]);
  }
  return {
    name: body.name,
    description: body.description,
    seedPrompt: body.seedPrompt,
    scorer: body.scorer,
    model: body.model ?? { model: env.DEFAULT_TASK_MODEL },
    splitSeed: body.splitSeed,
    attempts: body.attempts,
    examples: body.examples.map((e, i) => ({ input: e.input, expected: e.expected, split: splits[i]! })),
  };
}
