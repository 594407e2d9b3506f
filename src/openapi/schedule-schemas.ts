/**
 * Response schemas of the schedule routes (`/v1/tasks/:id/schedule`, `/v1/schedules`),
 * hand-written like response-schemas.ts and tied to the repository's type at compile time.
 */
import { z } from "zod";
import { AgentModelSchema, type TaskSchedule } from "../storage/schedule-repo";
import type { Same } from "./response-schemas";

const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC" });

export const TaskScheduleSchema = z.object({
  taskId: z.string(),
  cron: z.string().meta({ description: "Five fields (minute hour day-of-month month day-of-week) or a nickname such as @daily." }),
  timezone: z.string().meta({ description: "The IANA time zone the cron is read in." }),
  config: z.record(z.string(), z.unknown()).meta({ description: "The run config each scheduled run starts with, as given (defaults apply when the run starts)." }),
  agent: z.string().nullable().meta({ description: '"latest" (the newest snapshot at each run, the hand-written agent while there is none), a snapshot id, or null for the hand-written agent.' }),
  agentModel: AgentModelSchema.nullable().meta({ description: "The prompt agent's model; null for the service's default." }),
  enabled: z.boolean(),
  nextRunAt: timestamp().nullable().meta({ description: "When the next run is due; null while disabled or when the cron never fires again." }),
  lastRunId: z.string().nullable().meta({ description: "The last run the schedule started." }),
  lastRunAt: timestamp().nullable().meta({ description: "When it started that run (the trigger's time)." }),
  lastOutcome: z.enum(["started", "skipped", "failed"]).nullable().meta({ description: "What the last due time did: started a run, skipped (a run of the task was still going) or failed to start one." }),
  lastReason: z.string().nullable().meta({ description: "Why it was skipped or failed." }),
  lastOutcomeAt: timestamp().nullable().meta({ description: "When its time last came, whatever it did then." }),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const SCHEDULE_SCHEMAS = {
  TaskSchedule: TaskScheduleSchema,
  TaskSchedulePage: z.object({ items: z.array(TaskScheduleSchema), nextCursor: z.string().nullable() }),
} satisfies Record<string, z.ZodType>;

const typesAgree: [Same<z.infer<typeof TaskScheduleSchema>, TaskSchedule>] = [true];
void typesAgree;
