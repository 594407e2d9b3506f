/**
 * The bodies of the prompt management routes (prompts.ts), exported for the OpenAPI
 * document, and the reading of bodies that may be left out altogether.
 */
import type { Context } from "hono";
import { z } from "zod";
import { parseWith, readJson } from "../http/validate";

/** Run champions are not bounded by the seed's limit, so a manual version may be as long as one of them may grow. */
export const MAX_PROMPT_CHARS = 20_000;
const MAX_REASON_CHARS = 500;

const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${expected}`);

const reason = z
  .string({ error: typeError("a string") })
  .trim()
  .min(1, "must not be empty; leave it out instead")
  .max(MAX_REASON_CHARS, `must be at most ${MAX_REASON_CHARS} characters`)
  .optional()
  .meta({ description: "Why, in your words; kept in the change log." });

const version = z
  .number({ error: typeError("a version number such as 3") })
  .int("must be a whole version number such as 3")
  .min(1, "must be at least 1 (version 1 is the seed)");

export const AddPromptSchema = z.strictObject({
  text: z
    .string({ error: typeError("a string") })
    .min(1, "must not be empty")
    .max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`)
    .refine((t) => t.trim().length > 0, "must not be only whitespace"),
  live: z.boolean({ error: typeError("true or false") }).default(false).meta({ description: "Make the new version live at once (refused with 409 while the task is pinned)." }),
  note: z
    .string({ error: typeError("a string") })
    .trim()
    .min(1, "must not be empty; leave it out instead")
    .max(MAX_REASON_CHARS, `must be at most ${MAX_REASON_CHARS} characters`)
    .optional()
    .meta({ description: "Why this version exists; shown with the version (and in the change log when it goes live)." }),
});

export const PromoteSchema = z.strictObject({ version: version.meta({ description: "The version to serve." }), reason });

export const RollbackSchema = z.strictObject({ reason });

export const PinSchema = z.strictObject({
  version: version.optional().meta({ description: "Pin this version (making it live); by default the live one." }),
  reason,
});

/**
 * A body that may be absent: a request with neither a body nor a content type reads as
 * `{}` (so `curl -X POST .../rollback` works); anything sent is read as readJson does.
 */
export async function readOptionalJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  if (c.req.header("content-type") === undefined && (await c.req.text()) === "") return parseWith(schema, {}, "request body");
  return readJson(c, schema);
}
