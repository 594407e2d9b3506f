/**
 * The queue consumer: a thin translation between queue messages and a run's Durable
 * Object. Each message is one job; its outcome is acked, retried with a delay, or
 * reported as failed. Outcomes are reported to each run once per batch, so a batch of
 * ten evaluations costs one RPC and one D1 batch, not ten.
 */
import type { AppEnv } from "../env";
import { limiterKey } from "../limits/limiter-api";
import { createLimitedChat, type LimitedChat } from "../llm/limited-chat";
import { createOpenAiChat } from "../llm/openai-chat";
import { resolveEndpoint } from "../llm/resolve-endpoint";
import { createD1JobData } from "../storage/d1-job-data";
import { executeJob } from "./execute-job";
import { decideFailure } from "./failure-policy";
import type { JobOutcome } from "./job-outcome";
import { type QueueMessage, QueueMessageSchema } from "./queue-message";

interface Settled {
  message: Message<QueueMessage>;
  outcome: JobOutcome;
}

export async function handleQueueBatch(batch: MessageBatch<QueueMessage>, env: AppEnv): Promise<void> {
  const deadLetters = batch.queue.endsWith("-dlq");
  const data = createD1JobData(env.DB);
  const wanted = deadLetters ? null : await wantedJobs(batch.messages, env);
  const settled: Array<Settled | null> = await Promise.all(
    batch.messages.map((message) => (deadLetters ? deadLetter(message) : runMessage(message, env, data, wanted))),
  );
  await reportByRun(env, settled.filter((s): s is Settled => s !== null));
}

/**
 * Asks each run which of the batch's jobs it still waits for, so that a redelivered job
 * whose result was already applied, or a job of a cancelled run, costs no model call.
 * Null (run everything) when a run cannot answer: the run ignores what it does not need.
 */
async function wantedJobs(messages: readonly Message<QueueMessage>[], env: AppEnv): Promise<Set<string> | null> {
  const byRun = new Map<string, string[]>();
  for (const message of messages) {
    const parsed = QueueMessageSchema.safeParse(message.body);
    if (parsed.success) byRun.set(parsed.data.runId, [...(byRun.get(parsed.data.runId) ?? []), parsed.data.jobId]);
  }
  try {
    const answers = await Promise.all([...byRun].map(([runId, jobIds]) => env.RUNS.get(env.RUNS.idFromName(runId)).wanted(jobIds)));
    return new Set(answers.flat());
  } catch (error) {
    console.warn("could not ask runs which jobs they still want; running all", error);
    return null;
  }
}

async function runMessage(message: Message<QueueMessage>, env: AppEnv, data: ReturnType<typeof createD1JobData>, wanted: Set<string> | null): Promise<Settled | null> {
  const parsed = QueueMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    // A message we cannot read can never succeed; retrying it would only fill the DLQ.
    console.error("dropping malformed job message", parsed.error.issues.slice(0, 3));
    message.ack();
    return null;
  }
  const job = parsed.data;
  if (wanted && !wanted.has(job.jobId)) {
    message.ack();
    return null;
  }
  let chat: LimitedChat | undefined;
  try {
    chat = chatFor(job, env);
    const result = await executeJob(job, chat, data);
    return { message, outcome: { ok: true, jobId: job.jobId, result } };
  } catch (error) {
    const decision = decideFailure(error, message.attempts, Math.random());
    if (decision.action === "retry") {
      console.warn(`job ${job.jobId} attempt ${message.attempts} failed (${decision.reason}); retry in ${decision.delaySeconds}s`);
      message.retry({ delaySeconds: decision.delaySeconds });
      return null;
    }
    return { message, outcome: { ok: false, jobId: job.jobId, reason: decision.reason, systemic: decision.systemic } };
  } finally {
    // A failed job may leave calls in flight: their permits go back before the handler ends.
    await chat?.close();
  }
}

/** A job that exhausted its retries: its run must learn it failed, or the generation would wait forever. */
async function deadLetter(message: Message<QueueMessage>): Promise<Settled | null> {
  const parsed = QueueMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    message.ack();
    return null;
  }
  return { message, outcome: { ok: false, jobId: parsed.data.jobId, reason: "the job failed on every retry", systemic: false } };
}

async function reportByRun(env: AppEnv, settled: Settled[]): Promise<void> {
  const byRun = new Map<string, Settled[]>();
  for (const s of settled) {
    const runId = (s.message.body as QueueMessage).runId;
    byRun.set(runId, [...(byRun.get(runId) ?? []), s]);
  }
  await Promise.all(
    [...byRun].map(async ([runId, group]) => {
      try {
        await env.RUNS.get(env.RUNS.idFromName(runId)).report(group.map((s) => s.outcome));
        for (const s of group) s.message.ack();
      } catch (error) {
        // The run did not take the results: run the jobs again rather than lose them.
        console.error(`reporting to run ${runId} failed`, error);
        for (const s of group) s.message.retry({ delaySeconds: 2 });
      }
    }),
  );
}

/**
 * The adapter caches its SDK clients per endpoint, so building the port per job is cheap.
 * Every call draws a permit from the endpoint's shared limiter (one per base URL and
 * model), so all runs together stay within the provider's limits.
 */
function chatFor(job: QueueMessage, env: AppEnv): LimitedChat {
  const endpoint = resolveEndpoint(job.model, env);
  const limiter = env.LIMITERS?.get(env.LIMITERS.idFromName(limiterKey(endpoint.baseUrl, job.model.model))) ?? null;
  return createLimitedChat(createOpenAiChat(endpoint), limiter, { runId: job.runId, jobId: job.jobId, callTimeoutMs: endpoint.timeoutMs });
}
