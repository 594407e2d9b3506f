/** What the consumer reports to a run's Durable Object for one job (an RPC payload). */
import { z } from "zod";
import { JobResultSchema, UsageSchema } from "../engine/jobs";

export const JobOutcomeSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), jobId: z.string(), result: JobResultSchema }),
  z.object({
    ok: z.literal(false),
    jobId: z.string(),
    reason: z.string(),
    /** A configuration problem (bad key, unknown model): the whole run stops rather than scoring zeros. */
    systemic: z.boolean(),
    usage: UsageSchema.optional(),
  }),
]);
export type JobOutcome = z.infer<typeof JobOutcomeSchema>;
