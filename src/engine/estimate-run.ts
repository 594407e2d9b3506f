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
import { sharedPrefixBytes } from "./metaspo";
import { chainRule, childrenPerGeneration } from "./method";
import { FIXED_META_OPTIMIZER_PROMPT, MAX_CRITIQUE_CHARS, METASPO_OPTIMIZER_PROMPT, METASPO_SEED_SYSTEM_PROMPT, TEXTGRAD_OPTIMIZER_PROMPT } from "./prompt-templates";
import { createRng } from "./rng";
import { type CreateRunInput, CreateRunInputSchema, type EngineTask, type RunConfig } from "./types";
import { utf8Length } from "./utf8";

export interface RunEstimate {
  calls: number;
  /** The task model's share of `calls` (what `maxTaskCalls` limits). */
  taskCalls: number;
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
  agentModel: ModelRef;
  /** Bytes of the longest prompt a proposal may return. */
  childBytes: number;
}

/** Upper bounds for the run `input` describes, ignoring its budget. */
export function estimateRun(input: CreateRunInput): RunEstimate {
  const parsed = CreateRunInputSchema.parse(input);
  const config = parsed.config;
  const plan: Plan = {
    config,
    sets: chooseExampleSets(createRng(config.seed), parsed.tasks, config),
    total: { calls: 0, taskCalls: 0, tokensUpperBound: 0, usdUpperBound: 0 },
    agentModel: parsed.agentModel,
    childBytes: config.maxPromptChars * MAX_BYTES_PER_CHAR,
  };
  const metaspo = config.method === "metaspo";
  if (parsed.kind === "finetune") {
    const shared = metaspo && parsed.sharedPrompt !== undefined ? utf8Length(parsed.sharedPrompt) : null;
    estimateFinetune(plan, parsed.tasks[0] as EngineTask, utf8Length(parsed.agentPrompt), shared);
  } else if (metaspo) estimateMetaspoPretrain(plan, parsed.tasks, utf8Length(parsed.sharedPrompt ?? METASPO_SEED_SYSTEM_PROMPT));
  else estimatePretrain(plan, parsed.tasks, utf8Length(parsed.agentPrompt));
  return plan.total;
}

/** `sharedBytes`: MetaSPO's fixed prefix, before every evaluated prompt and shown with every proposal. */
function estimateFinetune(plan: Plan, task: EngineTask, agentBytes: number, sharedBytes: number | null): void {
  const { config, childBytes } = plan;
  const g = config.generations;
  const prefix = sharedPrefixBytes(sharedBytes);
  const seedBytes = utf8Length(task.seedPrompt);
  const children = g * childrenPerGeneration(config);
  // A linear chain sends only its heads (at most one per generation) to validation.
  const childrenOnVal = chainRule(config) === "archive" ? children : g;
  for (const split of ["train", "val", "test"] as const) evaluate(plan, task, split, prefix + seedBytes, 1);
  evaluate(plan, task, "train", prefix + childBytes, children);
  evaluate(plan, task, "val", prefix + childBytes, childrenOnVal);
  if (g > 0) evaluate(plan, task, "test", prefix + childBytes, 1);
  const parentBytes = Math.max(seedBytes, childBytes) + taskFeedbackBytes(plan, task);
  if (config.method === "textgrad") {
    const optimizerBytes = utf8Length(TEXTGRAD_OPTIMIZER_PROMPT);
    propose(plan, children, optimizerBytes + parentBytes);
    propose(plan, children, optimizerBytes + parentBytes + MAX_CRITIQUE_CHARS * MAX_BYTES_PER_CHAR);
  } else {
    const optimizerBytes = config.method === "metaspo" ? utf8Length(METASPO_OPTIMIZER_PROMPT) : agentBytes;
    propose(plan, children, optimizerBytes + (sharedBytes ?? 0) + parentBytes);
  }
}

function estimatePretrain(plan: Plan, tasks: EngineTask[], agentBytes: number): void {
  const { config, childBytes } = plan;
  const { generations: g, innerSteps, selfImprove } = config;
  const children = g * childrenPerGeneration(config);
  let trackRecordBytes = 0;
  for (const task of tasks) {
    const seedBytes = utf8Length(task.seedPrompt);
    evaluate(plan, task, "train", seedBytes, 1);
    evaluate(plan, task, "val", seedBytes, 1);
    // Every agent (the seed and each child) runs innerSteps proposals on this task.
    const parentBytes = Math.max(seedBytes, childBytes) + taskFeedbackBytes(plan, task);
    propose(plan, innerSteps, agentBytes + parentBytes);
    propose(plan, children * innerSteps, childBytes + parentBytes);
    evaluate(plan, task, "val", childBytes, (1 + children) * innerSteps);
    evaluate(plan, task, "train", childBytes, (1 + children) * (innerSteps - 1));
    trackRecordBytes += trackRecordBytesOf(plan, task, seedBytes, Math.max(seedBytes, childBytes));
  }
  const parentAgentBytes = Math.max(agentBytes, childBytes);
  const systemBytes = selfImprove ? parentAgentBytes : utf8Length(FIXED_META_OPTIMIZER_PROMPT);
  propose(plan, children, systemBytes + parentAgentBytes + trackRecordBytes);
}

/**
 * MetaSPO pre-training: each shared prompt (the seed and one per generation) scores every
 * pool task's seed prompt under it (once for the seed), adapts it in `innerSteps`
 * proposals, and each generation's outer proposal shows the pool's results.
 */
function estimateMetaspoPretrain(plan: Plan, tasks: EngineTask[], seedSharedBytes: number): void {
  const { config, childBytes } = plan;
  const { generations: g, innerSteps } = config;
  const sharedBytes = Math.max(seedSharedBytes, childBytes);
  const optimizerBytes = utf8Length(METASPO_OPTIMIZER_PROMPT);
  let trackRecordBytes = 0;
  for (const task of tasks) {
    const seedBytes = utf8Length(task.seedPrompt);
    const partBytes = Math.max(seedBytes, childBytes);
    evaluate(plan, task, "train", sharedPrefixBytes(seedSharedBytes) + seedBytes, 1);
    evaluate(plan, task, "val", sharedPrefixBytes(seedSharedBytes) + seedBytes, 1);
    evaluate(plan, task, "train", sharedPrefixBytes(childBytes) + seedBytes, g);
    evaluate(plan, task, "val", sharedPrefixBytes(childBytes) + seedBytes, g);
    propose(plan, (1 + g) * innerSteps, optimizerBytes + sharedBytes + partBytes + taskFeedbackBytes(plan, task));
    evaluate(plan, task, "val", sharedPrefixBytes(sharedBytes) + childBytes, (1 + g) * innerSteps);
    evaluate(plan, task, "train", sharedPrefixBytes(sharedBytes) + childBytes, (1 + g) * (innerSteps - 1));
    const fullBytes = sharedPrefixBytes(sharedBytes) + partBytes;
    trackRecordBytes += trackRecordBytesOf(plan, task, fullBytes, fullBytes);
  }
  propose(plan, g, optimizerBytes + sharedBytes + trackRecordBytes);
}

function trackRecordBytesOf(plan: Plan, task: EngineTask, seedBytes: number, producedBytes: number): number {
  const failures = Math.min(TRACK_RECORD_FAILURES, plan.sets[task.taskId]?.val.length ?? 0);
  const labelBytes = utf8Length(task.name) + utf8Length(task.taskId);
  return trackRecordEntryBytes(seedBytes, producedBytes, labelBytes, failures);
}

/** `times` evaluations of a prompt of `promptBytes` on the run's examples of a split. */
function evaluate(plan: Plan, task: EngineTask, split: "train" | "val" | "test", promptBytes: number, times: number): void {
  const ids = new Set(plan.sets[task.taskId]?.[split] ?? []);
  const examples = task.splits[split].filter((e) => ids.has(e.id));
  const inputBytes = examples.reduce((sum, e) => sum + e.inputBytes, 0);
  const calls = times * examples.length * task.attempts;
  const promptTokens = times * task.attempts * (examples.length * (promptBytes + CALL_OVERHEAD_BYTES) + inputBytes);
  add(plan, task.model, calls, promptTokens, calls * plan.config.maxOutputTokens.task);
}

/** `times` proposals whose system prompt and parent together are `bytes` (template slack added here). */
function propose(plan: Plan, times: number, bytes: number): void {
  const promptTokens = times * (bytes + TEMPLATE_SLACK_BYTES + CALL_OVERHEAD_BYTES);
  add(plan, plan.agentModel, times, promptTokens, times * plan.config.maxOutputTokens.agent);
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
  if (model.role === "task") plan.total.taskCalls += calls;
  plan.total.tokensUpperBound += promptTokens + completionTokens;
  plan.total.usdUpperBound += usdOf({ promptTokens, completionTokens }, plan.config.prices[model.model]);
}
