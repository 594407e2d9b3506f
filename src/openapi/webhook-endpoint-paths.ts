/**
 * Inbound webhooks as OpenAPI path items: the endpoints' management API
 * (`/v1/webhooks/endpoints`), the public receiver (`/hooks/{endpointId}`), and adding
 * examples to a task (`POST /v1/tasks/{id}/examples`, which a webhook can do too). See
 * paths.ts for how the table is checked against the app's routes.
 */
import { PageQuerySchema } from "../routes/pagination";
import { AppendExamplesSchema } from "../routes/task-examples";
import { CreateEndpointSchema } from "../routes/webhook-endpoints";
import { MAX_EXAMPLES } from "../routes/task-input";
import { StandardPayloadSchema } from "../webhooks/inbound/standard-payload";
import { TIMESTAMP_TOLERANCE_SECONDS } from "../webhooks/inbound/verify-standard";
import { inputJsonSchema, type ParameterObject, queryParameters } from "./json-schema";
import { BODY_ERRORS, body, errors, json, openApiPaths, paging, path, schemaRef } from "./paths";

const tags = ["webhooks"];
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: schemaRef("Error") } } });
const header = (name: string, description: string): ParameterObject => ({ name, in: "header", required: false, description, schema: { type: "string" } });

const RECEIVING =
  "Public: no API key; the signature made with the endpoint's secret is the credential. " +
  "`standard` endpoints take Standard Webhooks deliveries (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (Unix seconds, accepted within " +
  `${TIMESTAMP_TOLERANCE_SECONDS} s of the server's clock) and \`webhook-signature\` (\`v1,<base64 HMAC-SHA256 of id.timestamp.body>\`), with a JSON body ` +
  '`{"type": "run.start", "data": <body of POST /v1/runs>}` or `{"type": "examples.append", "data": {"taskId", "examples"}}`. ' +
  "`github` endpoints take GitHub webhooks: `X-Hub-Signature-256`, `X-GitHub-Event`, `X-GitHub-Delivery`; `ping` is acknowledged, the configured events start the configured run, others are ignored. " +
  "A delivery is acted on once: a repeated `webhook-id` (GitHub: a repeated `X-GitHub-Delivery` or the same signed body, since GitHub signs neither its id nor a time) answers 200 with `duplicate: true`. " +
  "Every delivery is logged (GET /v1/webhooks/endpoints/{id}/deliveries), bodies never.";

export function webhookEndpointPaths() {
  const endpointId = path("id", "An inbound endpoint id (hook_…).");
  const taskId = path("id", "A task id (task_…).");
  return {
    "/v1/webhooks/endpoints": {
      post: {
        tags,
        operationId: "createInboundEndpoint",
        summary: "Create an inbound webhook endpoint",
        description:
          "The response holds the endpoint's secret (`whsec_` + base64 of 32 random bytes), the only time it is shown; give it to the sender (GitHub: paste the whole string). " +
          "A `github` endpoint needs `action`, whose run is checked now against the project's tasks as a dry run would check it.",
        requestBody: body(CreateEndpointSchema),
        responses: {
          201: json("The endpoint with its secret.", "InboundEndpointWithSecret", { Location: "/v1/webhooks/endpoints/{id}", "Cache-Control": "no-store" }),
          ...errors(...BODY_ERRORS),
        },
      },
      get: {
        tags,
        operationId: "listInboundEndpoints",
        summary: "The project's inbound endpoints, newest first",
        parameters: queryParameters(PageQuerySchema, paging),
        responses: { 200: json("A page of endpoints (revoked ones included; secrets by prefix only).", "InboundEndpointPage"), ...errors(400) },
      },
    },
    "/v1/webhooks/endpoints/{id}": {
      get: { tags, operationId: "getInboundEndpoint", summary: "One inbound endpoint", parameters: [endpointId], responses: { 200: json("The endpoint.", "InboundEndpoint"), ...errors(404) } },
      delete: {
        tags,
        operationId: "revokeInboundEndpoint",
        summary: "Revoke an endpoint (at once; idempotent)",
        description: "Deliveries to a revoked endpoint answer 404, like an unknown one. Its log stays readable.",
        parameters: [endpointId],
        responses: { 200: json("The endpoint, now revoked.", "InboundEndpoint"), ...errors(404) },
      },
    },
    "/v1/webhooks/endpoints/{id}/rotate": {
      post: {
        tags,
        operationId: "rotateInboundEndpointSecret",
        summary: "Replace an endpoint's secret",
        description: "The old secret stops verifying at once. The response holds the new secret, the only time it is shown.",
        parameters: [endpointId],
        responses: {
          200: json("The endpoint with its new secret.", "InboundEndpointWithSecret", { "Cache-Control": "no-store" }),
          ...errors(404),
          409: errorResponse("conflict: the endpoint is revoked; create a new one."),
        },
      },
    },
    "/v1/webhooks/endpoints/{id}/deliveries": {
      get: {
        tags,
        operationId: "listInboundDeliveries",
        summary: "An endpoint's delivery log, newest first",
        description: "Every delivery that reached the endpoint, refused ones included, with its outcome, HTTP status, what was done and why not.",
        parameters: [endpointId, ...queryParameters(PageQuerySchema, paging)],
        responses: { 200: json("A page of deliveries.", "InboundDeliveryPage"), ...errors(400, 404) },
      },
    },
    "/hooks/{endpointId}": {
      post: {
        tags,
        operationId: "receiveInboundWebhook",
        summary: "Deliver an inbound webhook",
        description: RECEIVING,
        security: [],
        parameters: [
          path("endpointId", "The endpoint's id (its `url` ends with it)."),
          header("webhook-id", "Standard Webhooks: the message id, the same on every retry."),
          header("webhook-timestamp", "Standard Webhooks: the send time in Unix seconds."),
          header("webhook-signature", "Standard Webhooks: space-separated `v1,<base64>` signatures."),
          header("X-Hub-Signature-256", "GitHub: `sha256=<hex HMAC-SHA256 of the body>`."),
          header("X-GitHub-Event", "GitHub: the event name (push, ping, ...)."),
          header("X-GitHub-Delivery", "GitHub: the delivery's GUID."),
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { description: "Standard Webhooks: this envelope. GitHub: GitHub's event payload.", anyOf: [inputJsonSchema(StandardPayloadSchema), { type: "object" }] } },
            "application/x-www-form-urlencoded": { schema: { type: "object", properties: { payload: { type: "string" } } } },
          },
        },
        responses: {
          202: json("A run was started.", "HookAccepted"),
          200: json("Examples were added, a ping or an ignored event was acknowledged, or the delivery was a replay (`duplicate: true`) and did nothing.", "HookAcknowledged"),
          ...errors(...BODY_ERRORS, 404),
          401: errorResponse(`unauthorized: the signature headers are missing or do not match the secret, or webhook-timestamp is more than ${TIMESTAMP_TOLERANCE_SECONDS} s from the server's clock.`),
          409: errorResponse("conflict: the action was refused as POST /v1/runs would refuse it (e.g. the run does not fit the project's budget)."),
        },
      },
    },
    "/v1/tasks/{id}/examples": {
      // The GET of this path is described in paths.ts; this file adds the POST to it.
      ...openApiPaths()["/v1/tasks/{id}/examples"],
      post: {
        tags: ["tasks"],
        operationId: "appendExamples",
        summary: "Add examples to a task",
        description:
          `Up to ${MAX_EXAMPLES} examples per task in all (413 past that). Examples without a \`split\` top up each split towards the task's current proportions, ` +
          "chosen by a shuffle seeded with the task's `splitSeed`; positions continue after the task's last example.",
        parameters: [taskId],
        requestBody: body(AppendExamplesSchema),
        responses: { 201: json("How many were added and the task's counts per split now.", "ExamplesAppended"), ...errors(...BODY_ERRORS, 404) },
      },
    },
  };
}
