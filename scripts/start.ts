/**
 * `npm start`: the local service plus a demo optimization, offline on the simulated model.
 * Pre-trains a prompt agent on four simulated tasks, fine-tunes the fifth (held out) with
 * it, and reports the held-out task's seed and champion scores on its test split.
 *
 * With OPENAI_BASE_URL (and OPENAI_API_KEY, SEPO_TASK_MODEL, SEPO_AGENT_MODEL) set, the
 * same service talks to that provider instead; the demo tasks stay simulated data.
 *
 * The API needs a key: the stack makes one (project "local") and this prints it, for the
 * person to try the API with curl, the dashboard or the CLI. It is a local development
 * key; ADMIN_API_KEY, if set, is the admin key the service runs with.
 */
import { SepoClient } from "../src/client/api-client";
import type { RunSummary } from "../src/engine";
import { HELD_OUT_TASK_ID, PRETRAIN_TASK_IDS } from "../src/simlm/task-pool";
import { startDevStack } from "./lib/dev-stack";
import { createSimTasks } from "./lib/sim-tasks";
import { watchRun } from "./lib/watch-run";

const say = (line = "") => console.log(line);
const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  const realBaseUrl = process.env.OPENAI_BASE_URL;
  say("SePO Edge: self-evolving prompt optimization, running locally on wrangler dev.");
  say(
    realBaseUrl
      ? `Model endpoint: ${realBaseUrl} (a real provider; calls cost money).`
      : "Model: SimLM, a SIMULATED model (no real LLM is called). Scores show the optimizer's behaviour, not real-model quality.",
  );
  say("Starting the service (D1 migrations, SimLM, wrangler dev)...");
  const stack = await startDevStack({
    llmBaseUrl: realBaseUrl,
    llmApiKey: process.env.OPENAI_API_KEY,
    taskModel: process.env.SEPO_TASK_MODEL,
    agentModel: process.env.SEPO_AGENT_MODEL,
    simlm: { seed: 1, latencyMs: 5 },
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(143)));

  try {
    const client = new SepoClient({ baseUrl: stack.apiUrl, apiKey: stack.apiKey });
    say(`API: ${stack.apiUrl}/v1   model endpoint: ${stack.llmUrl}${stack.simulated ? " (simulated)" : ""}`);
    sayApiKey(stack.apiUrl, stack.apiKey);
    const tasks = await createSimTasks(client, { examplesPerTask: 100, dataSeed: 1 });
    for (const t of tasks) say(`  task ${t.taskId}  ${t.name}${t.simId === HELD_OUT_TASK_ID ? "  (held out of pre-training)" : ""}`);
    const pool = tasks.filter((t) => PRETRAIN_TASK_IDS.includes(t.simId)).map((t) => t.taskId);
    const heldOut = tasks.find((t) => t.simId === HELD_OUT_TASK_ID)!;
    // Same data and seeds every time, so every `npm start` shows the same, reproducible run.
    const config = { generations: 5, childrenPerGeneration: 3, seed: 1, evalChunkSize: 6 };

    say("\nStage 1, pre-training: the prompt agent evolves its own system prompt on four tasks.");
    const pre = await client.startRun<RunSummary>({ kind: "pretrain", taskIds: pool, config });
    const preDone = await watchRun(client, pre.runId, { print: (l) => say(`  ${l}`) });
    if (preDone.status !== "completed") throw new Error(`pre-training ended ${preDone.status}: ${preDone.stopReason}`);

    say(`\nStage 2, fine-tuning: the pre-trained agent optimizes the held-out task "${heldOut.name}".`);
    const fine = await client.startRun<RunSummary>({ kind: "finetune", taskId: heldOut.taskId, agentSnapshotId: "latest", config });
    const fineDone = await watchRun(client, fine.runId, { print: (l) => say(`  ${l}`) });
    if (fineDone.status !== "completed") throw new Error(`fine-tuning ended ${fineDone.status}: ${fineDone.stopReason}`);

    report(preDone, fineDone, heldOut.taskId, stack.apiUrl, stack.simulated);
    sayApiKey(stack.apiUrl, stack.apiKey);
    if (process.stdin.isTTY && !process.env.CI) {
      say("\nThe service keeps running for you to explore; press Ctrl-C to stop it.");
      await new Promise(() => {});
    }
  } finally {
    await stop();
  }
}

/** Where the key is and how to use it; printed at the start and again under the report. */
function sayApiKey(apiUrl: string, apiKey: string): void {
  say(`API key (local development key, project "local"): ${apiKey}`);
  say(`  curl -H "Authorization: Bearer ${apiKey}" ${apiUrl}/v1/tasks`);
  say(`  dashboard: ${apiUrl}/dashboard (paste the key under "API key")   CLI: sepo config set key ${apiKey}`);
}

function report(pre: RunSummary, fine: RunSummary, taskId: string, apiUrl: string, simulated: boolean): void {
  const task = fine.report?.tasks.find((t) => t.taskId === taskId);
  const calls = pre.budget.spent.calls + fine.budget.spent.calls;
  const tokens = [pre, fine].reduce((sum, r) => sum + r.budget.spent.promptTokens + r.budget.spent.completionTokens, 0);
  say("\n=== Report ===");
  if (simulated) say("(simulated model: SimLM)");
  say(`Held-out task test score: seed ${pct(task?.seed.test)} -> champion ${pct(task?.champion.test)}`);
  say(`Validation score:         seed ${pct(task?.seed.val)} -> champion ${pct(task?.champion.val)}`);
  if (pre.report?.agentFitness) {
    const f = pre.report.agentFitness;
    say(`Prompt agent fitness (mean validation gain): seed ${f.seed.toFixed(3)} -> evolved ${f.champion.toFixed(3)}`);
  }
  const promotion = fine.report?.promotion;
  if (promotion) say(`Promotion: ${promotion.promote ? "the champion is now the live prompt" : "the live prompt stays"}: ${promotion.reason}`);
  say(`LLM calls: ${calls} (pre-training ${pre.budget.spent.calls}, fine-tuning ${fine.budget.spent.calls}); tokens: ${tokens}`);
  say(`Live prompt: GET ${apiUrl}/v1/tasks/${taskId}/prompt`);
  say(`Runs:        GET ${apiUrl}/v1/runs/${pre.runId}  and  ${apiUrl}/v1/runs/${fine.runId}`);
}

main().catch((error) => {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
