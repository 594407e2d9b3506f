/** What travels on the JOBS queue: a job of the engine, versioned and tagged by `type`. */
import { JobSchema } from "../engine/jobs";
import type { z } from "zod";

export const QueueMessageSchema = JobSchema;
export type QueueMessage = z.infer<typeof QueueMessageSchema>;
