/**
 * What travels on the JOBS queue: a job of the engine, versioned and tagged by `type`,
 * plus what the queue itself needs to know about its delivery history.
 */
import { z } from "zod";
import { EvaluateJobSchema, ProposeJobSchema } from "../engine/jobs";

/**
 * Delivery fields, optional so that a job as the engine made it is a valid message. Not
 * part of the job: the run never sees them, and a job re-sent by its run starts afresh.
 */
const Delivery = {
  /**
   * Rate-limit waits taken so far: each is a fresh copy of the message (so the wait does
   * not use up a delivery attempt), and the count bounds them (failure-policy.ts).
   */
  rateLimitWaits: z.number().int().nonnegative().max(1_000_000).optional(),
};

export const QueueMessageSchema = z.discriminatedUnion("type", [EvaluateJobSchema.extend(Delivery), ProposeJobSchema.extend(Delivery)]);
export type QueueMessage = z.infer<typeof QueueMessageSchema>;
