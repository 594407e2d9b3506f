/**
 * The run's watch over its jobs in flight, in the Durable Object's own storage (not in the
 * engine state, which knows nothing of queues): when more should be heard of each job,
 * and when the run last heard from any consumer. The decisions are pure
 * (src/jobs/watchdog-policy.ts); this keeps their inputs across evictions and restarts.
 */
import { lostJobs, nextCheckAt, type WatchedJob } from "../src/jobs/watchdog-policy";

const LAST_HEARD_KEY = "watch:last-heard";

export class JobWatch {
  /** Stands in for times never recorded (jobs sent before this instance kept a watch, a run never heard from). */
  private readonly awokeAt = Date.now();

  constructor(
    private readonly storage: DurableObjectStorage,
    readonly silenceMs: number,
  ) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS job_watch (job_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, sends INTEGER NOT NULL DEFAULT 0)`);
  }

  /** The jobs were put on the queue (first time or again): a consumer should pick them up. */
  sent(jobIds: readonly string[], now: number): void {
    for (const id of jobIds) {
      this.storage.sql.exec(
        `INSERT INTO job_watch (job_id, due_at, sends) VALUES (?, ?, 1) ON CONFLICT (job_id) DO UPDATE SET due_at = excluded.due_at, sends = sends + 1`,
        id,
        now + this.silenceMs,
      );
    }
  }

  /** A consumer picked the jobs up (or reported on them), `delaySeconds` before their next attempt. */
  heard(jobIds: readonly string[], now: number, delaySeconds = 0): void {
    const dueAt = now + delaySeconds * 1000 + this.silenceMs;
    for (const id of jobIds) {
      this.storage.sql.exec(`INSERT INTO job_watch (job_id, due_at) VALUES (?, ?) ON CONFLICT (job_id) DO UPDATE SET due_at = excluded.due_at`, id, dueAt);
    }
    this.storage.kv.put(LAST_HEARD_KEY, now);
  }

  /**
   * A consumer reported on jobs: one that is retried (`retryInSeconds` set) is due back
   * after its delay; one that settled needs watching no more.
   */
  reported(reports: ReadonlyArray<{ jobId: string; retryInSeconds: number | null }>, now: number): void {
    for (const { jobId, retryInSeconds } of reports) {
      if (retryInSeconds === null) this.storage.sql.exec(`DELETE FROM job_watch WHERE job_id = ?`, jobId);
      else this.heard([jobId], now, retryInSeconds);
    }
    this.storage.kv.put(LAST_HEARD_KEY, now);
  }

  clear(): void {
    this.storage.sql.exec(`DELETE FROM job_watch`);
  }

  /** Of the jobs in flight, those to send again now. */
  lost(pending: readonly string[], now: number): string[] {
    return lostJobs(this.watched(pending), this.lastHeardAt(), now, this.silenceMs);
  }

  nextCheckAt(pending: readonly string[]): number | null {
    return nextCheckAt(this.watched(pending), this.lastHeardAt(), this.silenceMs);
  }

  /** How many times a job was put on the queue (for the log). */
  sends(jobId: string): number {
    return this.storage.sql.exec<{ sends: number }>(`SELECT sends FROM job_watch WHERE job_id = ?`, jobId).toArray()[0]?.sends ?? 0;
  }

  private watched(pending: readonly string[]): WatchedJob[] {
    const due = new Map<string, number>();
    for (const row of this.storage.sql.exec<{ job_id: string; due_at: number }>(`SELECT job_id, due_at FROM job_watch`)) due.set(row.job_id, row.due_at);
    return pending.map((jobId) => ({ jobId, dueAt: due.get(jobId) ?? this.awokeAt + this.silenceMs }));
  }

  private lastHeardAt(): number {
    const stored = this.storage.kv.get<number>(LAST_HEARD_KEY);
    return typeof stored === "number" ? Math.max(stored, 0) : this.awokeAt;
  }
}
