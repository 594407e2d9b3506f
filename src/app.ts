/**
 * The Hono app: routes mounted under /v1, one error handler. Every error a user can
 * cause is an AppError rendered as JSON with a 4xx; anything else is logged and
 * answered 500 without internals. Every /v1 route needs an API key (see
 * auth/authenticate.ts): the project routes a project key, `/v1/projects` the admin key.
 */
import { Hono } from "hono";
import { except } from "hono/combine";
import { type AuthVariables, requireProjectKey } from "./auth/authenticate";
import type { AppEnv } from "./env";
import { dashboardRoutes } from "./dashboard/routes";
import { AppError } from "./errors";
import { openApiRoutes } from "./openapi/document";
import { agentRoutes } from "./routes/agents";
import { budgetRoutes } from "./routes/budget";
import { projectRoutes } from "./routes/projects";
import { runRoutes } from "./routes/runs";
import { scheduleRoutes } from "./routes/schedules";
import { taskRoutes } from "./routes/tasks";
import { outboundWebhookRoutes } from "./routes/webhook-subscriptions";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints";
import { inboundHookRoutes } from "./routes/inbound-hooks";

export type HonoEnv = { Bindings: AppEnv; Variables: AuthVariables };

/** The admin API: guarded by the admin key (routes/projects.ts), not by a project key. */
export const ADMIN_PATHS = ["/v1/projects", "/v1/projects/*"];

export function createApp() {
  const app = new Hono<HonoEnv>();

  app.get("/", (c) => c.json({ service: "sepo-edge", api: "/v1", health: "/health", dashboard: "/dashboard" }));
  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/", openApiRoutes); // GET /openapi.json, public like /health
  // Before every /v1 mount, so a route added later cannot be left open.
  app.use("/v1/*", except(ADMIN_PATHS, requireProjectKey));
  app.route("/v1/projects", projectRoutes);
  app.route("/v1/tasks", taskRoutes);
  app.route("/v1/runs", runRoutes);
  app.route("/v1/agents", agentRoutes);
  app.route("/v1/budget", budgetRoutes);
  app.route("/v1/schedules", scheduleRoutes); // each task's own: /v1/tasks/:id/schedule
  app.route("/v1/webhooks", outboundWebhookRoutes); // outbound: the index, /subscriptions, /deliveries
  app.route("/v1/webhooks/endpoints", webhookEndpointRoutes); // inbound: endpoints and their delivery logs
  app.route("/dashboard", dashboardRoutes);
  app.route("/hooks", inboundHookRoutes); // inbound deliveries: public, the signature is the credential

  app.notFound((c) => c.json(new AppError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`).toJSON(), 404));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      // RFC 9110: a 401 names the scheme that would be accepted.
      const headers: Record<string, string> = error.code === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="sepo-edge"' } : {};
      return c.json(error.toJSON(), error.status, headers);
    }
    console.error("unhandled error", error);
    return c.json(new AppError("internal", "Internal error; the request was not applied.").toJSON(), 500);
  });
  return app;
}
