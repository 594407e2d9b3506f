/**
 * The engine's public types: what a run is configured with, what it is told (events),
 * and what it answers (jobs to dispatch, domain events to record). The engine is a pure
 * state machine: `step(state, event, now) -> { state, jobs, events }`.
 */
import { z } from "zod";
import { type Job, type JobResult, ModelRefSchema, type EvaluationRow, UsageSchema, type Usage } from "./jobs";

export const ENGINE_VERSION = 1;

export const PriceSchema = z.object({
  /** USD per million prompt tokens. */
  inputPerMTok: z.number().nonnegative(),
  /** USD per million completion tokens. */
  outputPerMTok: z.number().nonnegative(),
});
export type Price = z.infer<typeof PriceSchema>;

export const BudgetLimitsSchema = z
  .object({
    /** Model calls of both roles. */
    maxCalls: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    maxUsd: z.number().positive().optional(),
    /**
     * Task-model calls only (every evaluated example is one), whatever the prompt agent
     * spends: the budget benchmarks equalize across methods. Dispatch is refused like
     * for the other limits.
     */
    maxTaskCalls: z.number().int().positive().optional(),
  })
  .strict();
export type BudgetLimits = z.infer<typeof BudgetLimitsSchema>;

/**
 * Which optimizer the run is (method.md, "Baselines and ablations").
 * - `sepo`: the archive-based evolution of method.md, both stages (the default).
 * - `textgrad`: TextGrad-style fine-tuning (kind "finetune" only). A fixed hand-written
 *   optimizer (TEXTGRAD_OPTIMIZER_PROMPT, not the run's `agentPrompt`) runs one iteration
 *   per generation: one call writes a critique (the "textual gradient") of the current
 *   prompt from a minibatch of its train results (the same 1:1 feedback sample SePO
 *   shows), a second call rewrites the prompt given that critique and the same minibatch.
 *   The rewrite is scored on the fitness set and becomes the current prompt whatever its
 *   score (a linear chain that always continues from the latest; a failed call leaves the
 *   current prompt in place). Exactly one child per generation: `childrenPerGeneration`
 *   and `search` are ignored. Champion: best validation score among the seed and every
 *   prompt of the chain, as for linear search.
 * - `metaspo`: MetaSPO-style, bilevel, with a fixed optimizer (METASPO_OPTIMIZER_PROMPT,
 *   not `agentPrompt`). The item is a shared, task-agnostic system prompt that is put
 *   before each task's own prompt (`shared + "\n\n" + task prompt`).
 *   Pre-training (kind "pretrain"): one outer step per generation writes a new shared
 *   prompt from the failures across all pool tasks; its fitness is the mean, over pool
 *   tasks, of the best validation score after `innerSteps` proposals that adapt only the
 *   task part (the shared prompt shown as fixed context). It is kept only when that mean
 *   beats the current shared prompt's strictly (greedy), else discarded; the next step
 *   starts from the kept one. The snapshot is the shared prompt (see `snapshot.created`).
 *   Fine-tuning (kind "finetune"): the target's seed is `sharedPrompt` + its seed prompt;
 *   each generation one proposal rewrites the task part, kept as the current prompt only
 *   when its train score beats the current one strictly. Simplifications: one candidate
 *   per outer step, the inner adaptation restarts from each task's seed prompt for every
 *   shared prompt, and validation data both selects inside the inner loop and scores the
 *   outer one (as SePO's pre-training fitness does). `childrenPerGeneration`, `search`
 *   and `selfImprove` are ignored. Shared prompts are candidates of kind "agent" (the
 *   pre-training's item kind, so storage and summaries need no new kind).
 */
export const RunMethodSchema = z.enum(["sepo", "textgrad", "metaspo"]);
export type RunMethod = z.infer<typeof RunMethodSchema>;

/** Every knob of method.md, with the documented defaults. */
export const RunConfigSchema = z
  .object({
    /** The optimizer: SePO (default) or one of the baselines; see RunMethodSchema. */
    method: RunMethodSchema.default("sepo"),
    /** G: generations of evolution (0 = only score the seed: the Manual-CoT baseline). */
    generations: z.number().int().min(0).max(100).default(5),
    /** K: children proposed per generation (SePO only: the baselines propose one). */
    childrenPerGeneration: z.number().int().min(1).max(64).default(2),
    /** open-ended = archive + DGM selection; linear = always mutate the latest (ablation). */
    search: z.enum(["open-ended", "linear"]).default("open-ended"),
    /** Pre-training: the agent rewrites itself (true) or a fixed meta-optimizer does (ablation). */
    selfImprove: z.boolean().default(true),
    /** Pre-training fitness: proposals per pool task in the inner fine-tuning. */
    innerSteps: z.number().int().min(1).max(5).default(1),
    /** Examples shown to the prompt agent per proposal, failures and successes 1:1. */
    feedbackSize: z.number().int().min(1).max(64).default(16),
    /** Train examples used for fitness (a seeded subset fixed for the run when the split is larger). */
    fitnessExamples: z.number().int().min(1).max(1000).default(100),
    /** Examples per evaluate job: the unit of fan-out. */
    evalChunkSize: z.number().int().min(1).max(100).default(8),
    /** Admission tolerance floor; the tolerance is max(floor, standard error of the parent). */
    epsilonFloor: z.number().min(0).max(1).default(0.01),
    selectionLambda: z.number().positive().default(10),
    selectionTop: z.number().int().min(1).default(3),
    seed: z.number().int().default(0),
    budget: BudgetLimitsSchema.default({}),
    /** Prices per model name; a model with no price costs 0 USD (and USD caps cannot bound it). */
    prices: z.record(z.string(), PriceSchema).default({}),
    maxOutputTokens: z
      .object({ task: z.number().int().positive().default(1024), agent: z.number().int().positive().default(2048) })
      .default({ task: 1024, agent: 2048 }),
    /** Fine-tuning: the paired-bootstrap confidence a champion needs to replace the live prompt. */
    promotionConfidence: z.number().min(0.5).max(0.999).default(0.95),
    /** A proposed prompt longer than this is a failed proposal. */
    maxPromptChars: z.number().int().positive().max(100_000).default(8000),
  })
  .strict();
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type RunConfigInput = z.input<typeof RunConfigSchema>;

export const ExampleMetaSchema = z.object({
  id: z.string(),
  /** UTF-8 bytes of the rendered input: an upper bound on its tokens, used by the budget. */
  inputBytes: z.number().int().nonnegative(),
  expectedBytes: z.number().int().nonnegative(),
});
export type ExampleMeta = z.infer<typeof ExampleMetaSchema>;

export const EngineTaskSchema = z.object({
  taskId: z.string(),
  name: z.string(),
  seedPrompt: z.string(),
  model: ModelRefSchema,
  /** pass@k: the task model answers each example this many times; it counts as solved if any answer is right. */
  attempts: z.number().int().min(1).max(10).default(1),
  splits: z.object({
    train: z.array(ExampleMetaSchema),
    val: z.array(ExampleMetaSchema),
    test: z.array(ExampleMetaSchema),
  }),
});
export type EngineTask = z.infer<typeof EngineTaskSchema>;

export const CreateRunInputSchema = z.object({
  runId: z.string(),
  kind: z.enum(["pretrain", "finetune"]),
  config: RunConfigSchema,
  /** Pre-training: the pool (one or more); fine-tuning: exactly one target task. */
  tasks: z.array(EngineTaskSchema).min(1),
  /**
   * Pre-training: the seed p~(0); fine-tuning: the frozen prompt agent. The baselines
   * (`textgrad`, `metaspo`) use their own fixed optimizer prompts and ignore it.
   */
  agentPrompt: z.string().min(1),
  agentModel: ModelRefSchema,
  /**
   * MetaSPO only: the shared system prompt. Pre-training: its seed (default
   * METASPO_SEED_SYSTEM_PROMPT); fine-tuning: the learned prefix (a MetaSPO snapshot's
   * text) put before the target's seed prompt (none: the task prompt alone).
   */
  sharedPrompt: z.string().min(1).optional(),
});
export type CreateRunInput = z.infer<typeof CreateRunInputSchema>;

export type Split = "train" | "val" | "test";
export type SnapshotKind = "prompt-agent" | "shared-system-prompt";
export type RunKind = "pretrain" | "finetune";
export type RunStatus = "running" | "completed" | "cancelled" | "failed";

/** What the engine is told. Unknown or already-settled job ids are ignored (idempotence). */
export type EngineEvent =
  | { type: "job.succeeded"; jobId: string; result: JobResult }
  /** A job that will not succeed (dead-lettered, or a non-retryable error). Usage spent on failed attempts is charged. */
  | { type: "job.failed"; jobId: string; reason: string; usage?: Usage }
  /**
   * One attempt of a job in flight failed and the job will be tried again: the attempt's
   * usage is charged now, and the job stays in flight with its reservation for the next
   * attempt (or fails now, when the budget no longer covers one).
   */
  | { type: "job.retrying"; jobId: string; reason: string; usage: Usage }
  | { type: "cancel"; reason: string }
  /** A systemic failure (rejected key, unknown model): every further job would fail the same way. */
  | { type: "halt"; reason: string };

export const SpendSchema = UsageSchema.extend({ usd: z.number().nonnegative() });
export type Spend = z.infer<typeof SpendSchema>;

/** A candidate as recorded in history: a task prompt or a prompt-agent prompt. */
export interface CandidateView {
  id: string;
  kind: "task" | "agent";
  taskId: string | null;
  parentId: string | null;
  generation: number;
  text: string;
  status: "evaluating" | "admitted" | "rejected" | "seed" | "inner";
}

/**
 * Facts the engine reports; the runtime records them (D1, live streams, webhooks).
 * They are in the order they happened.
 */
export type DomainEvent =
  | { type: "run.started"; at: number; kind: RunKind }
  | { type: "generation.started"; at: number; generation: number }
  | { type: "generation.completed"; at: number; generation: number; bestId: string; bestFitness: number }
  | { type: "candidate.created"; at: number; candidate: CandidateView }
  | { type: "candidate.scored"; at: number; candidateId: string; taskId: string; split: Split; score: number; n: number }
  | { type: "candidate.admitted"; at: number; candidateId: string; fitness: number; parentFitness: number; epsilon: number }
  | { type: "candidate.rejected"; at: number; candidateId: string; fitness: number; parentFitness: number; epsilon: number }
  | { type: "evaluation.recorded"; at: number; candidateId: string; taskId: string; split: Split; rows: EvaluationRow[] }
  | { type: "proposal.failed"; at: number; parentId: string; reason: string }
  /** A charge to the ledger. `jobId` is the ledger id: the job's, or `<jobId>#<n>` for its n-th failed attempt charged while it stayed in flight. */
  | { type: "job.settled"; at: number; jobId: string; role: "task" | "agent"; model: string; usage: Usage; usd: number }
  | { type: "budget.exhausted"; at: number; spent: Spend; limits: BudgetLimits }
  /**
   * Spending crossed a share of a limit (0.5, 0.8, 1): once per run and share, for the
   * most-spent dimension (`calls`, `taskCalls`, `tokens` or `usd`).
   */
  | { type: "budget.threshold"; at: number; threshold: number; dimension: string; spent: Spend; limits: BudgetLimits }
  /**
   * A completed pre-training's product. SePO: `text` is the evolved prompt-agent prompt
   * and `fitness` its mean validation gain. MetaSPO: `text` is the learned shared system
   * prompt (to be given as `sharedPrompt` to a MetaSPO fine-tuning, not as an agent
   * prompt) and `fitness` the mean validation score of the pool tasks under it.
   */
  /** A seed's fitness (children report theirs with admission). */
  | { type: "candidate.fitness"; at: number; candidateId: string; fitness: number }
  /**
   * The product of a pre-training. `prompt-agent` (SePO): a prompt agent's system prompt for
   * fine-tunings; `shared-system-prompt` (MetaSPO): a prefix for the tasks' own prompts.
   */
  | { type: "snapshot.created"; at: number; snapshotKind: SnapshotKind; agentCandidateId: string; text: string; fitness: number; lineage: string[] }
  | { type: "run.finished"; at: number; status: RunStatus; reason: string; report: RunReport };

/** The promotion gate's verdict on a fine-tuning champion against the run's seed (the live prompt). */
export interface Promotion {
  promote: boolean;
  /** Why, in words a user reads in the run's report. */
  reason: string;
  confidence: number;
  /** Validation examples compared (paired). */
  n: number;
  /** Mean of champion minus seed over those examples, and its bootstrap interval. */
  meanDiff: number;
  ciLow: number;
  ciHigh: number;
}

/** The end-of-run summary shown to users and written to D1. */
export interface RunReport {
  kind: RunKind;
  /** Fine-tuning: the chosen task prompt; pre-training: the chosen prompt-agent prompt (MetaSPO: shared system prompt). */
  championId: string | null;
  championText: string | null;
  /** Per task: seed and champion scores on each split that was scored. */
  tasks: Array<{
    taskId: string;
    seed: Partial<Record<Split, number>>;
    champion: Partial<Record<Split, number>>;
  }>;
  /**
   * Pre-training: fitness of the seed and of the champion: SePO's mean validation gain of
   * an agent; MetaSPO's mean validation score of the pool tasks under a shared prompt.
   */
  agentFitness?: { seed: number; champion: number };
  /** Fine-tuning: whether the champion may replace the live prompt (the paired test on validation). */
  promotion?: Promotion;
  generations: number;
  candidates: number;
  admitted: number;
  failedProposals: number;
  spent: Spend;
  spentByRole: { task: Spend; agent: Spend };
}

export interface StepOutput<S> {
  state: S;
  /** Jobs to send to the queue, after `events` are recorded. */
  jobs: Job[];
  events: DomainEvent[];
  /** True when the event changed nothing (a redelivered or unknown job result). */
  ignored: boolean;
}
