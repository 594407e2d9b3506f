/**
 * Carrying out what a verified, first-seen delivery asks for, through the same functions
 * as the API routes, so it is checked exactly like POST /v1/runs or POST
 * /v1/tasks/:id/examples would check it. Their 4xx AppErrors reach the caller unchanged.
 */
import type { AppEnv } from "../../env";
import { appendTaskExamples } from "../../routes/task-examples";
import { startRun } from "../../runs/start-run";
import type { DeliveryOutcome } from "../../storage/inbound-delivery-repo";
import type { DeliveryIntent } from "./delivery-intent";

export interface ActionDone {
  status: 200 | 202;
  outcome: Extract<DeliveryOutcome, "accepted" | "ignored">;
  /** What the log keeps. */
  result: Record<string, unknown> | null;
  /** What the sender is told. */
  body: Record<string, unknown>;
}

export async function performAction(env: AppEnv, projectId: string, intent: DeliveryIntent): Promise<ActionDone> {
  switch (intent.action) {
    case "run.start": {
      const summary = await startRun(env, projectId, intent.request);
      return { status: 202, outcome: "accepted", result: { runId: summary.runId }, body: { runId: summary.runId } };
    }
    case "examples.append": {
      const appended = await appendTaskExamples(env.DB, projectId, intent.taskId, intent.examples);
      return { status: 200, outcome: "accepted", result: { taskId: appended.taskId, added: appended.added }, body: { ...appended } };
    }
    case "ping":
      return { status: 200, outcome: "accepted", result: null, body: { pong: true } };
    case "ignore":
      return { status: 200, outcome: "ignored", result: { reason: intent.reason }, body: { ignored: true, reason: intent.reason } };
  }
}
