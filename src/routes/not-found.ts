/** The 404s of the task and agent routes, worded once so every route says the same thing. */
import { AppError } from "../errors";

export function taskNotFound(id: string): AppError {
  return new AppError("not_found", `No task with id '${id}'. List tasks with GET /v1/tasks.`);
}

export function agentNotFound(id: string): AppError {
  return new AppError("not_found", `No agent snapshot with id '${id}'. List snapshots with GET /v1/agents.`);
}
