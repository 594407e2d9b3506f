/**
 * Response schemas of the prompt management routes (see response-schemas.ts for why
 * they are hand-written and how they are kept honest). The live prompt and the history
 * stay in response-schemas.ts with the version they extend.
 */
import { z } from "zod";
import type { AddedPrompt, PromptChange, PromptState } from "../storage/prompt-change-repo";
import { PromptVersionSchema, type Same } from "./response-schemas";

const int = () => z.number().int();

export const PromptChangeSchema = z
  .object({
    seq: int().meta({ description: "1, 2, ... per task, in the order the changes were applied." }),
    action: z.enum(["run", "promote", "rollback", "pin", "unpin", "manual"]).meta({
      description:
        "run: a run's champion passed the promotion gate and went live; promote: a user made a version live; rollback: a user undid the latest change not yet undone; " +
        "pin / unpin: a user pinned (possibly at another version) or unpinned; manual: a user added a version and made it live.",
    }),
    fromVersion: int().nullable().meta({ description: "Live before." }),
    toVersion: int().nullable().meta({ description: "Live after (the same as fromVersion for a pin or unpin that moved nothing)." }),
    pinned: z.boolean().meta({ description: "Whether the task was pinned after the change." }),
    runId: z.string().nullable().meta({ description: "action run: the run whose champion went live." }),
    reason: z.string().nullable(),
    undoes: int().nullable().meta({ description: "action rollback: the seq of the change it undid." }),
    createdAt: z.iso.datetime().meta({ description: "ISO 8601, UTC" }),
  })
  .meta({ description: "One change of a task's live version or pin." });

export const PromptStateSchema = z
  .object({
    taskId: z.string(),
    liveVersion: int().nullable(),
    pinned: z.boolean().meta({ description: "While true, a run's champion is recorded as a version but does not go live." }),
    change: PromptChangeSchema.nullable().meta({ description: "The change this request wrote; null when it changed nothing (it was already so)." }),
  })
  .meta({ description: "What a task serves after a change request." });

export const AddedPromptSchema = PromptStateSchema.extend({ prompt: PromptVersionSchema });

export const PROMPT_SCHEMAS = {
  PromptChange: PromptChangeSchema,
  PromptChangePage: z.object({ taskId: z.string(), items: z.array(PromptChangeSchema), nextCursor: z.string().nullable() }),
  PromptState: PromptStateSchema,
  AddedPrompt: AddedPromptSchema,
} satisfies Record<string, z.ZodType>;

// Compile-time: each schema says exactly what its route's value is typed as.
const typesAgree: [Same<z.infer<typeof PromptChangeSchema>, PromptChange>, Same<z.infer<typeof PromptStateSchema>, PromptState>, Same<z.infer<typeof AddedPromptSchema>, AddedPrompt>] = [
  true,
  true,
  true,
];
void typesAgree;
