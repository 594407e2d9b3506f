/**
 * A dry-run estimate of a whole run with no budget caps: every call the run would make
 * when every proposal succeeds and every child is admitted (the most work the method
 * can do), with the same byte bounds the budget reserves per job. Computed in closed
 * form rather than by simulating the run, so it is cheap enough for a request handler.
 */
import { usdOf } from "./budget";
import { chooseExampleSets } from "./create-run";
import type { ModelRef } from "./jobs";
import { CALL_OVERHEAD_BYTES, feedbackItemBytes, TEMPLATE_SLACK_BYTES, trackRecordEntryBytes } from "./job-estimate";
import { FIXED_META_OPTIMIZER_PROMPT } from "./prompt-templates";
import { createRng } from "./rng";
import { type CreateRunInput, CreateRunInputSchema, type EngineTask, type RunConfig } from "./types";
import { utf8Length } from "./utf8";

export interface RunEstimate {
  calls: number;
  tokensUpperBound: number;
  usdUpperBound: number;
}

/** A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_CHAR = 3;
/** Failures shown per pool task in a track record (see proposals.ts). */
const TRACK_RECORD_FAILURES = 4;

interface Plan {
  config: RunConfig;
  sets: Record<string, { train: string[]; val: string[]; test: string[] }>;
  total: RunEstimate;
}

/** Upper bounds for the run `input` describes, ignoring its budget. */
export function estimateRun(input: CreateRunInput): RunEstimate {
  const parsed = CreateRunInputSchema.parse(input);
  const config = parsed.config;
  const plan: Plan = { config, sets: chooseExampleSets(createRng(config.seed), parsed.tasks, config), total: { calls: 0, tokensUpperBound: 0, usdUpperBound: 0 } };
  if (parsed.kind === "finetune") estimateFinetune(plan, parsed.tasks[0] as EngineTask, utf8Length(parsed.agentPrompt), parsed.agentModel);
  else estimatePretrain(plan, parsed.tasks, utf8Length(parsed.agentPrompt), parsed.agentModel);
  return plan.total;
}

function estimateFinetune(plan: Plan, task: EngineTask, agentBytes: number, agentModel: ModelRef): void {
  const { generations: g, childrenPerGeneration: k } = plan.config;
  const seedBytes = utf8Length(task.seedPrompt);
  const childBytes = plan.config.maxPromptChars * MAX_BYTES_PER_CHAR;
  const children = g * k;
  // Linear search sends only the heads (one per generation) to validation.
  const childrenOnVal = plan.config.search === "linear" ? g : children;
  for (const split of ["train", "val", "test"] as const) evaluate(plan, task, split, seedBytes, 1);
  evaluate(plan, task, "train", childBytes, children);
  evaluate(plan, task, "val", childBytes, childrenOnVal);
  if (g > 0) evaluate(plan, task, "test", childBytes, 1);
  propose(plan, agentModel, children, agentBytes + Math.max(seedBytes, childBytes) + taskFeedbackBytes(plan, task));
}

function estimatePretrain(plan: Plan, tasks: EngineTask[], agentBytes: number, agentModel: ModelRef): void {
  const { generations: g, childrenPerGeneration: k, innerSteps, selfImprove } = plan.config;
  const childBytes = plan.config.maxPromptChars * MAX_BYTES_PER_CHAR;
  const children = g * k;
  let trackRecordBytes = 0;
  for (const task of tasks) {
    const seedBytes = utf8Length(task.seedPrompt);
    evaluate(plan, task, "train", seedBytes, 1);
    evaluate(plan, task, "val", seedBytes, 1);
    // Every agent (the seed and each child) runs innerSteps proposals on this task.
    const parentBytes = Math.max(seedBytes, childBytes) + taskFeedbackBytes(plan, task);
    propose(plan, agentModel, innerSteps, agentBytes + parentBytes);
    propose(plan, agentModel, children * innerSteps, childBytes + parentBytes);
    evaluate(plan, task, "val", childBytes, (1 + children) * innerSteps);
    evaluate(plan, task, "train", childBytes, (1 + children) * (innerSteps - 1));
    const failures = Math.min(TRACK_RECORD_FAILURES, plan.sets[task.taskId]?.val.length ?? 0);
    const labelBytes = utf8Length(task.name) + utf8Length(task.taskId);
    trackRecordBytes += trackRecordEntryBytes(seedBytes, Math.max(seedBytes, childBytes), labelBytes, failures);
  }
  const parentAgentBytes = Math.max(agentBytes, childBytes);
  const systemBytes = selfImprove ? parentAgentBytes : utf8Length(FIXED_META_OPTIMIZER_PROMPT);
  propose(plan, agentModel, children, systemBytes + parentAgentBytes + trackRecordBytes);
}

/** `times` evaluations of a prompt of `promptBytes` on the run's examples of a split. */
function evaluate(plan: Plan, task: EngineTask, split: "train" | "val" | "test", promptBytes: number, times: number): void {
  const ids = new Set(plan.sets[task.taskId]?.[split] ?? []);
  const examples = task.splits[split].filter((e) => ids.has(e.id));
  const inputBytes = examples.reduce((sum, e) => sum + e.inputBytes, 0);
  const promptTokens = times * (examples.length * (promptBytes + CALL_OVERHEAD_BYTES) + inputBytes);
  add(plan, task.model, times * examples.length, promptTokens, times * examples.length * plan.config.maxOutputTokens.task);
}

/** `times` proposals whose system prompt and parent together are `bytes` (template slack added here). */
function propose(plan: Plan, model: ModelRef, times: number, bytes: number): void {
  const promptTokens = times * (bytes + TEMPLATE_SLACK_BYTES + CALL_OVERHEAD_BYTES);
  add(plan, model, times, promptTokens, times * plan.config.maxOutputTokens.agent);
}

/** The feedback block at its largest: the `feedbackSize` biggest train examples of the run. */
function taskFeedbackBytes(plan: Plan, task: EngineTask): number {
  const ids = new Set(plan.sets[task.taskId]?.train ?? []);
  const sizes = task.splits.train.filter((e) => ids.has(e.id)).map((e) => feedbackItemBytes(e));
  return sizes
    .sort((a, b) => b - a)
    .slice(0, plan.config.feedbackSize)
    .reduce((sum, x) => sum + x, 0);
}

function add(plan: Plan, model: ModelRef, calls: number, promptTokens: number, completionTokens: number): void {
  plan.total.calls += calls;
  plan.total.tokensUpperBound += promptTokens + completionTokens;
  plan.total.usdUpperBound += usdOf({ promptTokens, completionTokens }, plan.config.prices[model.model]);
}
