/**
 * The engine's contract with the outside world: the jobs it asks to be run and the
 * results it accepts back. Jobs travel over the queue as JSON, so every shape here has
 * a zod schema; the consumer validates what it receives, the Durable Object validates
 * what it is told.
 */
import { z } from "zod";

/** Which model a job calls. The adapter resolves the endpoint (base URL, key) by role. */
export const ModelRefSchema = z.object({
  /** `task` = the task agent's model, `agent` = the prompt agent's model. */
  role: z.enum(["task", "agent"]),
  model: z.string().min(1),
  /** Optional per-task endpoint; absent means the service default from env. */
  baseUrl: z.string().url().optional(),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const UsageSchema = z.object({
  calls: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const ZERO_USAGE: Usage = { calls: 0, promptTokens: 0, completionTokens: 0 };

/** A pointer to one scored example of one candidate, resolved by the consumer from D1. */
export const ExampleRefSchema = z.object({
  candidateId: z.string(),
  exampleId: z.string(),
});
export type ExampleRef = z.infer<typeof ExampleRefSchema>;

/** What a prompt agent is shown about one pool task when it rewrites itself. */
export const TrackRecordEntrySchema = z.object({
  taskId: z.string(),
  seedPrompt: z.string(),
  producedPrompt: z.string(),
  seedScore: z.number(),
  producedScore: z.number(),
  failures: z.array(ExampleRefSchema),
});
export type TrackRecordEntry = z.infer<typeof TrackRecordEntrySchema>;

const JobBase = {
  v: z.literal(1),
  jobId: z.string().min(1),
  runId: z.string().min(1),
  model: ModelRefSchema,
  /** Hard cap passed to the model as max_tokens; the budget reservation relies on it. */
  maxOutputTokens: z.number().int().positive(),
};

/** Run the task agent (system prompt `prompt`) on examples and score every answer. */
export const EvaluateJobSchema = z.object({
  ...JobBase,
  type: z.literal("evaluate"),
  taskId: z.string(),
  candidateId: z.string(),
  prompt: z.string(),
  split: z.enum(["train", "val", "test"]),
  exampleIds: z.array(z.string()).min(1),
  /** pass@k: answers per example (absent = 1); the example scores its best attempt. */
  attempts: z.number().int().min(1).max(10).optional(),
});
export type EvaluateJob = z.infer<typeof EvaluateJobSchema>;

/**
 * One prompt-agent call.
 * - `task`: writes a child task prompt. `systemPrompt` is the prompt agent; `parentPrompt`
 *   a task prompt; `feedback` points at the parent's scored examples on `taskId`.
 *   Optional context (absent in SePO jobs, so older messages stay valid): `critique`, a
 *   TextGrad critique of the parent to act on; `sharedPrompt`, MetaSPO's shared system
 *   prompt that precedes the task prompt and is not to be edited (`parentPrompt` and the
 *   answer are then the task part only).
 * - `critique`: TextGrad's "textual gradient": same inputs as `task`, but the answer is a
 *   critique of `parentPrompt`, returned as the result's `text`, not a prompt.
 * - `agent`: self-reference; `parentPrompt` is a prompt-agent prompt and `trackRecord` what
 *   it achieved. `systemPrompt` equals `parentPrompt` when the agent improves itself, or
 *   is a fixed meta-optimizer prompt in the fixed-optimizer ablation.
 * - `system`: MetaSPO's outer step: `parentPrompt` is the shared system prompt and
 *   `trackRecord` what the pool tasks achieved under it (their full prompts and failures).
 */
export const ProposeJobSchema = z.object({
  ...JobBase,
  type: z.literal("propose"),
  mode: z.enum(["task", "agent", "critique", "system"]),
  systemPrompt: z.string(),
  parentPrompt: z.string(),
  taskId: z.string().optional(),
  feedback: z.array(ExampleRefSchema),
  trackRecord: z.array(TrackRecordEntrySchema),
  critique: z.string().optional(),
  sharedPrompt: z.string().optional(),
});
export type ProposeJob = z.infer<typeof ProposeJobSchema>;

export const JobSchema = z.discriminatedUnion("type", [EvaluateJobSchema, ProposeJobSchema]);
export type Job = z.infer<typeof JobSchema>;

/** One example's outcome. A failed call is a value: score 0 with the reason as feedback. */
export const EvaluationRowSchema = z.object({
  exampleId: z.string(),
  output: z.string(),
  score: z.number().min(0).max(1),
  feedback: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type EvaluationRow = z.infer<typeof EvaluationRowSchema>;

export const EvaluateResultSchema = z.object({
  type: z.literal("evaluate"),
  rows: z.array(EvaluationRowSchema),
  usage: UsageSchema,
});
export type EvaluateResult = z.infer<typeof EvaluateResultSchema>;

/**
 * `text` is null when the prompt agent's answer held no usable prompt (a failed
 * proposal). For a `critique` job, `text` is the critique (null when empty).
 */
export const ProposeResultSchema = z.object({
  type: z.literal("propose"),
  text: z.string().nullable(),
  raw: z.string(),
  usage: UsageSchema,
});
export type ProposeResult = z.infer<typeof ProposeResultSchema>;

export const JobResultSchema = z.discriminatedUnion("type", [EvaluateResultSchema, ProposeResultSchema]);
export type JobResult = z.infer<typeof JobResultSchema>;
