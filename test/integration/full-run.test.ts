/**
 * Small SePO runs end to end: the API starts them, the RunObject sends jobs through the
 * real queue, the consumer calls SimLM through the `openai` client, results flow back to
 * the RunObject and into D1. Each test gives its tasks a SimLM host of their own, so the
 * model-side counters are exact.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createSimTask, simLmStats, startRun, uniqueSimHost, waitForRun } from "./support/api";
import { expectHistoryMatchesRun, expectLivePromptFollows } from "./support/agreement";
import { storedState } from "./support/run-object";

/** Simulated tasks (30 examples: train 12, val 9, test 9, unless `examples` says) whose model is SimLM at `host`. */
async function simTasks(host: string, simIds: string[], examples?: number): Promise<string[]> {
  const model = { model: "simlm-task", baseUrl: `http://${host}/v1` };
  const ids: string[] = [];
  for (const simId of simIds) ids.push(await createSimTask(simId, { model, examples }));
  return ids;
}

describe("a full run", () => {
  it("pre-trains a prompt agent, then fine-tunes a new task with it", async () => {
    const host = uniqueSimHost("full");
    const [arithmetic, logic, classify] = await simTasks(host, ["sim-arithmetic", "sim-logic", "sim-classify"]);
    const agentModel = { model: "simlm-agent", baseUrl: `http://${host}/v1` };

    const pre = await startRun({ kind: "pretrain", taskIds: [arithmetic, logic], agentModel, config: { generations: 2, childrenPerGeneration: 2 } });
    const pretrained = await waitForRun(pre.runId, 90_000);
    expect(pretrained).toMatchObject({ status: "completed", stopReason: "completed", generation: 2 });
    expect(pretrained.report).toMatchObject({ kind: "pretrain", generations: 2, candidates: pretrained.counts.candidates });
    expect(pretrained.report.agentFitness.champion).toBeGreaterThanOrEqual(pretrained.report.agentFitness.seed);
    expect(pretrained.counts.innerCandidates).toBeGreaterThan(2);
    await expectHistoryMatchesRun(pretrained);

    const snapshot = await env.DB.prepare("SELECT id, candidate_id, text, fitness, lineage FROM agent_snapshots WHERE run_id = ?").bind(pre.runId).all<any>();
    expect(snapshot.results).toHaveLength(1);
    const agent = snapshot.results[0];
    expect(agent).toMatchObject({ id: `agt_${pre.runId.slice(4)}`, candidate_id: pretrained.report.championId, text: pretrained.report.championText });
    expect(agent.fitness).toBe(pretrained.report.agentFitness.champion);
    expect(JSON.parse(agent.lineage).at(-1)).toBe(pretrained.report.championId);

    const ft = await startRun({ kind: "finetune", taskId: classify, agentSnapshotId: "latest", agentModel, config: { generations: 2, childrenPerGeneration: 2 } });
    expect((await env.DB.prepare("SELECT agent_snapshot_id FROM runs WHERE id = ?").bind(ft.runId).first("agent_snapshot_id"))).toBe(agent.id);
    const finetuned = await waitForRun(ft.runId, 90_000);
    expect(finetuned).toMatchObject({ status: "completed", stopReason: "completed" });
    await expectHistoryMatchesRun(finetuned);

    // The fine-tuning ran with the snapshot as its prompt agent.
    expect((await storedState(ft.runId))?.agentPrompt).toBe(agent.text);

    const [task] = finetuned.report.tasks;
    expect(task.taskId).toBe(classify);
    expect(Object.keys(task.seed).sort()).toEqual(["test", "train", "val"]);
    expect(task.champion.test).toBeGreaterThanOrEqual(task.seed.test);
    await expectLivePromptFollows(finetuned);

    // Every model call the service made is in a run's ledger, and nothing else reached the model.
    const spent = pretrained.budget.spent.calls + finetuned.budget.spent.calls;
    expect(await simLmStats(host)).toMatchObject({ calls: spent, completed: spent });
  }, 180_000);

  it("promotes a fine-tuning champion that beat the seed to the task's live prompt", async () => {
    const host = uniqueSimHost("promote");
    // 100 examples: 30 on validation, enough for the promotion gate's paired test to decide.
    const [logic] = await simTasks(host, ["sim-logic"], 100);
    const agentModel = { model: "simlm-agent", baseUrl: `http://${host}/v1` };
    const run = await startRun({ kind: "finetune", taskId: logic, agentModel, config: { generations: 4, childrenPerGeneration: 2, seed: 1 } });
    const done = await waitForRun(run.runId, 90_000);
    await expectHistoryMatchesRun(done);
    // The hand-written agent finds a better prompt for this task (SimLM is deterministic).
    const [task] = done.report.tasks;
    expect(done.report.championId).not.toBe(`${run.runId}:c0`);
    expect(task.champion.test).toBeGreaterThanOrEqual(task.seed.test);
    expect(await expectLivePromptFollows(done)).toBe(true);
  }, 120_000);

  it("stops a budget-capped run at its cap and says why", async () => {
    const host = uniqueSimHost("capped");
    const [logic] = await simTasks(host, ["sim-logic"]);
    const maxCalls = 45;
    const run = await startRun({
      kind: "finetune",
      taskId: logic,
      agentModel: { model: "simlm-agent", baseUrl: `http://${host}/v1` },
      config: { generations: 5, childrenPerGeneration: 2, budget: { maxCalls } },
    });
    const done = await waitForRun(run.runId, 90_000);
    expect(done.status).toBe("completed");
    expect(done.stopReason).toMatch(/budget/);
    expect(done.budget.spent.calls).toBeLessThanOrEqual(maxCalls);
    expect(done.budget.spent.calls).toBeGreaterThan(maxCalls / 2);
    expect(done.budget.reserved.calls).toBe(0);
    expect(done.report.spent.calls).toBe(done.budget.spent.calls);
    expect(done.generation).toBeLessThan(5);
    await expectHistoryMatchesRun(done);
    // The model itself saw no more calls than the cap.
    expect((await simLmStats(host)).calls).toBe(done.budget.spent.calls);
    const row = await env.DB.prepare("SELECT status, reason FROM runs WHERE id = ?").bind(run.runId).first();
    expect(row).toEqual({ status: "completed", reason: done.stopReason });
  }, 120_000);

  it("survives a model that fails a tenth of its calls (retried through the queue)", async () => {
    // Small evaluate jobs: one failed call retries its whole job, and six failures dead-letter it.
    const host = uniqueSimHost("flaky");
    // 100 examples: 30 on validation, enough for the promotion gate's paired test to decide.
    const [logic] = await simTasks(host, ["sim-logic"], 100);
    const agentModel = { model: "simlm-agent", baseUrl: `http://${host}/v1` };
    const run = await startRun({ kind: "finetune", taskId: logic, agentModel, config: { generations: 1, evalChunkSize: 1 } });
    const done = await waitForRun(run.runId, 90_000);
    expect(done).toMatchObject({ status: "completed", stopReason: "completed" });
    await expectHistoryMatchesRun(done);
    const stats = await simLmStats(host);
    // Failed attempts were retried and not charged: with one example per job, the run paid
    // for exactly the calls that answered.
    expect(stats.calls).toBeGreaterThan(stats.completed);
    expect(done.budget.spent.calls).toBe(stats.completed);
  }, 120_000);
});
