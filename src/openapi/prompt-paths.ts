/**
 * A task's prompts (`/v1/tasks/{id}/prompt...`) as OpenAPI path items: the live prompt,
 * the versions, and managing which one is live; see paths.ts for how the table is
 * checked against the app's routes.
 */
import { PageQuerySchema } from "../routes/pagination";
import { AddPromptSchema, PinSchema, PromoteSchema, RollbackSchema } from "../routes/prompt-input";
import { queryParameters } from "./json-schema";
import { BODY_ERRORS, body, errors, json, paging, path, schemaRef } from "./paths";

const tags = ["prompts"];

const PIN =
  "While a task is pinned, a run's champion that passes the promotion gate is still recorded as a version, but does not go live: " +
  "only promote, rollback, pin or unpin by a user moves or frees the live version.";

/** 409 is particular to these routes, hence described here rather than among the shared error responses. */
const conflict = (description: string) => ({ 409: { description: `conflict: ${description}`, content: { "application/json": { schema: schemaRef("Error") } } } });

/** A body that may be left out altogether (no body, no content type: read as `{}`). */
const optionalBody = (schema: Parameters<typeof body>[0]) => ({ ...body(schema), required: false });

const state = (what: string) => json(`${what} The change is null when nothing needed to change.`, "PromptState");

export function promptPaths() {
  const taskId = path("id", "A task id (task_…).");
  const busy = "the live version kept changing under the request (retry)";
  return {
    "/v1/tasks/{id}/prompt": {
      get: {
        tags,
        operationId: "getLivePrompt",
        summary: "The prompt the task serves now",
        description: "The endpoint applications poll: a strong ETag per version (and pin state) and a short private cache.",
        parameters: [taskId, { name: "If-None-Match", in: "header", required: false, description: "An ETag from an earlier answer.", schema: { type: "string" } }],
        responses: {
          200: json("The live prompt version, and whether it is pinned.", "LivePrompt", { ETag: '"<taskId>-v<version>", with "-pinned" before the closing quote while pinned', "Cache-Control": "private, max-age=30" }),
          304: { description: "The live version (and pin) is still the one the ETag names." },
          ...errors(404),
        },
      },
    },
    "/v1/tasks/{id}/prompts": {
      get: {
        tags,
        operationId: "listPromptVersions",
        summary: "A task's prompt history, newest first",
        parameters: [taskId, ...queryParameters(PageQuerySchema, paging)],
        responses: { 200: json("A page of prompt versions, which one is live, and whether it is pinned.", "PromptHistory"), ...errors(400, 404) },
      },
      post: {
        tags,
        operationId: "addPromptVersion",
        summary: "Add a manual prompt version",
        description: 'The next version number, source "manual". With "live": true it is served at once, which a pinned task refuses (409): add it, then promote it.',
        parameters: [taskId],
        requestBody: body(AddPromptSchema),
        responses: {
          201: json("The version added, and what the task serves now.", "AddedPrompt", { Location: "/v1/tasks/{id}/prompts/{version}" }),
          ...errors(...BODY_ERRORS, 404),
          ...conflict(`"live": true on a pinned task, or ${busy}`),
        },
      },
    },
    "/v1/tasks/{id}/prompts/{version}": {
      get: {
        tags,
        operationId: "getPromptVersion",
        summary: "One prompt version",
        parameters: [taskId, path("version", "A version number (1 is the seed).", { type: "string", pattern: "^[1-9][0-9]*$" })],
        responses: { 200: json("The version.", "PromptVersion"), ...errors(404) },
      },
    },
    "/v1/tasks/{id}/prompt/promote": {
      post: {
        tags,
        operationId: "promotePrompt",
        summary: "Serve any existing version",
        description: `Works while pinned (the pin stays). ${PIN}`,
        parameters: [taskId],
        requestBody: body(PromoteSchema),
        responses: { 200: state("The version is live."), ...errors(...BODY_ERRORS, 404), ...conflict(busy) },
      },
    },
    "/v1/tasks/{id}/prompt/rollback": {
      post: {
        tags,
        operationId: "rollbackPrompt",
        summary: "Serve the previously live version again",
        description:
          "Undoes the latest change of the live version that is not undone yet (a run's, a promote, a pin at another version, a manual version made live): " +
          "rolling back twice goes two steps back. Works while pinned (the pin stays). The body is optional.",
        parameters: [taskId],
        requestBody: optionalBody(RollbackSchema),
        responses: { 200: state("The earlier version is live."), ...errors(...BODY_ERRORS, 404), ...conflict(`there is no earlier live version to go back to, or ${busy}`) },
      },
    },
    "/v1/tasks/{id}/prompt/pin": {
      post: {
        tags,
        operationId: "pinPrompt",
        summary: "Pin the live version (or pin another version, making it live)",
        description: `${PIN} The body is optional.`,
        parameters: [taskId],
        requestBody: optionalBody(PinSchema),
        responses: { 200: state("The task is pinned."), ...errors(...BODY_ERRORS, 404), ...conflict(`the task has no live version and none was named, or ${busy}`) },
      },
      delete: {
        tags,
        operationId: "unpinPrompt",
        summary: "Unpin: runs may replace the live version again",
        description: "The live version stays until a run's champion passes the promotion gate (or a user changes it).",
        parameters: [taskId],
        responses: { 200: state("The task is not pinned."), ...errors(404), ...conflict(busy) },
      },
    },
    "/v1/tasks/{id}/prompt/changes": {
      get: {
        tags,
        operationId: "listPromptChanges",
        summary: "The changes of the live version and pin, newest first",
        parameters: [taskId, ...queryParameters(PageQuerySchema, paging)],
        responses: { 200: json("A page of changes.", "PromptChangePage"), ...errors(400, 404) },
      },
    },
  };
}
