/**
 * Starting a run: the initial state, the seed candidate(s), their first evaluations.
 * Everything random from here on comes from `config.seed` alone, so two runs with the
 * same config and tasks make the same choices (benchmarks compare methods on equal seeds).
 */
import { zeroSpend } from "./budget";
import { addCandidate } from "./candidates";
import { enqueueEvaluation } from "./evaluation";
import { composePrompt } from "./metaspo";
import { METASPO_SEED_SYSTEM_PROMPT } from "./prompt-templates";
import { createRng, type RngState, sampleWithoutReplacement } from "./rng";
import type { RunState } from "./run-state";
import type { StepContext } from "./step-context";
import { endStep } from "./step-context";
import { type CreateRunInput, CreateRunInputSchema, ENGINE_VERSION, type EngineTask, type RunConfig, type StepOutput } from "./types";
import { pump } from "./work-queue";

/** What is wrong with a run input beyond its schema; empty when it can run. */
export function checkRunInput(input: CreateRunInput): string[] {
  const problems: string[] = [];
  if (input.kind === "finetune" && input.tasks.length !== 1) problems.push("fine-tuning needs exactly one task");
  const method = input.config.method;
  if (method === "textgrad" && input.kind !== "finetune") problems.push('method "textgrad" is a fine-tuning baseline: kind must be "finetune"');
  if (input.sharedPrompt !== undefined && method !== "metaspo") problems.push('sharedPrompt is only used by method "metaspo"');
  const ids = input.tasks.map((t) => t.taskId);
  if (new Set(ids).size !== ids.length) problems.push("task ids must be unique");
  for (const task of input.tasks) {
    if (task.splits.train.length === 0) problems.push(`task ${task.taskId} has no train examples`);
    if (input.kind === "pretrain" && task.splits.val.length === 0) problems.push(`task ${task.taskId} has no validation examples`);
  }
  return problems;
}

/**
 * Creates the run: `run.started`, the seed candidate(s) and their first evaluation jobs.
 * Throws on an input that fails the schema or `checkRunInput` (the edge checks first).
 */
export function createRun(input: CreateRunInput, now: number): StepOutput<RunState> {
  const parsed = CreateRunInputSchema.parse(input);
  const problems = checkRunInput(parsed);
  if (problems.length > 0) throw new Error(`invalid run input: ${problems.join("; ")}`);
  const ctx: StepContext = { s: initialState(parsed, now), now, events: [], jobs: [] };
  ctx.events.push({ type: "run.started", at: now, kind: parsed.kind });
  if (parsed.kind === "finetune") seedFinetune(ctx, parsed.tasks[0] as EngineTask);
  else seedPretrain(ctx, parsed.config.method === "metaspo" ? (parsed.sharedPrompt ?? METASPO_SEED_SYSTEM_PROMPT) : null);
  pump(ctx);
  return endStep(ctx);
}

/** The target's seed prompt (MetaSPO: after the shared prompt), scored on train. */
function seedFinetune(ctx: StepContext, task: EngineTask): void {
  const text = composePrompt(ctx.s.sharedPrompt, task.seedPrompt);
  const seed = addCandidate(ctx, { kind: "task", taskId: task.taskId, parentId: null, generation: 0, text, status: "seed" });
  markSeed(ctx, seed.id);
  enqueueEvaluation(ctx, seed, task.taskId, "train");
}

/**
 * The seed agent, and every pool task's seed prompt scored once (train for feedback, val
 * for gains). MetaSPO: the seed is the shared system prompt, and the task prompts are
 * scored under it.
 */
function seedPretrain(ctx: StepContext, sharedSeed: string | null): void {
  const s = ctx.s;
  const seed = addCandidate(ctx, { kind: "agent", taskId: null, parentId: null, generation: 0, text: sharedSeed ?? s.agentPrompt, status: "seed" });
  markSeed(ctx, seed.id);
  for (const task of s.tasks) {
    const text = composePrompt(sharedSeed, task.seedPrompt);
    const seedTask = addCandidate(ctx, { kind: "task", taskId: task.taskId, parentId: null, generation: 0, text, status: "inner" });
    s.seedTasks[task.taskId] = seedTask.id;
    enqueueEvaluation(ctx, seedTask, task.taskId, "train");
    enqueueEvaluation(ctx, seedTask, task.taskId, "val");
  }
}

function markSeed(ctx: StepContext, id: string): void {
  ctx.s.seedId = id;
  ctx.s.head = id;
  ctx.s.heads = [id];
}

function initialState(input: CreateRunInput, now: number): RunState {
  const rng = createRng(input.config.seed);
  return {
    v: ENGINE_VERSION,
    runId: input.runId,
    kind: input.kind,
    status: "running",
    stopReason: null,
    createdAt: now,
    finishedAt: null,
    config: input.config,
    agentPrompt: input.agentPrompt,
    agentModel: input.agentModel,
    sharedPrompt: input.kind === "finetune" && input.config.method === "metaspo" ? (input.sharedPrompt ?? null) : null,
    tasks: input.tasks,
    exampleSets: chooseExampleSets(rng, input.tasks, input.config),
    rng,
    counters: { job: 0, candidate: 0 },
    phase: "seed",
    generation: 0,
    completedGenerations: 0,
    seedId: "",
    candidates: {},
    slots: [],
    head: "",
    heads: [],
    seedTasks: {},
    innerRuns: {},
    queue: [],
    pending: [],
    budget: { limits: input.config.budget, spent: zeroSpend(), reserved: zeroSpend(), spentByRole: { task: zeroSpend(), agent: zeroSpend() } },
    exhausted: false,
    failedProposals: 0,
    innerFailedProposals: 0,
    championId: null,
    report: null,
  };
}

/**
 * The examples every candidate of a task is scored on, fixed once so comparisons are
 * paired: a seeded subset of train (in the split's own order) when it is larger than
 * `fitnessExamples`; all of val and test.
 */
export function chooseExampleSets(rng: RngState, tasks: readonly EngineTask[], config: RunConfig): RunState["exampleSets"] {
  const sets: RunState["exampleSets"] = {};
  for (const task of tasks) {
    const all = task.splits.train.map((e) => e.id);
    const train =
      all.length > config.fitnessExamples
        ? sampleWithoutReplacement(rng, all.map((_, i) => i), config.fitnessExamples)
            .sort((a, b) => a - b)
            .map((i) => all[i] as string)
        : all;
    sets[task.taskId] = {
      train,
      val: task.splits.val.map((e) => e.id),
      test: task.splits.test.map((e) => e.id),
    };
  }
  return sets;
}
