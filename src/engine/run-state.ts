/**
 * The run state: everything a run is, as one versioned JSON value. The Durable Object
 * stores it as is and hands it back to `step`; `decodeRunState` checks what comes back
 * from storage. Only plain data: no Map, Set, class or undefined-dependent field, so a
 * JSON round trip gives a state that behaves identically.
 */
import { z } from "zod";
import { JobSchema, ModelRefSchema } from "./jobs";
import { RngStateSchema } from "./rng";
import { BudgetLimitsSchema, ENGINE_VERSION, EngineTaskSchema, RunConfigSchema, SpendSchema } from "./types";
import { RunReportSchema } from "./run-report-schema";

const SplitSchema = z.enum(["train", "val", "test"]);
const ScoreListSchema = z.array(z.number().nullable());

/** Per-example scores aligned with the run's example list for that task and split; null while pending. */
export const SplitScoresSchema = z.object({
  train: ScoreListSchema.optional(),
  val: ScoreListSchema.optional(),
  test: ScoreListSchema.optional(),
});
export type SplitScores = z.infer<typeof SplitScoresSchema>;

export const CandidateSchema = z.object({
  id: z.string(),
  /** Creation order: ties in rankings go to the earlier candidate. */
  seq: z.number().int().nonnegative(),
  kind: z.enum(["task", "agent"]),
  taskId: z.string().nullable(),
  parentId: z.string().nullable(),
  generation: z.number().int().nonnegative(),
  text: z.string(),
  status: z.enum(["evaluating", "admitted", "rejected", "seed", "inner"]),
  children: z.number().int().nonnegative(),
  createdAt: z.number(),
  /** Keyed by task id. */
  scores: z.record(z.string(), SplitScoresSchema),
  /** Fine-tuning: mean train score. Pre-training agents: mean validation gain F~. Null until known. */
  fitness: z.number().nullable(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** Why a job exists: what its result is applied to. */
export const JobPurposeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("evaluate"), candidateId: z.string(), taskId: z.string(), split: SplitSchema }),
  z.object({ type: z.literal("propose-child"), slot: z.number().int().nonnegative() }),
  /** TextGrad: the critique that precedes a slot's rewrite (which is then `propose-child`). */
  z.object({ type: z.literal("critique"), slot: z.number().int().nonnegative() }),
  z.object({ type: z.literal("propose-inner"), key: z.string() }),
]);
export type JobPurpose = z.infer<typeof JobPurposeSchema>;

export const QueuedJobSchema = z.object({ job: JobSchema, purpose: JobPurposeSchema });
export type QueuedJob = z.infer<typeof QueuedJobSchema>;

/** A dispatched job and the budget it holds until it settles. */
export const PendingJobSchema = QueuedJobSchema.extend({
  estimate: SpendSchema,
  /** Failed attempts charged so far (absent: none, as in states written before attempts were charged). */
  chargedAttempts: z.number().int().positive().optional(),
});
export type PendingJob = z.infer<typeof PendingJobSchema>;

/** One child of the current generation. */
export const SlotSchema = z.object({
  parentId: z.string(),
  childId: z.string().nullable(),
  outcome: z.enum(["pending", "admitted", "rejected", "failed"]),
});
export type Slot = z.infer<typeof SlotSchema>;

/**
 * Pre-training: the short fine-tuning of one pool task by one agent candidate, which gives
 * its gain. MetaSPO: the agent candidate is a shared system prompt, and the run starts
 * from that prompt's own start candidate (shared + the task's seed prompt).
 */
export const InnerRunSchema = z.object({
  agentId: z.string(),
  taskId: z.string(),
  /** Where the run starts: the pool task's seed task candidate, scored once per run (MetaSPO: the start under this shared prompt). */
  seedCandidateId: z.string(),
  /** The task prompt the next (or current) step proposes from. */
  parentId: z.string(),
  stepsDone: z.number().int().nonnegative(),
  /** The child of the current step while it is being evaluated. */
  childId: z.string().nullable(),
  bestChildId: z.string().nullable(),
  done: z.boolean(),
  gain: z.number().nullable(),
});
export type InnerRun = z.infer<typeof InnerRunSchema>;

export const BudgetLedgerSchema = z.object({
  limits: BudgetLimitsSchema,
  spent: SpendSchema,
  /** Sum of the estimates of the jobs in flight (recomputed, never drifted). */
  reserved: SpendSchema,
  spentByRole: z.object({ task: SpendSchema, agent: SpendSchema }),
});
export type BudgetLedger = z.infer<typeof BudgetLedgerSchema>;

export const RunPhaseSchema = z.enum(["seed", "evolve", "final-val", "final-test", "done"]);
export type RunPhase = z.infer<typeof RunPhaseSchema>;

export const RunStateSchema = z.object({
  v: z.literal(ENGINE_VERSION),
  runId: z.string(),
  kind: z.enum(["pretrain", "finetune"]),
  status: z.enum(["running", "completed", "cancelled", "failed"]),
  stopReason: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  config: RunConfigSchema,
  agentPrompt: z.string(),
  agentModel: ModelRefSchema,
  /** MetaSPO fine-tuning: the fixed shared prefix of every task prompt; null otherwise (absent in older states). */
  sharedPrompt: z.string().nullable().default(null),
  tasks: z.array(EngineTaskSchema),
  /** Per task id: the example ids every candidate is scored on, fixed at creation. */
  exampleSets: z.record(z.string(), z.object({ train: z.array(z.string()), val: z.array(z.string()), test: z.array(z.string()) })),
  rng: RngStateSchema,
  counters: z.object({ job: z.number().int().nonnegative(), candidate: z.number().int().nonnegative() }),
  phase: RunPhaseSchema,
  /** The generation in progress (or last started); 0 before the first. */
  generation: z.number().int().nonnegative(),
  completedGenerations: z.number().int().nonnegative(),
  seedId: z.string(),
  candidates: z.record(z.string(), CandidateSchema),
  slots: z.array(SlotSchema),
  /** Linear search: the candidate every child comes from, and every candidate that ever was head. */
  head: z.string(),
  heads: z.array(z.string()),
  /** Pre-training: pool task id -> its seed task candidate id (MetaSPO: under the seed shared prompt). */
  seedTasks: z.record(z.string(), z.string()),
  innerRuns: z.record(z.string(), InnerRunSchema),
  /** Jobs waiting for budget or their turn, dispatched in order. */
  queue: z.array(QueuedJobSchema),
  pending: z.array(PendingJobSchema),
  budget: BudgetLedgerSchema,
  exhausted: z.boolean(),
  failedProposals: z.number().int().nonnegative(),
  innerFailedProposals: z.number().int().nonnegative(),
  championId: z.string().nullable(),
  report: RunReportSchema.nullable(),
});
/** The whole state of one run. */
export type RunState = z.infer<typeof RunStateSchema>;

/**
 * Checks a state read back from storage. Throws on another engine version (a state
 * written by a different engine must not be run by this one) or on a malformed shape.
 */
export function decodeRunState(value: unknown): RunState {
  const version = typeof value === "object" && value !== null ? (value as { v?: unknown }).v : undefined;
  if (version !== ENGINE_VERSION) {
    throw new Error(`run state has version ${String(version)}, this engine reads version ${ENGINE_VERSION}`);
  }
  return RunStateSchema.parse(value);
}

/** The key of an inner run in `RunState.innerRuns`. */
export function innerKey(agentId: string, taskId: string): string {
  return `${agentId}|${taskId}`;
}
