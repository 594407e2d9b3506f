/**
 * GitHub bodies describe what happened on GitHub, not what to do here, so a GitHub
 * endpoint carries its action: which events start which run (e.g. a push to main
 * re-optimizes a task). `ping` (sent when the GitHub webhook is created) is always
 * acknowledged; other events, and pushes to other refs, are recorded and ignored.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { StartRunSchema } from "../../routes/runs";
import type { ParsedDelivery } from "./delivery-intent";

export const GitHubActionSchema = z.strictObject({
  type: z.literal("run.start", { error: 'must be "run.start" (GitHub endpoints start runs)' }),
  /** X-GitHub-Event values that act; default push. */
  events: z
    .array(z.string().regex(/^[a-z_]{1,50}$/, "must be a GitHub event name such as push or release"))
    .min(1, "must name at least one event")
    .max(20, "must name at most 20 events")
    .default(["push"]),
  /** Only deliveries whose payload's `ref` is this, e.g. "refs/heads/main" (pushes, tags). */
  ref: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
  /** The run to start: the body of POST /v1/runs. */
  data: StartRunSchema,
});
export type GitHubAction = z.infer<typeof GitHubActionSchema>;

const RefPayloadSchema = z.object({ ref: z.string().optional() });

/**
 * A verified GitHub delivery as an intent. The body is JSON, or a form with a `payload`
 * field when the GitHub webhook's content type is application/x-www-form-urlencoded.
 */
export function parseGitHubDelivery(action: GitHubAction, event: string, body: string, contentType: string): ParsedDelivery {
  const payload = readGitHubPayload(body, contentType);
  if (event === "ping") return { event, intent: { action: "ping" } };
  if (!action.events.includes(event)) {
    return { event, intent: { action: "ignore", reason: `this endpoint acts on ${action.events.join(", ")}, not on '${event}'` } };
  }
  if (action.ref !== undefined) {
    const ref = RefPayloadSchema.safeParse(payload).data?.ref;
    if (ref !== action.ref) return { event, intent: { action: "ignore", reason: `this endpoint acts on ${action.ref} only, not on ${ref ?? "a payload without a ref"}` } };
  }
  return { event, intent: { action: "run.start", request: action.data } };
}

function readGitHubPayload(body: string, contentType: string): unknown {
  let text = body;
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const field = new URLSearchParams(body).get("payload");
    if (field === null) throw new AppError("invalid_request", "A form-encoded GitHub delivery needs a 'payload' field.");
    text = field;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_request", `The GitHub payload is not valid JSON: ${(error as Error).message}`);
  }
}
