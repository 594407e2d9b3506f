/**
 * What the benchmark asks of the service beyond starting runs: which optional run-config
 * fields it accepts (probed with dry runs, since `method` and `budget.maxTaskCalls` are
 * newer than the rest of RunConfigSchema), and the default equal budget per target.
 */
import { ApiError, type SepoClient } from "../../../src/client/api-client";
import { SEPO_STAGE } from "./methods";

export interface Capabilities {
  maxTaskCalls: boolean;
  textgrad: boolean;
  metaspo: boolean;
  /** Why a capability is missing, for the report (the service's 400 message). */
  notes: string[];
}

/** True when the service accepts this run request as a dry run; a 400 means it does not. */
async function accepts(client: SepoClient, body: unknown, notes: string[], label: string): Promise<boolean> {
  try {
    await client.request("POST", "/v1/runs?dryRun=true", body);
    return true;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    notes.push(`${label}: ${error.message}`);
    return false;
  }
}

/** Dry runs only: nothing is started and nothing is spent. One existing task is enough. */
export async function probeCapabilities(client: SepoClient, apiTaskId: string): Promise<Capabilities> {
  const notes: string[] = [];
  const finetune = (config: Record<string, unknown>) => ({ kind: "finetune", taskId: apiTaskId, agentSnapshotId: null, config });
  const maxTaskCalls = await accepts(client, finetune({ budget: { maxTaskCalls: 1000 } }), notes, "budget.maxTaskCalls");
  const textgrad = await accepts(client, finetune({ method: "textgrad", generations: 1, childrenPerGeneration: 1 }), notes, "method textgrad");
  const metaspo =
    (await accepts(client, { kind: "pretrain", taskIds: [apiTaskId], config: { method: "metaspo" } }, notes, "method metaspo (pretrain)")) &&
    (await accepts(client, finetune({ method: "metaspo" }), notes, "method metaspo (finetune)"));
  return { maxTaskCalls, textgrad, metaspo, notes };
}

interface DryRun {
  estimate: { calls: number };
}

/**
 * The default equal budget for a target: the task-model calls SePO's fine-tuning with
 * G=5, K=2 makes at most (the service's own dry-run estimate, every child admitted, minus
 * its G*K prompt-agent calls). Every method's fine-tuning of that target gets this cap.
 */
export async function defaultTaskBudget(client: SepoClient, apiTaskId: string): Promise<number> {
  const dry = await client.request<DryRun>("POST", "/v1/runs?dryRun=true", {
    kind: "finetune",
    taskId: apiTaskId,
    agentSnapshotId: null,
    config: { ...SEPO_STAGE },
  });
  return dry.estimate.calls - SEPO_STAGE.generations * SEPO_STAGE.childrenPerGeneration;
}

/** How long a finished pre-training's snapshot may take to appear in D1 (it is written after the run's status). */
const SNAPSHOT_WAIT_MS = 60_000;

/** The agent snapshot a pre-training run produced, waiting for the history write to land. */
export async function snapshotOfRun(client: SepoClient, runId: string): Promise<string> {
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  for (;;) {
    const id = await findSnapshot(client, runId);
    if (id) return id;
    if (Date.now() > deadline) throw new Error(`pre-training run ${runId} completed but no agent snapshot names it after ${SNAPSHOT_WAIT_MS / 1000}s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Newest first, so a just-finished run's snapshot is on the first page. */
async function findSnapshot(client: SepoClient, runId: string): Promise<string | null> {
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res: { items: Array<{ id: string; runId: string }>; nextCursor: string | null } = await client.request("GET", `/v1/agents?limit=100${query}`);
    const hit = res.items.find((s) => s.runId === runId);
    if (hit) return hit.id;
    if (!res.nextCursor) return null;
    cursor = res.nextCursor;
  }
  return null;
}

export async function snapshotExists(client: SepoClient, snapshotId: string): Promise<boolean> {
  try {
    await client.request("GET", `/v1/agents/${encodeURIComponent(snapshotId)}`);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}
