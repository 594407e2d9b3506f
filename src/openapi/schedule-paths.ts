/**
 * Scheduled re-optimization (`/v1/tasks/{id}/schedule`, `/v1/schedules`) as OpenAPI path
 * items; see paths.ts for how the table is checked against the app's routes.
 */
import { PageQuerySchema } from "../routes/pagination";
import { PutScheduleSchema } from "../routes/task-schedule";
import { MIN_SCHEDULE_INTERVAL_MINUTES } from "../schedules/cron-schedule";
import { queryParameters } from "./json-schema";
import { BODY_ERRORS, body, errors, json, paging, path } from "./paths";

const tags = ["schedules"];

const HOW =
  "Each minute the Worker's cron trigger starts a fine-tuning of every task whose schedule is due: from the task's live prompt, with the schedule's config and agent. " +
  "A time that comes while a run of the task is still going is skipped (at most one at a time per task), and missed times (the Worker was down) start one run, not one each. " +
  "When the run ends, its champion replaces the live prompt only if a paired bootstrap on the validation split says it is better; the run's report says why either way.";

export function schedulePaths() {
  const taskId = path("id", "A task id (task_…).");
  return {
    "/v1/tasks/{id}/schedule": {
      put: {
        tags,
        operationId: "putTaskSchedule",
        summary: "Set (create or replace) a task's schedule",
        description:
          `${HOW} The cron must not fire more often than every ${MIN_SCHEDULE_INTERVAL_MINUTES} minutes. The run it would start is checked now ` +
          "(config, agent snapshot, the task's splits), so a schedule that could never start a run is a 400. Replacing keeps the record of the last run.",
        parameters: [taskId],
        requestBody: body(PutScheduleSchema),
        responses: {
          200: json("The schedule, replaced.", "TaskSchedule"),
          201: json("The schedule, created.", "TaskSchedule", { Location: "/v1/tasks/{id}/schedule" }),
          ...errors(...BODY_ERRORS, 404),
        },
      },
      get: { tags, operationId: "getTaskSchedule", summary: "A task's schedule, its next time and its last outcome", parameters: [taskId], responses: { 200: json("The schedule.", "TaskSchedule"), ...errors(404) } },
      delete: {
        tags,
        operationId: "deleteTaskSchedule",
        summary: "Remove a task's schedule",
        description: "A run it started goes on.",
        parameters: [taskId],
        responses: { 204: { description: "Removed." }, ...errors(404) },
      },
    },
    "/v1/schedules": {
      get: {
        tags,
        operationId: "listSchedules",
        summary: "The project's task schedules, newest first",
        parameters: queryParameters(PageQuerySchema, paging),
        responses: { 200: json("A page of schedules.", "TaskSchedulePage"), ...errors(400) },
      },
    },
  };
}
