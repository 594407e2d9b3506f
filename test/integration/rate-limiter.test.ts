/**
 * The shared rate limiter in workerd: runs whose task model is a SimLM with a small rate
 * limit (support/outbound.ts: `ratelimit-rps<n>[-c<m>][-lat<ms>]-...`). Through the real
 * queue, two runs drawing on one limiter both complete with few 429s, and the small one is
 * not starved by the large one. Then the same storm of jobs, handed to the consumer with
 * and without the LIMITERS binding, shows what the limiter saves.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Job } from "../../src/engine";
import { handleQueueBatch } from "../../src/jobs/consumer";
import type { QueueMessage } from "../../src/jobs/queue-message";
import { limiterKey, type LimiterStatus } from "../../src/limits/limiter-api";
import { createSimTask, simLmStats, startRun, uniqueSimHost, waitForRun } from "./support/api";
import { CapturedQueue, inRun, makeRunInput } from "./support/run-object";

const TASK_MODEL = "simlm-task";

/** Sim tasks whose task model is SimLM at `host`. */
async function tasksAt(host: string, examples: number[]): Promise<string[]> {
  const model = { model: TASK_MODEL, baseUrl: `http://${host}/v1` };
  const ids: string[] = [];
  for (const n of examples) ids.push(await createSimTask("sim-logic", { model, examples: n }));
  return ids;
}

function limiterOf(host: string) {
  const limiters = env.LIMITERS!;
  return limiters.get(limiters.idFromName(limiterKey(`http://${host}/v1`, TASK_MODEL)));
}

function limiterStatus(host: string): Promise<LimiterStatus> {
  return limiterOf(host).status();
}

/** Examples a dead-lettered job scored 0 without a model answer. */
async function deadLettered(runId: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM evaluations WHERE run_id = ? AND feedback = 'the job failed on every retry'").bind(runId).first<number>("n")) ?? 0;
}

describe("the shared rate limiter", () => {
  it("lets two runs share a rate-limited model: both complete, few 429s, the small run is not starved", async () => {
    const host = uniqueSimHost("ratelimit-rps10-c4-lat20");
    // The prompt agent lives elsewhere: providers limit per model, and so does the limiter.
    const agentHost = uniqueSimHost("agent");
    const agentModel = { model: "simlm-agent", baseUrl: `http://${agentHost}/v1` };
    const [large, small] = await tasksAt(host, [60, 30]);
    const started = Date.now();
    const runs = [
      await startRun({ kind: "finetune", taskId: large, agentModel, config: { generations: 2, seed: 1 } }),
      await startRun({ kind: "finetune", taskId: small, agentModel, config: { generations: 1, seed: 1 } }),
    ];
    const finishedAt: number[] = [];
    const done = await Promise.all(runs.map((run, i) => waitForRun(run.runId, 150_000).then((summary) => ((finishedAt[i] = Date.now() - started), summary))));

    const stats = await simLmStats(host);
    const limiter = await limiterStatus(host);
    const spent = done[0].budget.spent.calls + done[1].budget.spent.calls;
    const answered = stats.completed + (await simLmStats(agentHost)).completed;
    console.info(`two runs on rps10-c4: ${stats.calls} task calls, ${stats.rateLimited} answered 429; ${answered} answers for ${spent} charged; finished after ${finishedAt.join(" / ")} ms; window ${limiter.window}`);
    for (const summary of done) {
      expect(summary).toMatchObject({ status: "completed", stopReason: "completed" });
      // Every example was scored by the model, none by a dead letter.
      expect(await deadLettered(summary.runId)).toBe(0);
    }
    // The small run finished while the large one was still drawing permits: free slots went to both in turn.
    expect(finishedAt[1]).toBeLessThan(finishedAt[0]!);
    // A handful of 429s as the window finds the limit, not a storm (without the limiter, see below).
    expect(stats.rateLimited).toBeLessThanOrEqual(Math.ceil(stats.calls * 0.05));
    // A job retried whole repeats the calls it had made: few, since few jobs meet a 429.
    expect(answered).toBeGreaterThanOrEqual(spent);
    expect(answered - spent).toBeLessThanOrEqual(Math.ceil(spent * 0.1));
    // Every permit came back: nothing is left in flight, no lease had to expire.
    expect(limiter).toMatchObject({ inFlightByRun: {}, waiting: 0, counters: { expired: 0 } });
    expect(limiter.counters.rateLimited).toBe(stats.rateLimited);
    // What it learnt from the 429s is saved, so that a restarted limiter does not start over with a burst.
    const saved = await runInDurableObject(limiterOf(host), (_instance, state) => state.storage.kv.get("learned-window"));
    // Slow start ends at the first 429; the ceiling it set lasts 30 s, so on a slow machine it may have lapsed.
    expect(saved).toMatchObject({ slowStart: false, window: expect.any(Number) });
  }, 180_000);

  it("turns a storm of 429s into a few 429s (the same jobs with and without the limiter)", async () => {
    const [withLimiter, withoutLimiter] = await Promise.all([storm({ ...env }), storm({ ...env, LIMITERS: undefined })]);
    console.info(`storm of two runs' first jobs on rps5: with the limiter ${JSON.stringify(withLimiter)}; without ${JSON.stringify(withoutLimiter)}`);
    expect(withLimiter.deadLetters).toBe(0);
    expect(withLimiter.rateLimited).toBeLessThanOrEqual(10);
    // Without it, every job of 8 examples meets more than 5 calls a second: a storm of 429s,
    // waited out (rate-limit waits use up no delivery attempts) rather than dead-lettered.
    expect(withoutLimiter.deadLetters).toBe(0);
    expect(withoutLimiter.rateLimited).toBeGreaterThan(10 * Math.max(1, withLimiter.rateLimited));
  }, 180_000);
});

interface StormResult {
  jobs: number;
  calls: number;
  rateLimited: number;
  deadLetters: number;
  ms: number;
}

/**
 * The first jobs of two runs (a large and a small one) on a fresh SimLM limited to 5
 * requests a second, handed to the consumer as the local queue would: batches of ten,
 * retries after the delay the consumer asked for, a dead letter after six attempts, and
 * the fresh copies the consumer sends for rate-limit waits delivered after their delay.
 */
async function storm(bindings: Cloudflare.Env): Promise<StormResult> {
  const host = uniqueSimHost("ratelimit-rps5");
  const jobs: Job[] = [];
  for (const taskId of await tasksAt(host, [100, 30])) {
    const { input, runRow } = await makeRunInput([taskId], { generations: 1 });
    const queue = new CapturedQueue();
    await inRun(input.runId, { JOBS: queue }, (run) => run.start(input, runRow));
    jobs.push(...queue.take());
  }
  const started = Date.now();
  const deadLetters = await drain(bindings, jobs);
  const stats = await simLmStats(host);
  return { jobs: jobs.length, calls: stats.calls, rateLimited: stats.rateLimited, deadLetters, ms: Date.now() - started };
}

/** wrangler.toml: max_retries = 5. */
const MAX_ATTEMPTS = 6;

/** Delivers `jobs` until every one is acked or dead-lettered; returns how many were dead-lettered. */
async function drain(bindings: Cloudflare.Env, jobs: Job[]): Promise<number> {
  let waiting = jobs.map((body) => ({ body, attempts: 1, at: 0 }));
  const copies: typeof waiting = [];
  const queue = {
    send: async (body: Job, options?: QueueSendOptions) => void copies.push({ body, attempts: 1, at: Date.now() + (options?.delaySeconds ?? 0) * 1000 }),
  };
  bindings = { ...bindings, JOBS: queue as unknown as Queue<QueueMessage> };
  let deadLetters = 0;
  while (waiting.length > 0) {
    const now = Date.now();
    const due = waiting.filter((m) => m.at <= now).slice(0, 10);
    if (due.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(...waiting.map((m) => m.at)) - now));
      continue;
    }
    waiting = waiting.filter((m) => !due.includes(m));
    for (const { index, delaySeconds } of await deliver(bindings, "sepo-jobs", due)) {
      const message = due[index]!;
      if (message.attempts >= MAX_ATTEMPTS) {
        deadLetters++;
        await deliver(bindings, "sepo-jobs-dlq", [message]);
      } else {
        waiting.push({ body: message.body, attempts: message.attempts + 1, at: Date.now() + delaySeconds * 1000 });
      }
    }
    waiting.push(...copies.splice(0));
  }
  return deadLetters;
}

/** One batch through the consumer; returns the messages it retried, with their delays. */
async function deliver(bindings: Cloudflare.Env, queue: string, deliveries: Array<{ body: Job; attempts: number }>) {
  const messages = deliveries.map((d, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: d.attempts, body: d.body }));
  const batch = createMessageBatch<QueueMessage>(queue, messages);
  const delays = new Map<string, number>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.set(message.id, options?.delaySeconds ?? 0);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await handleQueueBatch(batch, bindings);
  const result = (await getQueueResult(batch, ctx)) as unknown as { retryMessages: Array<{ msgId: string }> };
  return result.retryMessages.map((m) => ({ index: Number(m.msgId.slice(1)), delaySeconds: delays.get(m.msgId) ?? 0 }));
}
