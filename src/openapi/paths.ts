/**
 * Every route of the API as OpenAPI 3.1 path items. Request bodies and query parameters
 * come from the schemas the routes validate with (exported from src/routes/); response
 * bodies name schemas of response-schemas.ts. test/integration/openapi.test.ts fails
 * when the app serves a route this table does not describe, or the other way round.
 */
import type { z } from "zod";
import { MAX_BODY_BYTES } from "../http/validate";
import { PageQuerySchema } from "../routes/pagination";
import { EventsQuerySchema, ListCandidatesQuerySchema, ListRunsQuerySchema, RunIdSchema, StartRunSchema } from "../routes/runs";
import { CreateTaskSchema } from "../routes/task-input";
import { ExampleQuerySchema } from "../routes/tasks";
import { inputJsonSchema, type JsonSchema, type ParameterObject, queryParameters } from "./json-schema";

/** The error responses every operation may name (components.responses). */
export const ERROR_RESPONSES = {
  400: { name: "BadRequest", description: "invalid_request: a query parameter, path parameter or body field is wrong; `issues` names each one." },
  404: { name: "NotFound", description: "not_found: no such resource (or route)." },
  413: { name: "PayloadTooLarge", description: `payload_too_large: the body is over ${MAX_BODY_BYTES} bytes.` },
  415: { name: "UnsupportedMediaType", description: "unsupported_media_type: the body must be sent as application/json." },
  401: { name: "Unauthorized", description: "unauthorized: no API key, or one that is unknown or revoked (with `WWW-Authenticate: Bearer`)." },
  403: { name: "Forbidden", description: "forbidden: the key may not do this (a project key on the admin API, or naming another project)." },
  503: { name: "Unavailable", description: "unavailable: the admin API is disabled until ADMIN_API_KEY is configured." },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (description: string, schema: string, headers?: Record<string, string>) => ({
  description,
  content: { "application/json": { schema: schemaRef(schema) } },
  ...(headers ? { headers: Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, { description: text, schema: { type: "string" } }])) } : {}),
});
export const errors = (...statuses: ErrorStatus[]) => Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSES[s].name}` }]));
export const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: inputJsonSchema(schema) } } });
export const path = (name: string, description: string, schema: JsonSchema = { type: "string" }): ParameterObject => ({ name, in: "path", required: true, description, schema });

export const paging = { limit: "Items per page.", cursor: "The `nextCursor` of the previous page." };
export const BODY_ERRORS = [400, 413, 415] as const;

/** The path items; a function, so the schema conversions run when the document is first asked for, not at startup. */
export function openApiPaths() {
  const taskId = path("id", "A task id (task_…).");
  const runId = path("id", "A run id (run_ followed by 32 hex digits).", inputJsonSchema(RunIdSchema));
  const agentId = path("id", "An agent snapshot id (agt_…).");
  return {
    "/": { get: { operationId: "serviceIndex", tags: ["service"], summary: "Where things are", responses: { 200: json("Links to the API, health and dashboard.", "ServiceIndex") } } },
    "/health": { get: { operationId: "health", tags: ["service"], summary: "Liveness", responses: { 200: json("The Worker answers.", "Health") } } },
    "/openapi.json": {
      get: { operationId: "openApi", tags: ["service"], summary: "This document", responses: { 200: { description: "The OpenAPI 3.1 document of this API.", content: { "application/json": { schema: { type: "object" } } } } } },
    },
    "/v1/tasks": {
      post: {
        operationId: "createTask",
        tags: ["tasks"],
        summary: "Create a task with its examples",
        description: "Examples without a `split` are dealt out by a seeded shuffle in the `split` ratios. The seed prompt becomes prompt version 1, live.",
        requestBody: body(CreateTaskSchema),
        responses: { 201: json("The task as stored.", "Task", { Location: "/v1/tasks/{id}" }), ...errors(...BODY_ERRORS) },
      },
      get: { operationId: "listTasks", tags: ["tasks"], summary: "List tasks, newest first", parameters: queryParameters(PageQuerySchema, paging), responses: { 200: json("A page of tasks.", "TaskPage"), ...errors(400) } },
    },
    "/v1/tasks/{id}": { get: { operationId: "getTask", tags: ["tasks"], summary: "Read a task", parameters: [taskId], responses: { 200: json("The task with its example counts per split.", "Task"), ...errors(404) } } },
    "/v1/tasks/{id}/examples": {
      get: {
        operationId: "listExamples",
        tags: ["tasks"],
        summary: "Page through a task's examples",
        parameters: [taskId, ...queryParameters(ExampleQuerySchema, { ...paging, split: "Only this split." })],
        responses: { 200: json("A page of examples in their original order.", "ExamplePage"), ...errors(400, 404) },
      },
    },
    // A task's prompts (/v1/tasks/{id}/prompt, /prompts, ...): prompt-paths.ts.
    "/v1/runs": {
      post: {
        operationId: "startRun",
        tags: ["runs"],
        summary: "Start a pre-training or a fine-tuning (or estimate one)",
        description: "`config` is checked against the full run configuration (unknown keys are a 400 naming them).",
        parameters: [
          // Read by hand in the route (anything but "true" is a real start), hence hand-written here.
          { name: "dryRun", in: "query", required: false, description: '"true": validate and estimate the run\'s cost, start nothing.', schema: { type: "string", enum: ["true", "false"] } },
        ],
        requestBody: body(StartRunSchema),
        responses: {
          200: json("Dry run: the cost estimate (upper bounds) and the full configuration.", "DryRun"),
          202: json("The run started; watch it at Location or /events.", "RunSummary", { Location: "/v1/runs/{id}" }),
          ...errors(...BODY_ERRORS),
        },
      },
      get: {
        operationId: "listRuns",
        tags: ["runs"],
        summary: "List runs, newest first",
        parameters: queryParameters(ListRunsQuerySchema, { ...paging, taskId: "Only runs of this task.", status: "Only runs in this state." }),
        responses: { 200: json("A page of runs as recorded in D1.", "RunPage"), ...errors(400) },
      },
    },
    "/v1/runs/{id}": { get: { operationId: "getRun", tags: ["runs"], summary: "A run's live state", parameters: [runId], responses: { 200: json("The run as its Durable Object knows it.", "RunSummary"), ...errors(404) } } },
    "/v1/runs/{id}/cancel": {
      post: { operationId: "cancelRun", tags: ["runs"], summary: "Cancel a run (idempotent)", parameters: [runId], responses: { 200: json("The run after cancelling (unchanged if it had finished).", "RunSummary"), ...errors(404) } },
    },
    "/v1/runs/{id}/candidates": {
      get: {
        operationId: "listCandidates",
        tags: ["runs"],
        summary: "A run's candidates in creation order",
        parameters: [runId, ...queryParameters(ListCandidatesQuerySchema, { status: "Only candidates with this status." })],
        responses: { 200: json("The candidates (parents before children).", "CandidateList"), ...errors(400, 404) },
      },
    },
    "/v1/runs/{id}/candidates/{candidateId}": {
      get: {
        operationId: "getCandidate",
        tags: ["runs"],
        summary: "One candidate with every evaluation",
        parameters: [runId, path("candidateId", "A candidate id (<runId>:c<n>).")],
        responses: { 200: json("The candidate and its per-example results.", "CandidateDetail"), ...errors(404) },
      },
    },
    "/v1/runs/{id}/events": {
      get: {
        operationId: "watchRun",
        tags: ["runs"],
        summary: "Live progress (Server-Sent Events, or WebSocket)",
        description:
          "Server-Sent Events: a `snapshot` message first (the run summary), then one message per engine fact in order, numbered by `seq` (the SSE `id`), `budget` after settlements, " +
          "`: keepalive` comments every 15 s, and `run.finished` last, after which the stream closes. Reconnecting with `Last-Event-ID` (or `?after=`) replays what was missed, " +
          "or starts again from a snapshot when the run's log no longer holds it. The same URL with `Upgrade: websocket` sends the same messages as text frames.",
        parameters: [
          runId,
          ...queryParameters(EventsQuerySchema, { after: "Resume after this `seq` (as Last-Event-ID does)." }),
          { name: "Last-Event-ID", in: "header", required: false, description: "Sent by EventSource when it reconnects: resume after this `seq`.", schema: { type: "string" } },
        ],
        responses: {
          200: {
            description: "An event stream; each event's `data` is one LiveMessage (JSON), its `id` the message's `seq`.",
            content: { "text/event-stream": { schema: { type: "string" }, "x-data-schema": schemaRef("LiveMessage") } },
          },
          101: { description: "WebSocket (request sent with `Upgrade: websocket`): one LiveMessage per text frame; \"ping\" is answered \"pong\"." },
          204: { description: "The run has finished and the client already has its last message: nothing more will come." },
          ...errors(400, 404),
        },
      },
    },
    "/v1/agents": {
      get: { operationId: "listAgentSnapshots", tags: ["agents"], summary: "Agent snapshots, newest first", parameters: queryParameters(PageQuerySchema, paging), responses: { 200: json("A page of snapshots.", "AgentSnapshotPage"), ...errors(400) } },
    },
    "/v1/agents/{id}": { get: { operationId: "getAgentSnapshot", tags: ["agents"], summary: "One agent snapshot", parameters: [agentId], responses: { 200: json("The snapshot.", "AgentSnapshot"), ...errors(404) } } },
  };
}
