/** What a verified delivery asks for, once its body is read: one of the actions, or nothing. */
import type { StartRunRequest } from "../../routes/runs";
import type { ExampleInput } from "../../routes/task-examples";

export type DeliveryIntent =
  | { action: "run.start"; request: StartRunRequest }
  | { action: "examples.append"; taskId: string; examples: ExampleInput[] }
  /** GitHub's `ping`, sent when a webhook is created: acknowledged, nothing done. */
  | { action: "ping" }
  /** A verified delivery this endpoint does not act on (another GitHub event, another ref). */
  | { action: "ignore"; reason: string };

/** A delivery's body as the receiver understood it: `event` is the body's `type` or X-GitHub-Event. */
export interface ParsedDelivery {
  event: string;
  intent: DeliveryIntent;
}
