/**
 * The bodies a Standard Webhooks endpoint acts on, in the spec's `{ type, timestamp?,
 * data }` envelope: `run.start` (data: the body of POST /v1/runs) and `examples.append`
 * (data: `taskId` and the body of POST /v1/tasks/:id/examples). The same schemas as the
 * API, so a delivery is validated exactly like the request it stands for.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { parseWith } from "../../http/validate";
import { StartRunSchema } from "../../routes/runs";
import { ExampleListSchema } from "../../routes/task-examples";
import type { ParsedDelivery } from "./delivery-intent";

export const STANDARD_EVENT_TYPES = ["run.start", "examples.append"] as const;

const envelope = { timestamp: z.string().max(100).optional() };

export const StandardPayloadSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("run.start"), ...envelope, data: StartRunSchema }),
    z.strictObject({ type: z.literal("examples.append"), ...envelope, data: z.strictObject({ taskId: z.string().min(1, "must not be empty"), examples: ExampleListSchema }) }),
  ],
  { error: `type must be one of ${STANDARD_EVENT_TYPES.map((t) => `"${t}"`).join(", ")}` },
);
export type StandardPayload = z.infer<typeof StandardPayloadSchema>;

/** A verified Standard Webhooks body as an intent; a 400 AppError naming the field otherwise. */
export function parseStandardPayload(body: string): ParsedDelivery {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError("invalid_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
  const payload = parseWith(StandardPayloadSchema, value, "webhook payload");
  if (payload.type === "run.start") return { event: payload.type, intent: { action: "run.start", request: payload.data } };
  return { event: payload.type, intent: { action: "examples.append", taskId: payload.data.taskId, examples: payload.data.examples } };
}
