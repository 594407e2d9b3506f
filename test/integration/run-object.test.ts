/**
 * The run's Durable Object with the real D1 and DO storage, but no real queue: its jobs
 * are captured and answered with outcomes the test builds (support/outcomes.ts).
 */
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Job } from "../../src/engine";
import { createSimTask } from "./support/api";
import { jobRows, runHistory } from "./support/history";
import { EXAMPLE_USAGE, succeed } from "./support/outcomes";
import { CapturedQueue, driveRun, inRun, makeRunInput, runStub, storedState } from "./support/run-object";

let taskId: string;
beforeAll(async () => {
  // 30 examples: train 12 (two evaluate jobs of 8 and 4), val 9, test 9.
  taskId = await createSimTask("sim-logic");
});

/** Starts a fine-tuning run inside its DO with a captured queue; returns the seed's first jobs. */
async function startRun(config = { generations: 2, childrenPerGeneration: 2 }) {
  const { input, runRow } = await makeRunInput([taskId], config);
  const queue = new CapturedQueue();
  const started = await inRun(input.runId, { JOBS: queue }, (run) => run.start(input, runRow));
  return { input, runRow, runId: input.runId, queue, started, jobs: queue.take() };
}

const evaluateJob = (job: Job | undefined) => {
  if (job?.type !== "evaluate") throw new Error(`expected an evaluate job, got ${job?.type}`);
  return job;
};

describe("RunObject.start", () => {
  it("is idempotent: the same input twice makes one run and sends its jobs once", async () => {
    const { input, runRow, runId, queue, started, jobs } = await startRun();
    expect(started.created).toBe(true);
    expect(jobs.map((j) => j.type)).toEqual(["evaluate", "evaluate"]);

    const again = await inRun(runId, { JOBS: queue }, (run) => run.start(input, runRow));
    expect(again).toEqual({ created: false, summary: started.summary });
    expect(queue.take()).toEqual([]);
    const runs = await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE id = ?").bind(runId).first("n");
    expect(runs).toBe(1);
    expect((await runHistory(runId)).candidates.map((c) => c.status)).toEqual(["seed"]);
  });
});

describe("RunObject.report", () => {
  it("applies an outcome once: redeliveries are ignored, in the same batch or later", async () => {
    const { runId, queue, jobs } = await startRun();
    const first = evaluateJob(jobs[0]);
    const outcome = succeed(first);

    const applied = await inRun(runId, { JOBS: queue }, (run) => run.report([outcome, outcome]));
    expect(applied).toEqual({ applied: 1, ignored: 1 });
    const redelivered = await inRun(runId, { JOBS: queue }, (run) => run.report([outcome]));
    expect(redelivered).toEqual({ applied: 0, ignored: 1 });

    const summary = await runStub(runId).status();
    const n = first.exampleIds.length;
    expect(summary?.budget.spent).toMatchObject({ calls: n * EXAMPLE_USAGE.calls, promptTokens: n * EXAMPLE_USAGE.promptTokens });
    expect(summary?.counts.jobsPending).toBe(jobs.length - 1);
    const rows = await jobRows(runId, first.jobId, first.candidateId);
    expect(rows.ledger).toEqual([{ calls: n, promptTokens: n * EXAMPLE_USAGE.promptTokens }]);
    expect(rows.evaluations).toHaveLength(n);
    expect(await inRun(runId, { JOBS: queue }, (run) => run.storageInfo())).toMatchObject({ pendingEffects: 0 });
  });

  it("ignores outcomes for jobs it never sent and for a run that was never started", async () => {
    const { runId, queue, jobs } = await startRun();
    const stranger = { ...succeed(jobs[0]!), jobId: `${runId}:j999` };
    expect(await inRun(runId, { JOBS: queue }, (run) => run.report([stranger]))).toEqual({ applied: 0, ignored: 1 });
    const nobody = await runStub("run_00000000000000000000000000000000").report([succeed(jobs[0]!)]);
    expect(nobody).toEqual({ applied: 0, ignored: 1 });
    expect((await runHistory(runId)).ledger.rows).toBe(0);
  });

  it("cancels, and ignores the outcomes of jobs still in flight afterwards", async () => {
    const { runId, queue, jobs } = await startRun();
    const summary = await inRun(runId, { JOBS: queue }, (run) => run.cancel("test says stop"));
    expect(summary).toMatchObject({ status: "cancelled", stopReason: "test says stop", phase: "done" });
    expect(await inRun(runId, { JOBS: queue }, (run) => run.report(jobs.map(succeed)))).toEqual({ applied: 0, ignored: 2 });
    expect((await runHistory(runId)).run).toMatchObject({ status: "cancelled", reason: "test says stop" });
    expect(queue.take()).toEqual([]);
  });
});

describe("RunObject across evictions", () => {
  it("continues identically when every step runs on a fresh instance", async () => {
    const steady = await startRun();
    const evicted = await startRun();
    const steadyJobs = await driveRun(steady.runId, steady.queue, steady.jobs, succeed);
    const evictedJobs = await driveRun(evicted.runId, evicted.queue, evicted.jobs, succeed, { evict: true });

    const same = (value: unknown, runId: string) => JSON.parse(JSON.stringify(value).replaceAll(runId, "RUN"));
    expect(same(evictedJobs, evicted.runId)).toEqual(same(steadyJobs, steady.runId));
    const [a, b] = [await runStub(steady.runId).status(), await runStub(evicted.runId).status()];
    expect(b?.status).toBe("completed");
    expect(same(b, evicted.runId)).toEqual(same(a, steady.runId));
    expect(b?.counts.candidates).toBeGreaterThan(1);
    // The RNG moved on identically too (parent choice and feedback samples depend on it).
    expect((await storedState(evicted.runId))?.rng).toEqual((await storedState(steady.runId))?.rng);

    const [ha, hb] = [await runHistory(steady.runId), await runHistory(evicted.runId)];
    expect(hb.candidates.map((c) => c.status)).toEqual(ha.candidates.map((c) => c.status));
    expect([hb.evaluations, hb.ledger.rows]).toEqual([ha.evaluations, ha.ledger.rows]);
  });
});

describe("RunObject.alarm", () => {
  it("carries out effects whose D1 write failed", async () => {
    const { runId, queue, jobs } = await startRun();
    const failingDb = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: async () => {
        throw new Error("D1 unavailable (test)");
      },
    } as unknown as D1Database;
    const [first, second] = jobs.map(evaluateJob);

    // Both steps are committed even though their effects fail (one outbox entry per report);
    // the second completes the seed's train split.
    await inRun(runId, { JOBS: queue, DB: failingDb }, (run) => run.report([succeed(first!), succeed(second!)]));
    expect(await inRun(runId, { JOBS: queue }, (run) => run.storageInfo())).toMatchObject({ pendingEffects: 1 });
    expect((await runHistory(runId)).ledger.rows).toBe(0);
    expect(queue.take()).toEqual([]);

    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect(await inRun(runId, { JOBS: queue }, (run) => run.storageInfo())).toMatchObject({ pendingEffects: 0 });
    const history = await runHistory(runId);
    expect(history.ledger.rows).toBe(2);
    expect(history.evaluations).toBe(first!.exampleIds.length + second!.exampleIds.length);
    expect(queue.take().map((j) => j.type)).toEqual(["propose", "propose"]);
  });

  it("carries out effects left behind when the instance died while sending jobs", async () => {
    const { runId, queue, jobs } = await startRun();
    const [first, second] = jobs.map(evaluateJob);
    await inRun(runId, { JOBS: queue }, (run) => run.report([succeed(first!)]));

    queue.hold = true;
    // Never settles: the instance is reset while its send hangs (the test does not wait for it).
    void inRun(runId, { JOBS: queue }, (run) => run.report([succeed(second!)])).catch(() => undefined);
    await expect.poll(() => queue.held, { timeout: 3_000 }).toBe(1);
    await abortAllDurableObjects();

    queue.hold = false;
    expect(await inRun(runId, { JOBS: queue }, (run) => run.storageInfo())).toMatchObject({ pendingEffects: 1 });
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect(queue.take().map((j) => j.type)).toEqual(["propose", "propose"]);
    expect(await inRun(runId, { JOBS: queue }, (run) => run.storageInfo())).toMatchObject({ pendingEffects: 0 });
    // The replayed D1 writes were upserts: nothing twice.
    const history = await runHistory(runId);
    expect(history.ledger.rows).toBe(2);
    expect(history.evaluations).toBe(first!.exampleIds.length + second!.exampleIds.length);
  });
});
