/**
 * Starting a run, shared by every way one starts: the API (`POST /v1/runs`), an inbound
 * webhook and a task's schedule. The request is checked against the project's tasks and
 * snapshots here, so each caller gets the same 4xx for the same mistake.
 */
import { releaseRunBudget, reserveRunBudget } from "../budgets/reserve-run-budget";
import { SEED_AGENT_PROMPT } from "../engine/prompt-templates";
import { type CreateRunInput, type EngineTask, type RunConfig, RunConfigSchema } from "../engine/types";
import { checkRunInput, estimateRun, type RunSummary } from "../engine";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { toFieldIssues } from "../http/validate";
import { newId } from "../ids";
import { checkModelBaseUrl } from "../security/model-base-url";
import type { StartRunRequest } from "../routes/runs";
import { getAgentSnapshot, getLatestAgentSnapshot } from "../storage/agent-repo";
import { insertRunStatement } from "../storage/run-repo";
import { loadEngineTask } from "../storage/task-repo";

export function runStub(env: AppEnv, runId: string) {
  return env.RUNS.get(env.RUNS.idFromName(runId));
}

/** Starts the run the request describes and returns its first summary (4xx AppErrors for a bad request). */
export async function startRun(env: AppEnv, projectId: string, body: StartRunRequest): Promise<RunSummary> {
  const { input, agentSnapshotId } = await buildRunInput(env, projectId, body);
  const now = Date.now();
  // Held against the project's budget before the run exists (409 when it does not fit);
  // caps the run left out are filled in with what the project has left.
  input.config.budget = await reserveRunBudget(env.DB, projectId, input, now);
  const runRow = insertRunStatement({
    id: input.runId,
    projectId,
    kind: input.kind,
    taskIds: input.tasks.map((t) => t.taskId),
    agentSnapshotId,
    config: input.config,
    now,
  });
  try {
    const { summary } = await runStub(env, input.runId).start(input, runRow);
    return summary;
  } catch (error) {
    await releaseIfNeverStarted(env, input.runId);
    throw error;
  }
}

/**
 * After a failed start, the run's reservation goes back only if its object holds no
 * state: a start that failed after the run was created (a dropped RPC reply) leaves a
 * running run, which must keep holding its share.
 */
async function releaseIfNeverStarted(env: AppEnv, runId: string): Promise<void> {
  try {
    if ((await runStub(env, runId).status()) === null) await releaseRunBudget(env.DB, runId);
  } catch (error) {
    // The reservation then lapses on its own (UNSTARTED_RESERVATION_MS in storage/budget-repo.ts).
    console.warn("could not release the budget of a run that failed to start", runId, String(error));
  }
}

/** What the run would cost, without starting it (`?dryRun=true`). */
export async function estimateRunRequest(env: AppEnv, projectId: string, body: StartRunRequest) {
  const { input } = await buildRunInput(env, projectId, body);
  return { dryRun: true as const, estimate: estimateRun(input), config: input.config };
}

export async function buildRunInput(env: AppEnv, projectId: string, body: StartRunRequest): Promise<{ input: CreateRunInput; agentSnapshotId: string | null }> {
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
  if (body.agentModel?.baseUrl !== undefined) checkModelBaseUrl(body.agentModel.baseUrl, "agentModel.baseUrl", env);
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
