/**
 * `/v1/webhooks/endpoints`: the project's inbound webhook endpoints. Creating one (or
 * rotating its secret) is the only response that holds the secret; lists show its
 * prefix. Deliveries go to the endpoint's `url` (POST /hooks/:id, see inbound-hooks.ts).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { readJson, readQuery } from "../http/validate";
import { estimateRunRequest } from "../runs/start-run";
import { listDeliveries } from "../storage/inbound-delivery-repo";
import { type InboundEndpointView, getEndpoint, insertEndpoint, listEndpoints, revokeEndpoint, rotateEndpointSecret } from "../storage/inbound-webhook-repo";
import { type GitHubAction, GitHubActionSchema } from "../webhooks/inbound/github-action";
import { generateWebhookSecret } from "../webhooks/inbound/secret";
import { PageQuerySchema } from "./pagination";

export const CreateEndpointSchema = z
  .strictObject({
    name: z.string({ error: 'is required: a label for people, e.g. "ci"' }).trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    scheme: z.enum(["standard", "github"], { error: 'must be "standard" (Standard Webhooks signatures) or "github" (X-Hub-Signature-256)' }),
    /** GitHub endpoints only: what a delivery does. */
    action: GitHubActionSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.scheme === "github" && !body.action) {
      ctx.addIssue({ code: "custom", path: ["action"], message: 'is required for "github" endpoints, e.g. { "type": "run.start", "events": ["push"], "data": { "kind": "finetune", "taskId": "..." } }' });
    }
    if (body.scheme === "standard" && body.action) {
      ctx.addIssue({ code: "custom", path: ["action"], message: 'is for "github" endpoints only: a Standard Webhooks delivery names its action in its body' });
    }
  });

/** An endpoint as the API shows it: the view and where to deliver. */
export type InboundEndpointWithUrl = InboundEndpointView & { url: string };

export const webhookEndpointRoutes = new Hono<HonoEnv>();

webhookEndpointRoutes.post("/", async (c) => {
  const body = await readJson(c, CreateEndpointSchema);
  const projectId = projectIdOf(c);
  if (body.action) await checkActionRun(c.env, projectId, body.action);
  const secret = generateWebhookSecret();
  const view = await insertEndpoint(c.env.DB, { projectId, name: body.name, scheme: body.scheme, secret, action: body.action ?? null });
  // With `secret`, the only response that ever holds it: keep it out of every cache.
  return c.json({ ...withUrl(c, view), secret }, 201, { Location: `/v1/webhooks/endpoints/${view.id}`, "Cache-Control": "no-store" });
});

webhookEndpointRoutes.get("/", async (c) => {
  const page = await listEndpoints(c.env.DB, projectIdOf(c), readQuery(c, PageQuerySchema));
  return c.json({ items: page.items.map((view) => withUrl(c, view)), nextCursor: page.nextCursor });
});

webhookEndpointRoutes.get("/:id", async (c) => c.json(withUrl(c, await existingEndpoint(c, c.req.param("id")))));

webhookEndpointRoutes.delete("/:id", async (c) => {
  const view = await revokeEndpoint(c.env.DB, projectIdOf(c), c.req.param("id"));
  if (!view) throw endpointNotFound(c.req.param("id"));
  return c.json(withUrl(c, view));
});

webhookEndpointRoutes.post("/:id/rotate", async (c) => {
  const id = c.req.param("id");
  const secret = generateWebhookSecret();
  const rotated = await rotateEndpointSecret(c.env.DB, projectIdOf(c), id, secret);
  if (rotated === "missing") throw endpointNotFound(id);
  if (rotated === "revoked") throw new AppError("conflict", `Endpoint '${id}' is revoked; create a new endpoint instead.`);
  return c.json({ ...withUrl(c, rotated), secret }, 200, { "Cache-Control": "no-store" });
});

webhookEndpointRoutes.get("/:id/deliveries", async (c) => {
  const endpoint = await existingEndpoint(c, c.req.param("id"));
  const query = readQuery(c, PageQuerySchema);
  return c.json(await listDeliveries(c.env.DB, projectIdOf(c), endpoint.id, query));
});

/**
 * A GitHub endpoint's run is checked now, against the project's tasks, as POST
 * /v1/runs?dryRun=true would check it: a mistake shows when the endpoint is made, not
 * at the first push. Issue paths are given from the body's root (`action.data.taskId`).
 */
async function checkActionRun(env: AppEnv, projectId: string, action: GitHubAction): Promise<void> {
  try {
    await estimateRunRequest(env, projectId, action.data);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_request") throw error;
    const issues = error.issues.map((issue) => ({ path: `action.data.${issue.path}`, message: issue.message }));
    const first = issues[0];
    throw new AppError("invalid_request", first ? `Invalid request body: ${first.path}: ${first.message}` : `Invalid request body: action.data: ${error.message}`, issues);
  }
}

async function existingEndpoint(c: Context<HonoEnv>, id: string): Promise<InboundEndpointView> {
  const view = await getEndpoint(c.env.DB, projectIdOf(c), id);
  if (!view) throw endpointNotFound(id);
  return view;
}

function endpointNotFound(id: string): AppError {
  return new AppError("not_found", `No webhook endpoint with id '${id}'. List endpoints with GET /v1/webhooks/endpoints.`);
}

function withUrl(c: Context<HonoEnv>, view: InboundEndpointView): InboundEndpointWithUrl {
  return { ...view, url: `${new URL(c.req.url).origin}/hooks/${view.id}` };
}
