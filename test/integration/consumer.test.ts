/**
 * The queue consumer: real job handlers, real D1 and the real RunObject, with the model
 * answered by SimLM or by a scripted HTTP status (support/outbound.ts). Runs are started
 * with a captured queue so the test hands their jobs to the consumer itself.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { EvaluateJob, Job } from "../../src/engine";
import { MAX_RATE_LIMIT_WAITS } from "../../src/jobs/failure-policy";
import { createSimTask } from "./support/api";
import { jobRows, runHistory } from "./support/history";
import { DEAD_LETTER_QUEUE, deliver, JOBS_QUEUE, requestsTo } from "./support/queue";
import { CapturedQueue, inRun, makeRunInput, runStub } from "./support/run-object";

/** A fine-tuning run on a sim task whose model lives at `baseUrl` (default: SimLM); returns the seed's evaluate jobs. */
async function runWithModelAt(baseUrl?: string) {
  const taskId = await createSimTask("sim-logic", baseUrl ? { model: { model: "simlm-task", baseUrl } } : {});
  const { input, runRow } = await makeRunInput([taskId], { generations: 1, childrenPerGeneration: 2 });
  const queue = new CapturedQueue();
  await inRun(input.runId, { JOBS: queue }, (run) => run.start(input, runRow));
  const jobs = queue.take() as EvaluateJob[];
  return { runId: input.runId, taskId, queue, jobs, status: () => runStub(input.runId).status() };
}

describe("consumer: outcomes", () => {
  it("acks jobs that succeed and reports them to their run once per batch", async () => {
    const { runId, queue, jobs, status } = await runWithModelAt();
    const result = await deliver(JOBS_QUEUE, jobs.map((body) => ({ body })));
    expect(result).toMatchObject({ outcome: "ok", acked: ["m0", "m1"], retried: [] });

    const examples = jobs.reduce((n, j) => n + j.exampleIds.length, 0);
    expect((await status())?.budget.spent.calls).toBe(examples);
    const history = await runHistory(runId);
    expect(history.ledger).toMatchObject({ rows: 2, calls: examples });
    expect(history.evaluations).toBe(examples);

    // The seed is scored, so generation 1 proposes: propose jobs render feedback from D1.
    const proposals = queue.take();
    expect(proposals.map((j) => j.type)).toEqual(["propose", "propose"]);
    expect(await deliver(JOBS_QUEUE, proposals.map((body) => ({ body })))).toMatchObject({ acked: ["m0", "m1"], retried: [] });
    const after = await status();
    expect(after?.counts.candidates).toBe(3);
    expect(queue.take().every((j) => j.type === "evaluate")).toBe(true);
  });

  it("skips, without a model call, a redelivered job whose result the run already has", async () => {
    const host = "status-500-skip.fault";
    const { jobs, status } = await runWithModelAt();
    await deliver(JOBS_QUEUE, [{ body: jobs[0] }]);
    const spent = (await status())?.budget.spent.calls;
    // The same job again, now pointed at a model that would fail: it must not be called at all.
    const again = { ...jobs[0]!, model: { ...jobs[0]!.model, baseUrl: `http://${host}/v1` } };
    expect(await deliver(JOBS_QUEUE, [{ body: again }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect(await requestsTo(host)).toBe(0);
    expect((await status())?.budget.spent.calls).toBe(spent);
  });

  it("waits out a rate-limited job for the delay the provider asked for, as a fresh copy (job-faults.test.ts has more)", async () => {
    const { runId, jobs, status } = await runWithModelAt("http://status-429-after-7.fault/v1");
    const sent: unknown[] = [];
    const send = vi.spyOn(env.JOBS, "send").mockImplementation(async (body, options) => {
      sent.push({ body, options });
      return {} as QueueSendResponse;
    });
    try {
      const result = await deliver(JOBS_QUEUE, [{ body: jobs[0] }]);
      expect(result).toMatchObject({ acked: ["m0"], retried: [] });
      expect(sent).toEqual([{ body: { ...jobs[0], rateLimitWaits: 1 }, options: { delaySeconds: 7, contentType: "json" } }]);
    } finally {
      send.mockRestore();
    }
    expect((await status())?.counts.jobsPending).toBe(2);
    expect((await runHistory(runId)).ledger.rows).toBe(0);
  }, 30_000);

  it("retries a server error in place first, then with exponential backoff by attempt", async () => {
    const host = `status-500-${crypto.randomUUID().slice(0, 8)}.fault`;
    const { jobs, status } = await runWithModelAt(`http://${host}/v1`);
    const first = await deliver(JOBS_QUEUE, [{ body: jobs[0], attempts: 1 }]);
    // Each of the job's calls was tried more than once before the attempt failed.
    expect(await requestsTo(host)).toBeGreaterThan(jobs[0]!.exampleIds.length);
    const fourth = await deliver(JOBS_QUEUE, [{ body: jobs[0], attempts: 4 }]);
    expect(first.acked).toEqual([]);
    expect(first.retried[0]?.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(first.retried[0]?.delaySeconds).toBeLessThanOrEqual(2);
    expect(fourth.retried[0]?.delaySeconds).toBeGreaterThanOrEqual(8);
    expect(fourth.retried[0]?.delaySeconds).toBeLessThanOrEqual(16);
    expect((await status())?.status).toBe("running");
  }, 30_000);

  it("fails a job that cannot succeed: acked, its examples score 0 with the reason", async () => {
    const { runId, jobs, status } = await runWithModelAt("http://status-400.fault/v1");
    const job = jobs[0]!;
    expect(await deliver(JOBS_QUEUE, [{ body: job }])).toMatchObject({ acked: ["m0"], retried: [] });
    const rows = await jobRows(runId, job.jobId, job.candidateId);
    expect(rows.ledger).toEqual([{ calls: 0, promptTokens: 0 }]);
    expect(rows.evaluations).toHaveLength(job.exampleIds.length);
    expect(rows.evaluations.every((e) => e.score === 0 && e.feedback.startsWith("bad_request"))).toBe(true);
    expect(await status()).toMatchObject({ status: "running", counts: { jobsPending: 1 } });
  });

  it("stops the run as failed on a systemic failure (the key is rejected)", async () => {
    const { runId, jobs, status } = await runWithModelAt("http://status-401.fault/v1");
    expect(await deliver(JOBS_QUEUE, [{ body: jobs[0] }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect(await status()).toMatchObject({ status: "failed", stopReason: expect.stringMatching(/^stopped: auth: /) });
    expect((await runHistory(runId)).run).toMatchObject({ status: "failed", reason: expect.stringMatching(/^stopped: auth/) });
    // Whatever else of the run was in flight is ignored when it comes back.
    expect(await deliver(JOBS_QUEUE, [{ body: jobs[1] }])).toMatchObject({ acked: ["m0"] });
    expect((await runHistory(runId)).ledger.rows).toBe(0);
  });

  it("acks and drops a message it cannot read, without touching any run", async () => {
    const { runId, jobs, status } = await runWithModelAt();
    const before = await status();
    const bad: unknown[] = ["not a job", { ...jobs[0], v: 2 }, { ...jobs[0], type: "train" }, { ...jobs[0], exampleIds: [] }];
    const result = await deliver(JOBS_QUEUE, bad.map((body) => ({ body })));
    expect(result).toMatchObject({ acked: ["m0", "m1", "m2", "m3"], retried: [] });
    expect(await status()).toEqual(before);
    expect((await runHistory(runId)).ledger.rows).toBe(0);
  });
});

describe("consumer: dead letters", () => {
  it("reports a dead-lettered job failed, so the generation moves on", async () => {
    const { runId, queue, jobs, status } = await runWithModelAt();
    await deliver(JOBS_QUEUE, [{ body: jobs[0] }]);
    expect(await deliver(DEAD_LETTER_QUEUE, [{ body: jobs[1], attempts: 1 }, { body: "junk" }])).toMatchObject({ acked: ["m0", "m1"], retried: [] });

    const rows = await jobRows(runId, jobs[1]!.jobId, jobs[1]!.candidateId);
    const dead = rows.evaluations.filter((e) => jobs[1]!.exampleIds.includes(e.example_id));
    expect(dead.map((e) => [e.score, e.feedback])).toEqual(jobs[1]!.exampleIds.map(() => [0, "the job failed on every retry"]));
    const proposals = queue.take() as Job[];
    expect(proposals.map((j) => j.type)).toEqual(["propose", "propose"]);

    // A dead-lettered proposal is a failed proposal: the slot resolves instead of waiting.
    await deliver(DEAD_LETTER_QUEUE, proposals.map((body) => ({ body })));
    expect(await status()).toMatchObject({ counts: { failedProposals: 2, candidates: 1 } });
  });

  it("takes a job that keeps failing through max_retries and the dead-letter queue, for real", async () => {
    // A retry-after longer than a permit may be waited for: each attempt fails at once, without in-place retries.
    const host = `status-429-after-6-${crypto.randomUUID().slice(0, 8)}.fault`;
    const { runId, taskId, jobs, status } = await runWithModelAt(`http://${host}/v1`);
    // Rate-limit waits use up no attempts until the job has taken its share of them
    // (failure-policy.ts); these jobs have, so each 429 now costs one of their attempts.
    for (const job of jobs) await env.JOBS.send({ ...job, rateLimitWaits: MAX_RATE_LIMIT_WAITS }, { contentType: "json" });

    // wrangler.toml: max_retries = 5, so every job is tried 6 times before its dead letter.
    await expect.poll(async () => (await status())?.archive[0]?.scores[taskId]?.train?.scored, { timeout: 60_000, interval: 250 }).toBe(12);
    const history = await runHistory(runId);
    expect(history.evaluations).toBe(12);
    const feedback = await env.DB.prepare("SELECT DISTINCT feedback FROM evaluations WHERE run_id = ?").bind(runId).all<{ feedback: string }>();
    expect(feedback.results.map((r) => r.feedback)).toEqual(["the job failed on every retry"]);
    await runStub(runId).cancel("test done");
    // Without pacing, 12 train examples tried 4 times in place on each of 6 attempts would be
    // 288 requests; the shared rate limiter pauses on the 429 instead.
    const requests = await requestsTo(host);
    console.info(`dead-letter path: ${requests} requests to the always-429 host`);
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThan(12 * 6);
  }, 75_000);
});
