/**
 * The live progress messages (durable-objects/live-protocol.ts) as zod schemas, for the
 * OpenAPI document of `GET /v1/runs/:id/events`. Hand-written; the `Same<>` check at the
 * bottom fails to compile when they and the protocol's type drift apart.
 */
import { z } from "zod";
import type { LiveMessage } from "../../durable-objects/live-protocol";
import { BudgetLedgerSchema } from "../engine/run-state";
import { RunReportSchema } from "../engine/run-report-schema";
import { BudgetLimitsSchema, SpendSchema } from "../engine/types";
import { RunSummarySchema, type Same } from "./response-schemas";

const message = <T extends string, S extends z.ZodRawShape>(type: T, fields: S, description: string) =>
  z.object({ seq: z.number().int().nonnegative(), at: z.number(), type: z.literal(type), ...fields }).meta({ description });

const split = z.enum(["train", "val", "test"]);
const verdict = { candidateId: z.string(), fitness: z.number(), parentFitness: z.number(), epsilon: z.number() };

export const LiveMessageSchema = z
  .discriminatedUnion("type", [
    message("snapshot", { run: RunSummarySchema }, "First message of a fresh subscription: the run as of message `seq`."),
    message("run.started", { kind: z.enum(["pretrain", "finetune"]) }, "The run was created."),
    message("generation.started", { generation: z.number().int() }, "A generation began."),
    message("generation.completed", { generation: z.number().int(), bestId: z.string(), bestFitness: z.number() }, "A generation ended; its best member."),
    message(
      "candidate.created",
      {
        candidateId: z.string(),
        kind: z.enum(["task", "agent"]),
        taskId: z.string().nullable(),
        parentId: z.string().nullable(),
        generation: z.number().int(),
        status: z.enum(["evaluating", "admitted", "rejected", "seed", "inner"]),
        chars: z.number().int(),
      },
      "A prompt was proposed (its text: GET /v1/runs/{id}/candidates/{candidateId}).",
    ),
    message("evaluation.recorded", { candidateId: z.string(), taskId: z.string(), split, examples: z.number().int(), meanScore: z.number() }, "One evaluate job's examples were scored: how many and their mean."),
    message("candidate.scored", { candidateId: z.string(), taskId: z.string(), split, score: z.number(), n: z.number().int() }, "A split of a candidate is complete."),
    message("candidate.fitness", { candidateId: z.string(), fitness: z.number() }, "A seed's fitness."),
    message("candidate.admitted", verdict, "A child joined the archive."),
    message("candidate.rejected", verdict, "A child was not admitted."),
    message("proposal.failed", { parentId: z.string(), reason: z.string() }, "A proposal produced no usable prompt."),
    message("budget", BudgetLedgerSchema.pick({ limits: true, spent: true, reserved: true, spentByRole: true }).shape, "The budget after a step that settled jobs."),
    message("budget.exhausted", { spent: SpendSchema, limits: BudgetLimitsSchema }, "A budget cap stopped the run."),
    message("budget.threshold", { threshold: z.number(), dimension: z.string(), spent: SpendSchema, limits: BudgetLimitsSchema }, "Spending crossed 50%, 80% or 100% of a limit (the most-spent dimension)."),
    message(
      "snapshot.created",
      { snapshotKind: z.enum(["prompt-agent", "shared-system-prompt"]), agentCandidateId: z.string(), fitness: z.number(), lineage: z.array(z.string()) },
      "A pre-training produced an agent snapshot.",
    ),
    message(
      "run.finished",
      { status: z.enum(["running", "completed", "cancelled", "failed"]), reason: z.string(), report: RunReportSchema.nullable() },
      "Always the last message; the server then closes the stream.",
    ),
  ])
  .meta({ description: "One live progress message (the `data` of an SSE event, or one WebSocket text frame)." });

const typesAgree: Same<z.infer<typeof LiveMessageSchema>, LiveMessage> = true;
void typesAgree;
