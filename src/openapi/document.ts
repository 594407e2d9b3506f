/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of the API, built once per isolate from
 * the route tables (paths.ts, admin-paths.ts) and the response schemas.
 */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { PROJECT_HEADER } from "../auth/authenticate";
import { adminPaths } from "./admin-paths";
import { BUDGET_SCHEMAS, budgetPaths } from "./budget-paths";
import { componentSchemas, type JsonSchema } from "./json-schema";
import { LiveMessageSchema } from "./live-schemas";
import { ERROR_RESPONSES, errors, openApiPaths } from "./paths";
import { promptPaths } from "./prompt-paths";
import { PROMPT_SCHEMAS } from "./prompt-schemas";
import { RESPONSE_SCHEMAS } from "./response-schemas";
import { schedulePaths } from "./schedule-paths";
import { SCHEDULE_SCHEMAS } from "./schedule-schemas";
import { webhookSubscriptionPaths } from "./webhook-subscription-paths";
import { webhookEndpointPaths } from "./webhook-endpoint-paths";
import { WEBHOOK_ENDPOINT_SCHEMAS } from "./webhook-endpoint-schemas";
import { WEBHOOK_SUBSCRIPTION_SCHEMAS } from "./webhook-subscription-schemas";

type Operation = { security?: unknown; responses: Record<string, unknown> };
type Paths = Record<string, Record<string, Operation>>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  paths: Paths;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let built: OpenApiDocument | undefined;

/** The document; built on first use (a few milliseconds) rather than at startup. */
export function openApiDocument(): OpenApiDocument {
  built ??= {
    openapi: "3.1.0",
    info: {
      title: "SePO Edge",
      version: "1",
      description:
        "Self-Evolving Prompt Optimization as a service: create tasks (examples, a scorer, a model), start pre-training and fine-tuning runs, " +
        "watch them live, and serve each task's champion prompt. Every error is `{ error: { code, message, issues? } }`.",
    },
    tags: [
      { name: "tasks", description: "Tasks and their labelled examples." },
      { name: "prompts", description: "A task's prompt versions; the live one is what applications use." },
      { name: "runs", description: "Optimization runs: start, watch, cancel, inspect candidates." },
      { name: "agents", description: "Prompt-agent snapshots produced by pre-training runs." },
      { name: "schedules", description: "Cron schedules that re-optimize a task from its live prompt." },
      { name: "webhooks", description: "Outbound subscriptions and their delivery log; inbound endpoints that start runs and add examples." },
      { name: "budget", description: "The project's spending cap, reservations and alerts." },
      { name: "admin", description: "Projects and their API keys (admin key only)." },
      { name: "service", description: "The service itself (no key needed)." },
    ],
    paths: withProjectKeys({ ...openApiPaths(), ...adminPaths(), ...webhookSubscriptionPaths(), ...schedulePaths(), ...promptPaths(), ...budgetPaths(), ...webhookEndpointPaths() }),
    components: {
      schemas: componentSchemas({ ...RESPONSE_SCHEMAS, ...WEBHOOK_SUBSCRIPTION_SCHEMAS, ...SCHEDULE_SCHEMAS, ...PROMPT_SCHEMAS, ...BUDGET_SCHEMAS, ...WEBHOOK_ENDPOINT_SCHEMAS, LiveMessage: LiveMessageSchema }),
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(({ name, description }) => [name, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
      ),
      securitySchemes: {
        projectKey: {
          type: "http",
          scheme: "bearer",
          description: `A project's API key: every /v1 route outside /v1/projects acts on that project. The admin key works too, naming the project in '${PROJECT_HEADER}'.`,
        },
        adminKey: { type: "http", scheme: "bearer", description: "The admin key (the ADMIN_API_KEY secret)." },
      },
    },
  };
  return built;
}

/**
 * Every /v1 operation that does not say otherwise needs a project key, as the app's one
 * middleware in front of /v1 decides; so a route added later is documented as guarded too.
 */
function withProjectKeys(paths: Paths): Paths {
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/v1/")) continue;
    for (const operation of Object.values(item)) {
      if (operation.security !== undefined) continue;
      operation.security = [{ projectKey: [] }];
      operation.responses = { ...operation.responses, ...errors(401, 403) };
    }
  }
  return paths;
}

export const openApiRoutes = new Hono<HonoEnv>();

openApiRoutes.get("/openapi.json", (c) => c.json(openApiDocument()));
