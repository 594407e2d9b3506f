/**
 * The run's watchdog: jobs the queue lost (a restarted `wrangler dev` drops its in-memory
 * queue) are sent again by the run itself once nothing has been heard of them for its
 * silence (src/jobs/watchdog-policy.ts). The run's jobs are captured (never reach a
 * queue: they are the lost messages); time passing is simulated by moving the watch's
 * stored times back, and the alarm is run by hand.
 */
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Job } from "../../src/engine";
import { watchdogSilenceMs } from "../../src/jobs/watchdog-policy";
import { createSimTask, uniqueSimHost } from "./support/api";
import { runHistory } from "./support/history";
import { succeed } from "./support/outcomes";
import { deliver, JOBS_QUEUE } from "./support/queue";
import { CapturedQueue, inRun, makeRunInput, runStub } from "./support/run-object";

/** The silence after which a job counts as lost, as the run reads it from the Worker's variables. */
const SILENCE_MS = watchdogSilenceMs(env);

let taskId: string;
beforeAll(async () => {
  taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: `http://${uniqueSimHost("watchdog")}/v1` } });
});

async function startRun() {
  const { input, runRow } = await makeRunInput([taskId], { generations: 1, childrenPerGeneration: 2 });
  const queue = new CapturedQueue();
  await inRun(input.runId, { JOBS: queue }, (run) => run.start(input, runRow));
  return { runId: input.runId, queue, lost: queue.take() };
}

/** As if `ms` had passed since the run last heard of its jobs and of any consumer. */
function letTimePass(runId: string, ms: number): Promise<void> {
  return runInDurableObject(runStub(runId), (_instance, state) => {
    state.storage.sql.exec("UPDATE job_watch SET due_at = due_at - ?", ms);
    const heard = state.storage.kv.get<number>("watch:last-heard");
    state.storage.kv.put("watch:last-heard", (heard ?? Date.now()) - ms);
  });
}

const alarmOf = (runId: string) => runInDurableObject(runStub(runId), (_instance, state) => state.storage.getAlarm());
const ids = (jobs: Job[]) => jobs.map((j) => j.jobId);

describe("the run's watchdog", () => {
  it("sends lost jobs again under their own ids once nothing was heard of them for its silence, and the run finishes", async () => {
    const { runId, queue, lost } = await startRun();
    expect(lost).toHaveLength(2);
    // Jobs in flight: the alarm is armed, for when they could first count as lost.
    expect(await alarmOf(runId)).toBeGreaterThan(Date.now() + SILENCE_MS / 2);

    // Before the silence has passed, the alarm sends nothing.
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect(queue.take()).toEqual([]);

    await letTimePass(runId, SILENCE_MS + 1_000);
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const resent = queue.take();
    expect(resent).toEqual(lost);

    // The real consumer runs them (and everything after) to the end of the run.
    for (let jobs = resent; jobs.length > 0; jobs = queue.take()) {
      const result = await deliver(JOBS_QUEUE, jobs.map((body) => ({ body })));
      expect(result.retried).toEqual([]);
    }
    const summary = await runStub(runId).status();
    expect(summary).toMatchObject({ status: "completed", counts: { jobsPending: 0 } });
    // Nothing more to watch: the alarm is gone, and each job was charged once.
    expect(await alarmOf(runId)).toBeNull();
    const history = await runHistory(runId);
    expect(history.ledger.calls).toBe(summary?.budget.spent.calls);
    const rows = await env.DB.prepare("SELECT job_id FROM usage_ledger WHERE run_id = ?").bind(runId).all<{ job_id: string }>();
    expect(new Set(rows.results.map((r) => r.job_id)).size).toBe(rows.results.length);
    expect(rows.results.map((r) => r.job_id)).toEqual(expect.arrayContaining(ids(lost)));
  }, 60_000);

  it("does not send again a job a consumer picked up lately, nor one whose retry is due later, nor anything in a run that is heard from", async () => {
    const { runId, queue, lost } = await startRun();
    const [picked, retried] = lost as [Job, Job];

    // A consumer picks one job up just before the silence would have passed: the run is heard from.
    await letTimePass(runId, SILENCE_MS + 1_000);
    expect(await runStub(runId).wanted([picked.jobId])).toEqual([picked.jobId]);
    await runDurableObjectAlarm(runStub(runId));
    expect(queue.take()).toEqual([]);

    // The other job's attempt failed and waits an hour for its retry (a long retry-after).
    await inRun(runId, { JOBS: queue }, (run) => run.report([{ ok: false, jobId: retried.jobId, reason: "rate_limited: later", systemic: false, retryInSeconds: 3_600 }]));
    await letTimePass(runId, SILENCE_MS + 1_000);
    await runDurableObjectAlarm(runStub(runId));
    // Only the job picked up (and then silent for as long) is taken for lost.
    expect(ids(queue.take())).toEqual([picked.jobId]);
    // The retried job keeps its place and its reservation: it is still in flight.
    expect(await runStub(runId).wanted(ids(lost))).toEqual(ids(lost));
    await inRun(runId, { JOBS: queue }, (run) => run.cancel("test done"));
  });

  it("keeps watching across an eviction, and arms itself on a running run that has no alarm", async () => {
    const { runId, queue, lost } = await startRun();
    await runInDurableObject(runStub(runId), (_instance, state) => state.storage.deleteAlarm());
    // A fresh instance (as after a restart or a deploy) of a run stored without an alarm:
    // the first call that loads it arms the watchdog.
    await abortAllDurableObjects();
    await runStub(runId).status();
    await expect.poll(() => alarmOf(runId)).not.toBeNull();
    await letTimePass(runId, SILENCE_MS + 1_000);
    // The fresh instance has the real queue: capture its sends again before its alarm runs.
    await inRun(runId, { JOBS: queue }, () => undefined);
    await runDurableObjectAlarm(runStub(runId));
    expect(ids(queue.take())).toEqual(ids(lost));
    // Answered, the run moves on as usual.
    await inRun(runId, { JOBS: queue }, (run) => run.report(lost.map(succeed)));
    expect((await runStub(runId).status())?.counts.jobsPending).toBe(2);
    await inRun(runId, { JOBS: queue }, (run) => run.cancel("test done"));
  });
});
