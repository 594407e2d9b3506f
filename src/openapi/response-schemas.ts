/**
 * Zod schemas of the API's JSON responses, for GET /openapi.json. Request bodies and
 * query parameters need none of this (the document takes the schemas that validate
 * them); responses are built by plain functions, so these are HAND-WRITTEN. Two checks
 * keep them honest:
 * - at compile time, `Same<>` below ties each one whose route returns a precisely typed
 *   value (Task, RunSummary, ...) to that type, both ways;
 * - test/integration/openapi.test.ts parses real responses of every route with the
 *   schema the document names for that status, and requires nothing to be left over.
 */
import { z } from "zod";
import type { RunEstimate, RunSummary } from "../engine";
import { BudgetLedgerSchema, RunPhaseSchema } from "../engine/run-state";
import { RunReportSchema } from "../engine/run-report-schema";
import { RunConfigSchema } from "../engine/types";
import { ERROR_STATUS, type ErrorCode } from "../errors";
import { ScorerSpecSchema } from "../scoring/scorer-spec";
import type { AgentSnapshot } from "../storage/agent-repo";
import { PromptScoresSchema, type PromptVersion } from "../storage/champion-repo";
import type { ExampleView } from "../storage/example-repo";
import type { ApiKeyView, Project } from "../storage/project-repo";
import { type Task, TaskModelSchema } from "../storage/task-repo";

/** True when A and B are the same type (each assignable to the other). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const int = () => z.number().int();
const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC" });
const SplitSchema = z.enum(["train", "val", "test"]);
const RunKindSchema = z.enum(["pretrain", "finetune"]);
const RunStatusSchema = z.enum(["running", "completed", "cancelled", "failed"]);
const CandidateStatusSchema = z.enum(["evaluating", "admitted", "rejected", "seed", "inner"]);

/** One page of a list, newest first unless said otherwise; `nextCursor` is null on the last page. */
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      /** Present for 400s: each wrong field (dotted path, "(body)" for the body itself) and what is expected there. */
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ description: "Every error: a stable code, a message for people, and for invalid input the fields at fault." });

export const TaskSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  seedPrompt: z.string(),
  /** Null only for a stored scorer that no longer parses (such a task cannot run). */
  scorer: ScorerSpecSchema.nullable(),
  model: TaskModelSchema.nullable(),
  splitSeed: int(),
  attempts: int(),
  counts: z.object({ train: int(), val: int(), test: int() }),
  liveVersion: int().nullable(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const ExampleSchema = z.object({ id: z.string(), split: SplitSchema, input: z.string(), expected: z.string(), position: int() });

export const PromptVersionSchema = z.object({
  taskId: z.string(),
  version: int(),
  text: z.string(),
  source: z.enum(["seed", "run", "manual"]),
  runId: z.string().nullable(),
  candidateId: z.string().nullable(),
  scores: PromptScoresSchema,
  note: z.string().nullable(),
  createdAt: timestamp(),
});

/** GET /v1/tasks/:id/prompt: the live version, and whether a pin holds it (runs then never replace it). */
export const LivePromptSchema = PromptVersionSchema.extend({ pinned: z.boolean() });

export const PromptHistorySchema = page(PromptVersionSchema).extend({ taskId: z.string(), liveVersion: int().nullable(), pinned: z.boolean() });

export const AgentSnapshotSchema = z.object({
  id: z.string(),
  runId: z.string(),
  candidateId: z.string(),
  kind: z.enum(["prompt-agent", "shared-system-prompt"]),
  text: z.string(),
  fitness: z.number(),
  lineage: z.array(z.string()),
  createdAt: timestamp(),
});

const SplitSummarySchema = z.object({ mean: z.number().nullable(), scored: int(), n: int() });

/** The live view of a run, from its Durable Object (GET /v1/runs/:id, the `snapshot` live message). */
export const RunSummarySchema = z.object({
  runId: z.string(),
  kind: RunKindSchema,
  status: RunStatusSchema,
  stopReason: z.string().nullable(),
  generation: int(),
  generations: int(),
  phase: RunPhaseSchema,
  archive: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(["task", "agent"]),
      parentId: z.string().nullable(),
      generation: int(),
      status: CandidateStatusSchema,
      fitness: z.number().nullable(),
      children: int(),
      scores: z.record(z.string(), z.object({ train: SplitSummarySchema.optional(), val: SplitSummarySchema.optional(), test: SplitSummarySchema.optional() })),
      gains: z.record(z.string(), z.number()).optional(),
    }),
  ),
  counts: z.object({ candidates: int(), innerCandidates: int(), admitted: int(), rejected: int(), failedProposals: int(), jobsPending: int(), jobsQueued: int() }),
  budget: BudgetLedgerSchema.pick({ limits: true, spent: true, reserved: true, spentByRole: true }),
  best: z.object({ id: z.string(), fitness: z.number(), text: z.string() }).nullable(),
  report: RunReportSchema.nullable(),
});

/** A run as D1 records it (lists). */
export const RunRecordSchema = z.object({
  id: z.string(),
  kind: RunKindSchema,
  status: RunStatusSchema,
  taskIds: z.array(z.string()),
  agentSnapshotId: z.string().nullable(),
  config: RunConfigSchema,
  reason: z.string().nullable(),
  report: RunReportSchema.nullable(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
  finishedAt: timestamp().nullable(),
});

const RunEstimateSchema = z.object({ calls: int(), taskCalls: int(), tokensUpperBound: int(), usdUpperBound: z.number() });

export const DryRunSchema = z.object({ dryRun: z.literal(true), estimate: RunEstimateSchema, config: RunConfigSchema });

export const CandidateSchema = z.object({
  id: z.string(),
  kind: z.enum(["task", "agent"]),
  taskId: z.string().nullable(),
  parentId: z.string().nullable(),
  generation: int(),
  status: CandidateStatusSchema,
  fitness: z.number().nullable(),
  /** Per complete split, keyed "<taskId>/<split>": the mean score over n examples. */
  scores: z.record(z.string(), z.object({ score: z.number(), n: int() })),
  text: z.string(),
  createdAt: timestamp(),
});

export const CandidateDetailSchema = CandidateSchema.extend({
  evaluations: z.array(
    z.object({ exampleId: z.string(), split: SplitSchema, output: z.string(), score: z.number(), feedback: z.string(), promptTokens: int(), completionTokens: int() }),
  ),
});

export const ProjectSchema = z.object({ id: z.string(), name: z.string(), createdAt: timestamp() });

/** A key as the admin API lists it: enough to recognise and revoke it, never the key itself. */
export const ApiKeySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestamp(),
  revokedAt: timestamp().nullable(),
  lastUsedAt: timestamp().nullable(),
});

/** Named response schemas: the keys are their names under `components.schemas`. */
export const RESPONSE_SCHEMAS = {
  Error: ErrorResponseSchema,
  Task: TaskSchema,
  TaskPage: page(TaskSchema),
  ExamplePage: page(ExampleSchema),
  PromptVersion: PromptVersionSchema,
  LivePrompt: LivePromptSchema,
  PromptHistory: PromptHistorySchema,
  RunSummary: RunSummarySchema,
  RunPage: page(RunRecordSchema),
  DryRun: DryRunSchema,
  CandidateList: z.object({ items: z.array(CandidateSchema) }),
  CandidateDetail: CandidateDetailSchema,
  AgentSnapshot: AgentSnapshotSchema,
  AgentSnapshotPage: page(AgentSnapshotSchema),
  Project: ProjectSchema,
  ProjectPage: page(ProjectSchema),
  ApiKey: ApiKeySchema,
  ApiKeyList: z.object({ items: z.array(ApiKeySchema) }),
  CreatedApiKey: ApiKeySchema.extend({ key: z.string().meta({ description: "The key itself: shown in this response only, never again." }) }),
  Health: z.object({ ok: z.literal(true) }),
  ServiceIndex: z.object({ service: z.string(), api: z.string(), health: z.string() }).catchall(z.string()),
} satisfies Record<string, z.ZodType>;

// Compile-time: each schema says exactly what its route's value is typed as.
const typesAgree: [
  Same<z.infer<typeof TaskSchema>, Task>,
  Same<z.infer<typeof ExampleSchema>, ExampleView>,
  Same<z.infer<typeof PromptVersionSchema>, PromptVersion>,
  Same<z.infer<typeof AgentSnapshotSchema>, AgentSnapshot>,
  Same<z.infer<typeof RunSummarySchema>, RunSummary>,
  Same<z.infer<typeof RunEstimateSchema>, RunEstimate>,
  Same<z.infer<typeof ProjectSchema>, Project>,
  Same<z.infer<typeof ApiKeySchema>, ApiKeyView>,
] = [true, true, true, true, true, true, true, true];
void typesAgree;
