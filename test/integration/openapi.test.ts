/**
 * GET /openapi.json: an OpenAPI 3.1 document that covers every route the app serves,
 * takes request bodies and query parameters from the schemas that validate them, and
 * whose response schemas fit what the routes really answer.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../src/app";
import { MAX_BODY_BYTES } from "../../src/http/validate";
import { LiveMessageSchema } from "../../src/openapi/live-schemas";
import { RESPONSE_SCHEMAS } from "../../src/openapi/response-schemas";
import { PageQuerySchema } from "../../src/routes/pagination";
import { NameSchema as ProjectNameSchema } from "../../src/routes/projects";
import { EventsQuerySchema, ListCandidatesQuerySchema, ListRunsQuerySchema, StartRunSchema } from "../../src/routes/runs";
import { CreateTaskSchema } from "../../src/routes/task-input";
import { ExampleQuerySchema } from "../../src/routes/tasks";
import { AppendExamplesSchema } from "../../src/routes/task-examples";
import { CreateEndpointSchema } from "../../src/routes/webhook-endpoints";
import { PutBudgetSchema } from "../../src/budgets/project-budget";
import { api, createSimTask, simTaskBody, startRun } from "./support/api";
import { adminRequest, withAuth } from "./support/auth";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
/** The dashboard is HTML pages for people, not API: it is the one thing left out. */
const UNDOCUMENTED_PREFIX = "/dashboard";

let doc: any;
beforeAll(async () => {
  const res = await exports.default.fetch("http://x/openapi.json");
  expect(res.status).toBe(200);
  doc = await res.json();
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
/** What the document should say about a validating schema: zod's JSON Schema of its input, less `$schema` (OpenAPI 3.1 fixes the dialect). */
const inputSchema = (schema: z.ZodType): Record<string, any> => ({ ...z.toJSONSchema(schema, { io: "input" }), $schema: undefined });

/** Follows a local `$ref` ("#/components/..."). */
function resolve(node: any): any {
  if (!node?.$ref) return node;
  const target = (node.$ref as string).replace(/^#\//, "").split("/").reduce((at: any, key) => at?.[key], doc);
  expect(target, `${node.$ref} resolves`).toBeDefined();
  return resolve(target);
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document, public, with unique operation ids", async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations()) expect(Object.keys(op.responses).every((s) => /^[1-5]\d\d$/.test(s))).toBe(true);
  });

  it("describes every route the app serves, and only those", () => {
    const served = createApp()
      .routes.filter((r) => METHODS.includes(r.method.toLowerCase()) && !r.path.startsWith(UNDOCUMENTED_PREFIX))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect([...new Set(documented)].sort()).toEqual([...new Set(served)].sort());
    expect(served).toContain("get /v1/runs/{id}/events");
  });

  it("declares each path parameter of each path, and no other", () => {
    for (const { path, method, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: any) => p.in === "path");
      expect(declared.map((p: any) => p.name).sort(), `${method} ${path}`).toEqual(inPath.sort());
      expect(declared.every((p: any) => p.required === true)).toBe(true);
    }
  });

  it("resolves every $ref", () => {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        if ("$ref" in node) resolve(node);
        Object.values(node).forEach(walk);
      }
    };
    walk(doc);
  });

  it("takes request bodies from the schemas that validate them", () => {
    const bodyOf = (path: string, method: string) => doc.paths[path][method].requestBody.content["application/json"].schema;
    expect(bodyOf("/v1/tasks", "post")).toEqual(inputSchema(CreateTaskSchema));
    expect(bodyOf("/v1/runs", "post")).toEqual(inputSchema(StartRunSchema));
    expect(bodyOf("/v1/projects", "post")).toEqual(inputSchema(ProjectNameSchema));
    expect(bodyOf("/v1/projects/{id}/keys", "post")).toEqual(inputSchema(ProjectNameSchema));
    expect(bodyOf("/v1/tasks/{id}/examples", "post")).toEqual(inputSchema(AppendExamplesSchema));
    expect(bodyOf("/v1/webhooks/endpoints", "post")).toEqual(inputSchema(CreateEndpointSchema));
    expect(bodyOf("/v1/budget", "put")).toEqual(inputSchema(PutBudgetSchema));
    // The scorer is validated after a pipe from `unknown`: its documentation still lists every scorer.
    const scorers = bodyOf("/v1/tasks", "post").properties.scorer.oneOf.map((s: any) => s.properties.type.const);
    expect(scorers).toEqual(expect.arrayContaining(["exact", "numeric", "choice", "regex", "contains"]));
    const body = operations().filter(({ op }) => op.requestBody).map(({ path, method }) => `${method} ${path}`);
    // Every operation with a body, so a new one is noticed; the bodies not compared above are
    // compared with their schemas in their own area's tests (prompt-management, inbound-webhooks,
    // outbound-webhooks, schedules, budget).
    expect(body.sort()).toEqual([
      "patch /v1/webhooks/subscriptions/{id}",
      "post /hooks/{endpointId}",
      "post /v1/projects",
      "post /v1/projects/{id}/keys",
      "post /v1/runs",
      "post /v1/tasks",
      "post /v1/tasks/{id}/examples",
      "post /v1/tasks/{id}/prompt/pin",
      "post /v1/tasks/{id}/prompt/promote",
      "post /v1/tasks/{id}/prompt/rollback",
      "post /v1/tasks/{id}/prompts",
      "post /v1/webhooks/endpoints",
      "post /v1/webhooks/subscriptions",
      "put /v1/budget",
      "put /v1/tasks/{id}/schedule",
    ]);
  });

  it("takes query parameters from the schemas that validate them", () => {
    const cases: Array<[string, z.ZodObject]> = [
      ["/v1/tasks", PageQuerySchema],
      ["/v1/tasks/{id}/examples", ExampleQuerySchema],
      ["/v1/tasks/{id}/prompts", PageQuerySchema],
      ["/v1/runs", ListRunsQuerySchema],
      ["/v1/runs/{id}/candidates", ListCandidatesQuerySchema],
      ["/v1/runs/{id}/events", EventsQuerySchema],
      ["/v1/agents", PageQuerySchema],
      ["/v1/projects", PageQuerySchema],
    ];
    for (const [path, schema] of cases) {
      const json = inputSchema(schema);
      const params = doc.paths[path].get.parameters.filter((p: any) => p.in === "query");
      expect(Object.fromEntries(params.map((p: any) => [p.name, p.schema])), path).toEqual(json.properties);
      expect(params.filter((p: any) => p.required).map((p: any) => p.name), path).toEqual(json.required ?? []);
    }
  });

  it("documents the error shape, with 400/413/415 on bodies, 404 on ids and 401/403 on every /v1 route", () => {
    const error = resolve(doc.components.schemas.Error);
    expect(error.properties.error.required).toEqual(["code", "message"]);
    expect(Object.keys(error.properties.error.properties)).toEqual(["code", "message", "issues"]);
    for (const { path, method, op } of operations()) {
      const statuses = Object.keys(op.responses);
      if (op.requestBody) expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["400", "413", "415"]));
      if (path.includes("{")) expect(statuses, `${method} ${path}`).toContain("404");
      if (path.startsWith("/v1/")) expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403"]));
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(resolve(op.responses[status]).content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
      }
    }
  });
});

/** Asserts the document lists this status for the route and that its schema fits the body exactly (nothing undocumented). */
function expectDocumented(method: string, path: string, res: { status: number; body: unknown }) {
  const response = doc.paths[path]?.[method.toLowerCase()]?.responses?.[res.status];
  expect(response, `${method} ${path} documents ${res.status}`).toBeDefined();
  const ref: string = resolve(response).content["application/json"].schema.$ref;
  const schema = (RESPONSE_SCHEMAS as Record<string, z.ZodType>)[ref.split("/").pop()!]!;
  expect(schema.parse(res.body), `${method} ${path} ${res.status}`).toEqual(res.body);
}

describe("the documented responses are the real ones", () => {
  it("for tasks, prompts, runs, candidates and agents", async () => {
    const call = async (method: string, path: string, url = path, body?: unknown) => {
      const res = await api(method, url, body);
      expectDocumented(method, path, res);
      return res.body;
    };
    for (const path of ["/", "/health"]) expectDocumented("GET", path, await api("GET", path));
    const task = await call("POST", "/v1/tasks", "/v1/tasks", simTaskBody("sim-logic", { model: { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" } }));
    await call("GET", "/v1/tasks", "/v1/tasks?limit=2");
    await call("GET", "/v1/tasks/{id}", `/v1/tasks/${task.id}`);
    await call("GET", "/v1/tasks/{id}/examples", `/v1/tasks/${task.id}/examples?split=val`);
    await call("GET", "/v1/tasks/{id}/prompt", `/v1/tasks/${task.id}/prompt`);
    await call("GET", "/v1/tasks/{id}/prompts", `/v1/tasks/${task.id}/prompts`);
    await call("POST", "/v1/runs", "/v1/runs?dryRun=true", { kind: "finetune", taskId: task.id });
    const run = await call("POST", "/v1/runs", "/v1/runs", { kind: "finetune", taskId: task.id });
    await call("GET", "/v1/runs", "/v1/runs");
    await call("GET", "/v1/runs/{id}", `/v1/runs/${run.runId}`);
    await call("GET", "/v1/runs/{id}/candidates", `/v1/runs/${run.runId}/candidates`);
    await call("GET", "/v1/runs/{id}/candidates/{candidateId}", `/v1/runs/${run.runId}/candidates/${run.runId}:c0`);
    await call("POST", "/v1/runs/{id}/cancel", `/v1/runs/${run.runId}/cancel`);
    await call("GET", "/v1/agents", "/v1/agents");
    await call("GET", "/v1/agents/{id}", "/v1/agents/agt_nope");
  });

  it("for the live stream: each message fits LiveMessage", async () => {
    const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" } });
    const { runId } = await startRun({ kind: "finetune", taskId });
    await api("POST", `/v1/runs/${runId}/cancel`);
    const res = await exports.default.fetch(`http://x/v1/runs/${runId}/events`, { headers: await withAuth() });
    expect(res.status).toBe(200);
    expect(Object.keys(doc.paths["/v1/runs/{id}/events"].get.responses[200].content)).toEqual([res.headers.get("content-type")!.split(";")[0]]);
    const messages = (await res.text()).split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)));
    expect(messages.map((m) => m.type)).toEqual(["snapshot", "run.finished"]);
    for (const m of messages) expect(LiveMessageSchema.parse(m)).toEqual(m);
  });

  it("for the admin API", async () => {
    const call = async (method: string, path: string, url: string, body?: unknown) => {
      const res = await adminRequest(method, url, body);
      const parsed = { status: res.status, body: await res.json() };
      expectDocumented(method, path, parsed);
      return parsed.body as any;
    };
    const project = await call("POST", "/v1/projects", "/v1/projects", { name: "openapi" });
    await call("GET", "/v1/projects", "/v1/projects");
    await call("GET", "/v1/projects/{id}", `/v1/projects/${project.id}`);
    const key = await call("POST", "/v1/projects/{id}/keys", `/v1/projects/${project.id}/keys`, { name: "k" });
    await call("GET", "/v1/projects/{id}/keys", `/v1/projects/${project.id}/keys`);
    await call("DELETE", "/v1/projects/{id}/keys/{keyId}", `/v1/projects/${project.id}/keys/${key.id}`);
  });

  it("for errors: 400, 401, 404, 413 and 415", async () => {
    expectDocumented("POST", "/v1/tasks", await api("POST", "/v1/tasks", { name: "" }));
    expectDocumented("GET", "/v1/runs", await api("GET", "/v1/runs?limit=0"));
    expectDocumented("GET", "/v1/tasks/{id}", await api("GET", "/v1/tasks/task_nope"));
    expectDocumented("POST", "/v1/tasks", await api("POST", "/v1/tasks", "x".repeat(MAX_BODY_BYTES + 1)));
    expectDocumented("POST", "/v1/runs", await api("POST", "/v1/runs", "{}", { "content-type": "text/plain" }));
    const anonymous = await exports.default.fetch("http://x/v1/tasks");
    expectDocumented("GET", "/v1/tasks", { status: anonymous.status, body: await anonymous.json() });
  });
});
