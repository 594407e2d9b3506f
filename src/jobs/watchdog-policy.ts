/**
 * When a run sends a job again on its own. Queues deliver at least once, but a message can
 * still be lost (a local `wrangler dev` keeps its queue in memory and a restart drops it),
 * and nothing else would send the job again: the run would wait for it forever. Pure: the
 * run's Durable Object keeps the times (durable-objects/job-watch.ts) and passes the clock.
 *
 * Each job in flight has a time by which more should have been heard of it (`dueAt`):
 * once sent, a consumer should pick it up; once picked up (the consumer asks the run
 * whether it still wants the job), the attempt should end with an outcome or with word
 * that it is retried in s seconds; after that word, it should be picked up s seconds
 * later. A job is taken for lost when its time has passed AND the run has heard nothing
 * at all for as long: a queue backlog delays deliveries, but does not silence a run, so
 * a busy queue is not mistaken for a lost message (a re-sent job is harmless, since the
 * first result wins and the others are ignored, but it costs its calls twice).
 */

export interface WatchedJob {
  jobId: string;
  /** Epoch ms: past it, with nothing heard of the job, it may be lost. */
  dueAt: number;
}

/** What the watchdog reads from the Worker's variables; `AppEnv` satisfies it. */
export interface WatchdogSettings {
  /** Milliseconds of silence after which a job counts as lost; by default three LLM call timeouts. */
  JOB_WATCHDOG_MS?: string;
  LLM_TIMEOUT_MS?: string;
}

/** As src/llm/resolve-endpoint.ts uses when LLM_TIMEOUT_MS is unset. */
const DEFAULT_CALL_TIMEOUT_MS = 120_000;
const MIN_SILENCE_MS = 60_000;

/**
 * How long a job may go unheard of. An attempt ends within about one call timeout (calls
 * run in parallel; in-place retries add seconds, and a call that times out is not retried
 * in place), so three timeouts leave room for a slow provider and a short queue backlog,
 * while a lost job still resumes within minutes. Never below a minute by default; an
 * explicit JOB_WATCHDOG_MS (tests set a few seconds) is taken as given.
 */
export function watchdogSilenceMs(settings: WatchdogSettings): number {
  const explicit = positiveInt(settings.JOB_WATCHDOG_MS);
  if (explicit !== null) return explicit;
  const timeout = positiveInt(settings.LLM_TIMEOUT_MS) ?? DEFAULT_CALL_TIMEOUT_MS;
  return Math.max(MIN_SILENCE_MS, 3 * timeout);
}

/** The jobs to send again now: overdue, in a run silent for `silenceMs`. */
export function lostJobs(jobs: readonly WatchedJob[], lastHeardAt: number, now: number, silenceMs: number): string[] {
  if (now - lastHeardAt < silenceMs) return [];
  return jobs.filter((job) => job.dueAt <= now).map((job) => job.jobId);
}

/** When to look again (the earliest time a job could count as lost), or null with no job in flight. */
export function nextCheckAt(jobs: readonly WatchedJob[], lastHeardAt: number, silenceMs: number): number | null {
  if (jobs.length === 0) return null;
  return Math.max(lastHeardAt + silenceMs, Math.min(...jobs.map((job) => job.dueAt)));
}

function positiveInt(value: string | undefined): number | null {
  const text = value?.trim();
  return text && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null;
}
