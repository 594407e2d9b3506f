/**
 * Response schemas of inbound webhooks (endpoints, their delivery log, the receiver's
 * answers) and of POST /v1/tasks/:id/examples, hand-written like response-schemas.ts
 * and tied to the routes' types by `Same<>` where the routes have one.
 */
import { z } from "zod";
import type { ExamplesAppended } from "../routes/task-examples";
import type { InboundEndpointWithUrl } from "../routes/webhook-endpoints";
import { DELIVERY_OUTCOMES, type InboundDeliveryView } from "../storage/inbound-delivery-repo";
import { GitHubActionSchema } from "../webhooks/inbound/github-action";
import type { Same } from "./response-schemas";

const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC" });
const int = () => z.number().int();
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const CountsSchema = z.object({ train: int(), val: int(), test: int() });

export const InboundEndpointSchema = z.object({
  id: z.string(),
  name: z.string(),
  scheme: z.enum(["standard", "github"]),
  /** GitHub endpoints: what a delivery does. Null for Standard Webhooks endpoints (the body says). */
  action: GitHubActionSchema.nullable(),
  secretPrefix: z.string().meta({ description: "The secret's first characters, to tell secrets apart; the secret itself is shown only on creation and rotation." }),
  createdAt: timestamp(),
  secretRotatedAt: timestamp().nullable(),
  revokedAt: timestamp().nullable(),
  url: z.string().meta({ description: "Where senders POST deliveries: /hooks/<id> on this service." }),
});

export const InboundDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  webhookId: z.string().nullable().meta({ description: "The sender's id (webhook-id, or X-GitHub-Delivery), as sent; unverified on refused deliveries." }),
  event: z.string().nullable().meta({ description: "The body's `type` (Standard Webhooks) or X-GitHub-Event." }),
  receivedAt: timestamp(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  httpStatus: int().nullable(),
  action: z.enum(["run.start", "examples.append", "ping"]).nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});

export const ExamplesAppendedSchema = z.object({ taskId: z.string(), added: int(), counts: CountsSchema });

const deliveryId = () => z.string().meta({ description: "This delivery's entry in the endpoint's log." });

/** The receiver's 200 answers: examples added, a ping, an event the endpoint ignores, or a replay. */
export const HookAcknowledgedSchema = z.union([
  ExamplesAppendedSchema.extend({ deliveryId: deliveryId() }),
  z.object({ deliveryId: deliveryId(), pong: z.literal(true) }),
  z.object({ deliveryId: deliveryId(), ignored: z.literal(true), reason: z.string() }),
  z.object({ deliveryId: deliveryId(), duplicate: z.literal(true), webhookId: z.string(), originalDeliveryId: z.string().nullable() }),
]);

export const WEBHOOK_ENDPOINT_SCHEMAS = {
  InboundEndpoint: InboundEndpointSchema,
  InboundEndpointPage: page(InboundEndpointSchema),
  InboundEndpointWithSecret: InboundEndpointSchema.extend({ secret: z.string().meta({ description: "whsec_…: shown in this response only, never again." }) }),
  InboundDeliveryPage: page(InboundDeliverySchema),
  ExamplesAppended: ExamplesAppendedSchema,
  HookAccepted: z.object({ deliveryId: deliveryId(), runId: z.string() }),
  HookAcknowledged: HookAcknowledgedSchema,
} satisfies Record<string, z.ZodType>;

const typesAgree: [
  Same<z.infer<typeof InboundEndpointSchema>, InboundEndpointWithUrl>,
  Same<z.infer<typeof InboundDeliverySchema>, InboundDeliveryView>,
  Same<z.infer<typeof ExamplesAppendedSchema>, ExamplesAppended>,
] = [true, true, true];
void typesAgree;
