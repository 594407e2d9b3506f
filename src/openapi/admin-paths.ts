/**
 * The admin API (`/v1/projects`, admin key only) as OpenAPI path items; see paths.ts for
 * how the table is checked against the app's routes.
 */
import { PageQuerySchema } from "../routes/pagination";
import { NameSchema as ProjectNameSchema } from "../routes/projects";
import { queryParameters } from "./json-schema";
import { BODY_ERRORS, body, errors, json, paging, path } from "./paths";

/** Admin routes need the admin key, and answer 503 while none is configured. */
const admin = { tags: ["admin"], security: [{ adminKey: [] }] };
const adminErrors = errors(401, 403, 503);

export function adminPaths() {
  const projectId = path("id", "A project id.");
  return {
    "/v1/projects": {
      post: {
        ...admin,
        operationId: "createProject",
        summary: "Create a project",
        requestBody: body(ProjectNameSchema),
        responses: { 201: json("The project.", "Project", { Location: "/v1/projects/{id}" }), ...errors(...BODY_ERRORS), ...adminErrors },
      },
      get: { ...admin, operationId: "listProjects", summary: "List projects", parameters: queryParameters(PageQuerySchema, paging), responses: { 200: json("A page of projects.", "ProjectPage"), ...errors(400), ...adminErrors } },
    },
    "/v1/projects/{id}": { get: { ...admin, operationId: "getProject", summary: "Read a project", parameters: [projectId], responses: { 200: json("The project.", "Project"), ...errors(404), ...adminErrors } } },
    "/v1/projects/{id}/keys": {
      post: {
        ...admin,
        operationId: "createApiKey",
        summary: "Create an API key for a project",
        description: "The response is the only place the key ever appears; it is stored as a hash.",
        parameters: [projectId],
        requestBody: body(ProjectNameSchema),
        responses: { 201: json("The key, in full, once.", "CreatedApiKey", { "Cache-Control": "no-store" }), ...errors(...BODY_ERRORS, 404), ...adminErrors },
      },
      get: { ...admin, operationId: "listApiKeys", summary: "A project's keys (prefixes only)", parameters: [projectId], responses: { 200: json("The keys, revoked ones included.", "ApiKeyList"), ...errors(404), ...adminErrors } },
    },
    "/v1/projects/{id}/keys/{keyId}": {
      delete: {
        ...admin,
        operationId: "revokeApiKey",
        summary: "Revoke a key",
        parameters: [projectId, path("keyId", "A key id.")],
        responses: { 200: json("The key, now revoked.", "ApiKey"), ...errors(404), ...adminErrors },
      },
    },
  };
}
