/**
 * Runs: start a pre-training or a fine-tuning, watch it, cancel it. The run itself lives
 * in its Durable Object; D1 holds its history for lists and reads.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { SEED_AGENT_PROMPT } from "../engine/prompt-templates";
import { type CreateRunInput, type EngineTask, type RunConfig, RunConfigSchema } from "../engine/types";
import { checkRunInput, estimateRun } from "../engine";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { readJson, readQuery, toFieldIssues } from "../http/validate";
import { newId } from "../ids";
import { getAgentSnapshot, getLatestAgentSnapshot } from "../storage/agent-repo";
import { getCandidate, getRun, insertRunStatement, listCandidates, listRuns } from "../storage/run-repo";
import { loadEngineTask } from "../storage/task-repo";

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
  const dryRun = dryRunParam === "true";
  const projectId = projectIdOf(c);
  const { input, agentSnapshotId } = await buildRunInput(c.env, projectId, body);
  if (dryRun) return c.json({ dryRun: true, estimate: estimateRun(input), config: input.config });
  const stub = runStub(c.env, input.runId);
  const runRow = insertRunStatement({
    id: input.runId,
    projectId,
    kind: input.kind,
    taskIds: input.tasks.map((t) => t.taskId),
    agentSnapshotId,
    config: input.config,
    now: Date.now(),
  });
  const { summary } = await stub.start(input, runRow);
  return c.json(summary, 202, { Location: `/v1/runs/${input.runId}` });
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

function runStub(env: AppEnv, runId: string) {
  return env.RUNS.get(env.RUNS.idFromName(runId));
}

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

async function buildRunInput(env: AppEnv, projectId: string, body: StartRunRequest): Promise<{ input: CreateRunInput; agentSnapshotId: string | null }> {
  const config = parseConfig(body.config);
  const taskIds = body.kind === "pretrain" ? body.taskIds : [body.taskId];
  const field = body.kind === "pretrain" ? "taskIds" : "taskId";
  if (new Set(taskIds).size !== taskIds.length) throw invalid(field, "lists a task more than once");
  const tasks: EngineTask[] = [];
  for (const [i, taskId] of taskIds.entries()) {
    const task = await loadEngineTask(env.DB, projectId, taskId);
    if (!task) throw invalid(body.kind === "pretrain" ? `taskIds.${i}` : "taskId", `no task with id '${taskId}'`);
    if (task.splits.train.length === 0 || task.splits.val.length === 0) {
      throw invalid(field, `task '${taskId}' needs examples in both its train and val splits`);
    }
    tasks.push(task);
  }
  let agentPrompt = SEED_AGENT_PROMPT;
  let sharedPrompt: string | undefined;
  let agentSnapshotId: string | null = null;
  if (body.kind === "pretrain") {
    agentPrompt = body.seedAgentPrompt ?? SEED_AGENT_PROMPT;
  } else if (body.agentSnapshotId) {
    // MetaSPO fine-tunes from a shared system prompt; every other method from a prompt agent.
    const kind = config.method === "metaspo" ? "shared-system-prompt" : "prompt-agent";
    const snapshot = body.agentSnapshotId === "latest" ? await getLatestAgentSnapshot(env.DB, projectId, kind) : await getAgentSnapshot(env.DB, projectId, body.agentSnapshotId);
    if (!snapshot) throw invalid("agentSnapshotId", body.agentSnapshotId === "latest" ? `there is no ${kind} snapshot yet; run a pre-training first` : `no agent snapshot with id '${body.agentSnapshotId}'`);
    if (snapshot.kind !== kind) throw invalid("agentSnapshotId", `snapshot '${snapshot.id}' is a ${snapshot.kind}; method "${config.method}" needs a ${kind}`);
    if (kind === "shared-system-prompt") sharedPrompt = snapshot.text;
    else agentPrompt = snapshot.text;
    agentSnapshotId = snapshot.id;
  }
  const agentModel = { role: "agent" as const, model: body.agentModel?.model ?? env.DEFAULT_AGENT_MODEL, ...(body.agentModel?.baseUrl ? { baseUrl: body.agentModel.baseUrl } : {}) };
  const input: CreateRunInput = { runId: newId("run"), kind: body.kind, config, tasks, agentPrompt, agentModel, ...(sharedPrompt ? { sharedPrompt } : {}) };
  const problems = checkRunInput(input);
  if (problems.length > 0) throw invalid("config.method", problems.join("; "));
  return { input, agentSnapshotId };
}

/** The run config, with each issue's path from the body's root (`config.budget.maxCalls`), like every other field. */
function parseConfig(value: unknown): RunConfig {
  const result = RunConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error).map((issue) => ({ ...issue, path: issue.path === "(body)" ? "config" : `config.${issue.path}` }));
  const first = issues[0] ?? { path: "config", message: "malformed" };
  throw new AppError("invalid_request", `Invalid request body: ${first.path}: ${first.message}`, issues);
}

function invalid(path: string, message: string): AppError {
  return new AppError("invalid_request", `Invalid request body: ${path}: ${message}`, [{ path, message }]);
}
