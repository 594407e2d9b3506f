/**
 * The queue consumer: a thin translation between queue messages and a run's Durable
 * Object. Each message is one job; its outcome is reported to the run (a result, a
 * failure, or a failed attempt with what it cost), then the message is acked, retried
 * with a delay, or, for a rate-limit wait, replaced by a fresh delayed copy. Outcomes are
 * reported to each run once per batch, so a batch of ten evaluations costs one RPC and
 * one D1 batch, not ten.
 */
import type { Usage } from "../engine/jobs";
import type { AppEnv } from "../env";
import { limiterKey } from "../limits/limiter-api";
import { createLimitedChat, type LimitedChat } from "../llm/limited-chat";
import { createOpenAiChat } from "../llm/openai-chat";
import { resolveEndpoint } from "../llm/resolve-endpoint";
import { createD1JobData } from "../storage/d1-job-data";
import { executeJob } from "./execute-job";
import { decideFailure, MAX_RATE_LIMIT_WAITS } from "./failure-policy";
import type { JobOutcome } from "./job-outcome";
import { type QueueMessage, QueueMessageSchema } from "./queue-message";

/** What becomes of a message once its run has taken the outcome. */
type Fate = { action: "ack" } | { action: "retry"; delaySeconds: number } | { action: "resend"; delaySeconds: number; body: QueueMessage };

interface Settled {
  message: Message<QueueMessage>;
  outcome: JobOutcome;
  fate: Fate;
}

const ACK: Fate = { action: "ack" };
/** After the run could not be told an outcome: soon, since nothing is wrong with the job. */
const REPORT_RETRY_SECONDS = 2;

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
    return { message, outcome: { ok: true, jobId: job.jobId, result }, fate: ACK };
  } catch (error) {
    // Calls still in flight end first, so that the usage below counts their completions too.
    await chat?.close();
    return failedAttempt(message, job, error, chat?.usage());
  } finally {
    // A failed job may leave calls in flight: their permits go back before the handler ends.
    await chat?.close();
  }
}

/**
 * A failed attempt: the job fails for good, or goes back to the queue. Either way the run
 * is told (and charged for the completions the attempt received, which the provider
 * bills even though their answers are thrown away with the attempt).
 */
function failedAttempt(message: Message<QueueMessage>, job: QueueMessage, error: unknown, usage: Usage | undefined): Settled {
  const waits = job.rateLimitWaits ?? 0;
  const decision = decideFailure(error, message.attempts, Math.random(), waits);
  const charged = usage && usage.calls > 0 ? { usage } : {};
  if (decision.action === "fail") {
    return { message, outcome: { ok: false, jobId: job.jobId, reason: decision.reason, systemic: decision.systemic, ...charged }, fate: ACK };
  }
  const { delaySeconds } = decision;
  const outcome: JobOutcome = { ok: false, jobId: job.jobId, reason: decision.reason, systemic: false, retryInSeconds: delaySeconds, ...charged };
  if (decision.action === "wait") {
    console.warn(`job ${job.jobId} attempt ${message.attempts} failed (${decision.reason}); rate-limit wait ${waits + 1} of ${MAX_RATE_LIMIT_WAITS}: a fresh copy in ${delaySeconds}s`);
    return { message, outcome, fate: { action: "resend", delaySeconds, body: { ...job, rateLimitWaits: waits + 1 } } };
  }
  console.warn(`job ${job.jobId} attempt ${message.attempts} failed (${decision.reason}); retry in ${delaySeconds}s`);
  return { message, outcome, fate: { action: "retry", delaySeconds } };
}

/** A job that exhausted its retries: its run must learn it failed, or the generation would wait forever. */
async function deadLetter(message: Message<QueueMessage>): Promise<Settled | null> {
  const parsed = QueueMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    message.ack();
    return null;
  }
  return { message, outcome: { ok: false, jobId: parsed.data.jobId, reason: "the job failed on every retry", systemic: false }, fate: ACK };
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
      } catch (error) {
        // The run did not take the results: run the jobs again rather than lose them.
        console.error(`reporting to run ${runId} failed`, error);
        for (const s of group) s.message.retry({ delaySeconds: s.fate.action === "ack" ? REPORT_RETRY_SECONDS : Math.max(REPORT_RETRY_SECONDS, s.fate.delaySeconds) });
        return;
      }
      await Promise.all(group.map((s) => carryOut(s, env)));
    }),
  );
}

async function carryOut({ message, fate }: Settled, env: AppEnv): Promise<void> {
  if (fate.action === "ack") return message.ack();
  if (fate.action === "retry") return message.retry({ delaySeconds: fate.delaySeconds });
  try {
    await env.JOBS.send(fate.body, { delaySeconds: fate.delaySeconds, contentType: "json" });
    message.ack();
  } catch (error) {
    // Without the copy, the original must stay: waiting then uses up one of its attempts.
    console.warn(`could not send a fresh copy of job ${fate.body.jobId}; retrying the message instead`, error);
    message.retry({ delaySeconds: fate.delaySeconds });
  }
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
