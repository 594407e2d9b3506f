/**
 * One run's Durable Object: a shell around the pure engine. It loads the state, lets
 * `engine.step` decide, commits the new state with its effects (outbox), then carries
 * the effects out: D1 history first, then the next jobs onto the queue (a proposal
 * reads the evaluations it is shown from D1), then webhook events for subscribers. One
 * alarm retries effects that failed and, while jobs are in flight, watches for jobs the
 * queue lost (job-watch.ts), sending them again.
 */
import { DurableObject } from "cloudflare:workers";
import { createRun, decodeRunState, type RunState, type RunSummary, step, summarizeRun } from "../src/engine";
import { ZERO_USAGE } from "../src/engine/jobs";
import type { CreateRunInput, EngineEvent, StepOutput } from "../src/engine/types";
import type { AppEnv } from "../src/env";
import type { JobOutcome } from "../src/jobs/job-outcome";
import { watchdogSilenceMs } from "../src/jobs/watchdog-policy";
import { historyStatements } from "../src/storage/run-history";
import { prepareAll, type SqlStatement } from "../src/storage/sql-statement";
import { runNotices } from "../src/webhooks/run-notices";
import { JobWatch } from "./job-watch";
import { closeSocket, LiveHub } from "./live-hub";
import { RunStore } from "./run-store";
import { sendJobs } from "./send-jobs";

/** How soon a failed effect is tried again. */
const RETRY_EFFECTS_MS = 5_000;

export type StartResult = { created: boolean; summary: RunSummary };
export type ReportResult = { applied: number; ignored: number };

export class RunObject extends DurableObject<AppEnv> {
  private readonly store: RunStore;
  /** Live progress subscribers (SSE and WebSocket); see live-hub.ts. */
  private readonly live: LiveHub;
  private readonly watch: JobWatch;
  private state: RunState | null = null;
  private flushing: Promise<boolean> | null = null;

  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    this.store = new RunStore(ctx.storage);
    this.live = new LiveHub(ctx);
    this.watch = new JobWatch(ctx.storage, watchdogSilenceMs(env));
  }

  /** `GET /v1/runs/:id/events`, forwarded by the Worker: a live progress stream (SSE or WebSocket). */
  override async fetch(request: Request): Promise<Response> {
    return this.live.connect(request, this.load());
  }

  /** Subscribers only listen ("ping" is answered by the runtime without waking the object). */
  override async webSocketMessage(): Promise<void> {}

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    closeSocket(socket, code, reason);
  }

  /** Starts the run once; a repeated start (a retried request) returns the run as it is. */
  async start(input: CreateRunInput, runRow: SqlStatement): Promise<StartResult> {
    const existing = this.load();
    if (existing) return { created: false, summary: summarizeRun(existing) };
    const output = createRun(input, Date.now());
    this.commit(output, input.runId, [runRow]);
    await this.flush();
    return { created: true, summary: summarizeRun(output.state) };
  }

  /** Applies job outcomes; an outcome already applied (a redelivery) is ignored. */
  async report(outcomes: JobOutcome[]): Promise<ReportResult> {
    if (this.load()) this.watch.reported(outcomes.map((o) => ({ jobId: o.jobId, retryInSeconds: o.ok ? null : (o.retryInSeconds ?? null) })), Date.now());
    const result = this.apply(outcomes.map(toEngineEvent));
    await this.flush();
    return result;
  }

  async cancel(reason: string): Promise<RunSummary | null> {
    this.apply([{ type: "cancel", reason }]);
    await this.flush();
    return this.status();
  }

  /** Which of these jobs the run still waits for: a finished run, or a job already settled, wants none. */
  async wanted(jobIds: string[]): Promise<string[]> {
    const state = this.load();
    if (!state || state.status !== "running") return [];
    const pending = new Set(state.pending.map((p) => p.job.jobId));
    const wanted = jobIds.filter((id) => pending.has(id));
    // A consumer is about to run them: the run hears of its jobs (see job-watch.ts).
    if (wanted.length > 0) this.watch.heard(wanted, Date.now());
    return wanted;
  }

  async status(): Promise<RunSummary | null> {
    const state = this.load();
    return state ? summarizeRun(state) : null;
  }

  /** Storage the run occupies, and effects still waiting: for operators and benchmarks. */
  async storageInfo(): Promise<{ bytes: number; pendingEffects: number }> {
    return { bytes: this.store.databaseSize(), pendingEffects: this.store.outboxSize() };
  }

  override async alarm(): Promise<void> {
    if (await this.flush()) await this.resendLostJobs();
  }

  private load(): RunState | null {
    if (!this.state) {
      const stored = this.store.loadState();
      this.state = stored === null ? null : decodeRunState(stored);
      // A fresh instance of a running run: make sure the watchdog's alarm is set (a run
      // stored before there was a watchdog has none, and its lost jobs would wait forever).
      if (this.state?.status === "running") void this.ensureAlarm();
    }
    return this.state;
  }

  /**
   * Engine steps for a batch of events, committed once with all their effects: one state
   * write and one D1 batch per consumer batch, not per job. Synchronous, so steps never
   * interleave.
   */
  private apply(events: EngineEvent[]): ReportResult {
    const state = this.load();
    if (!state) return { applied: 0, ignored: events.length };
    const merged: StepOutput<RunState> = { state, jobs: [], events: [], ignored: false };
    let applied = 0;
    for (const event of events) {
      const output = step(merged.state, event, Date.now());
      if (output.ignored) continue;
      applied++;
      merged.state = output.state;
      merged.jobs.push(...output.jobs);
      merged.events.push(...output.events);
    }
    if (applied > 0) this.commit(merged, state.runId, []);
    return { applied, ignored: events.length - applied };
  }

  private commit(output: StepOutput<RunState>, runId: string, extra: SqlStatement[]): void {
    const statements = [...extra, ...historyStatements(runId, output.events)];
    const notices = runNotices(runId, output.events);
    this.store.commit(output.state, { statements, jobs: output.jobs, notices });
    this.state = output.state;
    this.live.publish(output.events, output.state);
    // Armed in the same output as the step: if the instance is reset before its effects are
    // carried out (eviction, deploy, crash mid-send), the alarm still carries them out.
    // Without it nothing would: the jobs were never sent, so no report wakes the run.
    if (statements.length > 0 || output.jobs.length > 0 || notices.length > 0) void this.ctx.storage.setAlarm(Date.now() + RETRY_EFFECTS_MS);
  }

  /** Carries out queued effects in order; true when none are left. Concurrent callers share one pass. */
  private flush(): Promise<boolean> {
    this.flushing ??= this.drainOutbox().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drainOutbox(): Promise<boolean> {
    for (let entry = this.store.firstOutboxEntry(); entry; entry = this.store.firstOutboxEntry()) {
      try {
        if (entry.statements.length > 0) await this.env.DB.batch(prepareAll(this.env.DB, entry.statements));
        await sendJobs(this.env.JOBS, entry.jobs);
        this.watch.sent(entry.jobs.map((job) => job.jobId), Date.now());
        // After the D1 writes, so a subscriber told of an event can already read it through the API.
        await sendJobs(this.env.WEBHOOKS, entry.notices);
      } catch (error) {
        console.error("run effects failed; retrying by alarm", error);
        await this.ctx.storage.setAlarm(Date.now() + RETRY_EFFECTS_MS);
        return false;
      }
      this.store.deleteOutboxEntry(entry.seq);
    }
    await this.armWatchdog();
    return true;
  }

  /** Sends again the jobs in flight the queue seems to have lost (see src/jobs/watchdog-policy.ts). */
  private async resendLostJobs(): Promise<void> {
    const state = this.load();
    if (state?.status !== "running") return;
    const now = Date.now();
    const lost = new Set(this.watch.lost(state.pending.map((p) => p.job.jobId), now));
    if (lost.size > 0) {
      try {
        await sendJobs(this.env.JOBS, state.pending.filter((p) => lost.has(p.job.jobId)).map((p) => p.job));
      } catch (error) {
        console.error("re-sending lost jobs failed; retrying by alarm", error);
        await this.ctx.storage.setAlarm(now + RETRY_EFFECTS_MS);
        return;
      }
      this.watch.sent([...lost], now);
      console.warn(`run ${state.runId}: nothing heard for ${this.watch.silenceMs / 1000}s of ${lost.size} job(s) in flight; sent again: ${[...lost].join(", ")}`);
    }
    await this.armWatchdog();
  }

  /** With jobs in flight, the alarm wakes the run when one of them could count as lost; otherwise there is nothing to watch. */
  private async armWatchdog(): Promise<void> {
    const state = this.load();
    const next = state?.status === "running" ? this.watch.nextCheckAt(state.pending.map((p) => p.job.jobId)) : null;
    if (next !== null) return this.ctx.storage.setAlarm(next);
    if (state && state.status !== "running") this.watch.clear();
    await this.ctx.storage.deleteAlarm();
  }

  private async ensureAlarm(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.armWatchdog();
  }
}

function toEngineEvent(outcome: JobOutcome): EngineEvent {
  if (outcome.ok) return { type: "job.succeeded", jobId: outcome.jobId, result: outcome.result };
  if (outcome.systemic) return { type: "halt", reason: `stopped: ${outcome.reason}` };
  if (outcome.retryInSeconds !== undefined) return { type: "job.retrying", jobId: outcome.jobId, reason: outcome.reason, usage: outcome.usage ?? ZERO_USAGE };
  return { type: "job.failed", jobId: outcome.jobId, reason: outcome.reason, usage: outcome.usage };
}
