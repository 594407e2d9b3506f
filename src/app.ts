/**
 * The Hono app: routes mounted under /v1, one error handler. Every error a user can
 * cause is an AppError rendered as JSON with a 4xx; anything else is logged and
 * answered 500 without internals.
 */
import { Hono } from "hono";
import type { AppEnv } from "./env";
import { dashboardRoutes } from "./dashboard/routes";
import { AppError } from "./errors";
import { agentRoutes } from "./routes/agents";
import { runRoutes } from "./routes/runs";
import { taskRoutes } from "./routes/tasks";

export type HonoEnv = { Bindings: AppEnv };

export function createApp() {
  const app = new Hono<HonoEnv>();

  app.get("/", (c) => c.json({ service: "sepo-edge", api: "/v1", health: "/health", dashboard: "/dashboard" }));
  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/v1/tasks", taskRoutes);
  app.route("/v1/runs", runRoutes);
  app.route("/v1/agents", agentRoutes);
  app.route("/dashboard", dashboardRoutes);

  app.notFound((c) => c.json(new AppError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`).toJSON(), 404));
  app.onError((error, c) => {
    if (error instanceof AppError) return c.json(error.toJSON(), error.status);
    console.error("unhandled error", error);
    return c.json(new AppError("internal", "Internal error; the request was not applied.").toJSON(), 500);
  });
  return app;
}
