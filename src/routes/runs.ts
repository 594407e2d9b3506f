/**
 * Runs: start a pre-training or a fine-tuning, watch it, cancel it. The run itself lives
 * in its Durable Object; D1 holds its history for lists and reads.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson, readQuery } from "../http/validate";
import { estimateRunRequest, runStub, startRun } from "../runs/start-run";
import { getCandidate, getRun, listCandidates, listRuns } from "../storage/run-repo";

const ModelChoiceSchema = z.object({ model: z.string().min(1).max(200), baseUrl: z.string().url().optional() }).strict();

const CommonRunFields = {
  config: z.record(z.string(), z.unknown()).default({}),
  /** The prompt agent's model; defaults to the service's DEFAULT_AGENT_MODEL. */
  agentModel: ModelChoiceSchema.optional(),
};

export const StartRunSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("pretrain"),
      taskIds: z.array(z.string().min(1)).min(1).max(20),
      /** The seed prompt agent p~(0); defaults to the built-in hand-written one. */
      seedAgentPrompt: z.string().min(1).max(20_000).optional(),
      ...CommonRunFields,
    })
    .strict(),
  z
    .object({
      kind: z.literal("finetune"),
      taskId: z.string().min(1),
      /** An agent snapshot id, "latest" for the newest, or absent/null for the hand-written agent. */
      agentSnapshotId: z.string().min(1).nullable().optional(),
      ...CommonRunFields,
    })
    .strict(),
]);
export type StartRunRequest = z.infer<typeof StartRunSchema>;

export const RunIdSchema = z.string().regex(/^run_[0-9a-f]{32}$/);

export const ListRunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
  taskId: z.string().optional(),
  status: z.enum(["running", "completed", "cancelled", "failed"]).optional(),
});

export const ListCandidatesQuerySchema = z.object({
  status: z.enum(["seed", "inner", "evaluating", "admitted", "rejected"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Resuming a live stream: the last `seq` seen (SSE clients may send `Last-Event-ID` instead). */
export const EventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
});

export const runRoutes = new Hono<HonoEnv>();

runRoutes.post("/", async (c) => {
  const body = await readJson(c, StartRunSchema);
  // Anything but an explicit true/false is refused: a mistyped flag must not start a billed run.
  const dryRunParam = c.req.query("dryRun");
  if (dryRunParam !== undefined && dryRunParam !== "true" && dryRunParam !== "false") {
    throw new AppError("invalid_request", `Invalid query parameters: dryRun: must be "true" or "false", got '${dryRunParam.slice(0, 20)}'`, [{ path: "dryRun", message: 'must be "true" or "false"' }]);
  }
  const projectId = projectIdOf(c);
  if (dryRunParam === "true") return c.json(await estimateRunRequest(c.env, projectId, body));
  const summary = await startRun(c.env, projectId, body);
  return c.json(summary, 202, { Location: `/v1/runs/${summary.runId}` });
});

runRoutes.get("/", async (c) => {
  const query = readQuery(c, ListRunsQuerySchema);
  return c.json(await listRuns(c.env.DB, projectIdOf(c), query));
});

runRoutes.get("/:id", async (c) => {
  const id = await existingRunId(c, c.req.param("id"));
  const summary = await runStub(c.env, id).status();
  if (!summary) throw new AppError("not_found", `Run ${id} has no state yet; try again shortly.`);
  return c.json(summary);
});

runRoutes.post("/:id/cancel", async (c) => {
  const id = await existingRunId(c, c.req.param("id"));
  const summary = await runStub(c.env, id).cancel("cancelled through the API");
  return c.json(summary);
});

runRoutes.get("/:id/candidates", async (c) => {
  const id = await existingRunId(c, c.req.param("id"));
  const query = readQuery(c, ListCandidatesQuerySchema);
  return c.json({ items: await listCandidates(c.env.DB, projectIdOf(c), id, query) });
});

runRoutes.get("/:id/candidates/:candidateId", async (c) => {
  const id = await existingRunId(c, c.req.param("id"));
  const candidate = await getCandidate(c.env.DB, projectIdOf(c), id, c.req.param("candidateId"));
  if (!candidate) throw new AppError("not_found", `Run ${id} has no candidate ${c.req.param("candidateId")}.`);
  return c.json(candidate);
});

/**
 * Live progress of a run (Server-Sent Events, or a WebSocket with `Upgrade: websocket`):
 * served by the run's Durable Object, which holds the subscribers; see durable-objects/live-hub.ts.
 */
runRoutes.get("/:id/events", async (c) => {
  const id = await existingRunId(c, c.req.param("id"));
  // Checked here so a bad `after` is a 400 like any query; the object reads it from the forwarded URL.
  readQuery(c, EventsQuerySchema);
  return runStub(c.env, id).fetch(c.req.raw);
});

/**
 * 404 for ids that are malformed or unknown, before any Durable Object is touched. A run
 * of another project is unknown: the same 404, so a key learns nothing about other projects.
 */
async function existingRunId(c: Context<HonoEnv>, id: string): Promise<string> {
  if (!RunIdSchema.safeParse(id).success || !(await getRun(c.env.DB, projectIdOf(c), id))) {
    throw new AppError("not_found", `No run with id '${id}'.`);
  }
  return id;
}

