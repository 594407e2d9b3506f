/**
 * A job's failures that must cost neither the job nor the budget's truth: rate-limit
 * waits do not use up delivery attempts (a fresh copy of the message waits instead), and
 * a failed attempt's completions, billed by the provider, are charged to the run. Real
 * consumer, D1 and RunObject; the model is SimLM or a scripted host (support/outbound.ts).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EvaluateJob } from "../../src/engine";
import { MAX_RATE_LIMIT_WAITS } from "../../src/jobs/failure-policy";
import type { QueueMessage } from "../../src/jobs/queue-message";
import { DEFAULT_CALL_RETRY } from "../../src/llm/call-retry";
import { createSimTask, simLmStats } from "./support/api";
import { jobRows, runHistory } from "./support/history";
import { deliver, JOBS_QUEUE } from "./support/queue";
import { CapturedQueue, inRun, makeRunInput, runStub } from "./support/run-object";

/** A fine-tuning run whose task model lives at `baseUrl`; returns the seed's evaluate jobs (8 and 4 examples). */
async function runWithModelAt(baseUrl: string) {
  const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl } });
  const { input, runRow } = await makeRunInput([taskId], { generations: 1, childrenPerGeneration: 2 });
  const queue = new CapturedQueue();
  await inRun(input.runId, { JOBS: queue }, (run) => run.start(input, runRow));
  return { runId: input.runId, jobs: queue.take() as EvaluateJob[], status: () => runStub(input.runId).status() };
}

/** Messages the consumer sends to the JOBS queue itself (fresh copies), kept instead of sent. */
function captureSends() {
  const sent: Array<{ body: QueueMessage; options: unknown }> = [];
  vi.spyOn(env.JOBS, "send").mockImplementation(async (body, options) => {
    sent.push({ body, options });
    return {} as QueueSendResponse;
  });
  return sent;
}

const tag = () => crypto.randomUUID().slice(0, 8);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("rate-limit waits", () => {
  it("wait with a fresh copy of the message, so that waiting uses up none of its delivery attempts", async () => {
    const { jobs, status } = await runWithModelAt(`http://status-429-after-7-${tag()}.fault/v1`);
    const sent = captureSends();
    // Even on its third delivery: the copy starts again at attempt 1.
    expect(await deliver(JOBS_QUEUE, [{ body: jobs[0], attempts: 3 }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect(sent).toEqual([{ body: { ...jobs[0], rateLimitWaits: 1 }, options: { delaySeconds: 7, contentType: "json" } }]);
    // The copy carries the count on.
    expect(await deliver(JOBS_QUEUE, [{ body: sent[0]!.body }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect(sent[1]?.body).toEqual({ ...jobs[0], rateLimitWaits: 2 });
    // The run still waits for the job, and was charged nothing: no answer was served.
    expect(await status()).toMatchObject({ status: "running", counts: { jobsPending: 2 }, budget: { spent: { calls: 0 } } });
  }, 30_000);

  it("past their bound, are retried as any failure, so that an endless 429 ends in the dead-letter queue", async () => {
    const { jobs } = await runWithModelAt(`http://status-429-after-7-${tag()}.fault/v1`);
    const sent = captureSends();
    const result = await deliver(JOBS_QUEUE, [{ body: { ...jobs[0]!, rateLimitWaits: MAX_RATE_LIMIT_WAITS } }]);
    expect(result).toMatchObject({ acked: [], retried: [{ id: "m0", delaySeconds: 7 }] });
    expect(sent).toEqual([]);
  }, 30_000);
});

describe("failed attempts", () => {
  it("are charged with the completions they received: the ledger equals what the model served", async () => {
    // The job's first example fails every try of its call in the first attempt; its other seven are answered.
    const host = `stubborn${DEFAULT_CALL_RETRY.maxTries}-${tag()}.simlm`;
    const { runId, jobs, status } = await runWithModelAt(`http://${host}/v1`);
    const job = jobs[0]!;
    expect(job.exampleIds).toHaveLength(8);

    const first = await deliver(JOBS_QUEUE, [{ body: job }]);
    expect(first).toMatchObject({ acked: [], retried: [{ id: "m0" }] });
    expect((await status())?.budget.spent.calls).toBe(7);
    expect((await status())?.counts.jobsPending).toBe(2);

    expect(await deliver(JOBS_QUEUE, [{ body: job, attempts: 2 }])).toMatchObject({ acked: ["m0"], retried: [] });
    const served = (await simLmStats(host)) as unknown as { completed: number; promptTokens: number; completionTokens: number };
    expect(served.completed).toBe(7 + 8);
    const history = await runHistory(runId);
    expect(history.ledger).toEqual({ rows: 2, calls: served.completed, promptTokens: served.promptTokens, completionTokens: served.completionTokens });
    expect((await status())?.budget.spent).toMatchObject({ calls: served.completed, promptTokens: served.promptTokens, completionTokens: served.completionTokens });
    // One row per charge: the failed attempt under its own id, then the job.
    expect((await jobRows(runId, `${job.jobId}#1`, job.candidateId)).ledger).toEqual([{ calls: 7, promptTokens: expect.any(Number) }]);
    // The result is the second attempt's: every example answered, none scored as a failure.
    const rows = (await jobRows(runId, job.jobId, job.candidateId)).evaluations.filter((e) => job.exampleIds.includes(e.example_id));
    expect(rows).toHaveLength(8);
    expect(rows.some((e) => /fail/i.test(e.feedback))).toBe(false);
  }, 30_000);
});
