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
    /** The usable completions the failed attempt received: billed by the provider, so charged to the run. */
    usage: UsageSchema.optional(),
    /**
     * Present when this was one attempt and the job goes back to the queue, to be tried
     * again in this many seconds: the run charges `usage` and keeps waiting for the job
     * (and its watchdog knows when to expect it back). Absent: the job has failed for good.
     */
    retryInSeconds: z.number().nonnegative().optional(),
  }),
]);
export type JobOutcome = z.infer<typeof JobOutcomeSchema>;
