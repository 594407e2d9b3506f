/**
 * The shared limiter's policy for one provider endpoint and model, as plain data and
 * logic: the AIMD window (aimd-window.ts), the permits out (lease-table.ts) and the
 * callers waiting in turn (fair-queue.ts). The Durable Object only feeds it requests,
 * releases and the clock, and answers whatever `dispatch` decides. Deterministic: every
 * method takes `now`, so tests drive it with a fake clock.
 */
import type { AcquireRequest, AcquireResult, LeaseRelease, LimiterStatus } from "./limiter-api";
import { AimdWindow, type LearnedWindow } from "./aimd-window";
import { FairQueue, type Waiter } from "./fair-queue";
import { LeaseTable } from "./lease-table";
import { clamp, type LimiterConfig } from "./limiter-config";

/** The answer to one waiting acquire. */
export interface PermitDecision {
  waiterId: string;
  result: AcquireResult;
}

export interface LimiterPolicyOptions {
  /** Makes lease ids unique across restarts of the limiter. */
  idPrefix: string;
  learned?: LearnedWindow;
}

/** Weight of the newest call in the running mean of call durations (for wait estimates). */
const CALL_MS_WEIGHT = 0.2;
/** Jobs whose place in line is remembered; the oldest are forgotten first. */
const MAX_TICKETS = 10_000;

export class LimiterPolicy {
  private readonly window: AimdWindow;
  private readonly leases: LeaseTable;
  private readonly queue = new FairQueue();
  private readonly tickets = new Map<string, number>();
  private nextTicket = 1;
  private nextWaiter = 1;
  private meanCallMs: number;
  private readonly counters: LimiterStatus["counters"] = { granted: 0, ok: 0, rateLimited: 0, failed: 0, unused: 0, expired: 0, denied: 0, decreases: 0 };

  constructor(
    private readonly config: LimiterConfig,
    options: LimiterPolicyOptions,
  ) {
    this.window = new AimdWindow(config, options.learned);
    this.leases = new LeaseTable(options.idPrefix);
    this.meanCallMs = config.slotMs;
  }

  /**
   * Queues a request; `dispatch` answers it. Returns the waiter's id. Out-of-range numbers
   * are clamped, not trusted. A job whose calls clearly cannot all be served within its
   * wait (the fair order puts others first) is answered at the next dispatch rather than
   * held: it goes back to the queue until its turn, instead of holding a consumer.
   */
  request(request: AcquireRequest, now: number): string {
    const waiter: Waiter = {
      id: `w${this.nextWaiter++}`,
      runId: request.runId,
      ticket: this.ticketOf(request.jobId),
      want: clamp(Math.floor(request.want) || 1, 1, this.config.maxWant),
      leaseMs: clamp(request.leaseMs || 0, this.config.slotMs, this.config.maxLeaseMs),
      deadline: now + clamp(request.maxWaitMs || 0, 0, this.config.maxWaitMs),
      granted: [],
    };
    this.queue.add(waiter);
    this.counters.expired += this.leases.sweep(now);
    const startsAt = this.msUntil(waiter, 1, now);
    if (startsAt > 0 && this.msUntil(waiter, waiter.want, now) > waiter.deadline - now) waiter.deadline = now;
    return waiter.id;
  }

  /** Ends leases and learns from how their calls went. Unknown and repeated releases are ignored. */
  release(releases: readonly LeaseRelease[], now: number): void {
    for (const item of releases) {
      const inUse = this.leases.inUse(now);
      const lease = this.leases.end(item.leaseId, now);
      if (!lease) continue;
      if (item.outcome === "ok") {
        this.counters.ok++;
        this.meanCallMs += CALL_MS_WEIGHT * (now - lease.grantedAt - this.meanCallMs);
        this.window.onSuccess(lease.windowLimited, now);
      } else if (item.outcome === "rate_limited") {
        this.counters.rateLimited++;
        if (this.window.onRateLimited(lease.grantedAt, item.retryAfterMs, inUse, now)) this.counters.decreases++;
      } else {
        this.counters[item.outcome]++;
      }
    }
  }

  /**
   * Hands free slots to waiters in turn, then answers every waiter that got at least one
   * permit (partial grants are answered: the caller starts those calls and asks again) or
   * that can wait no longer (past its deadline, or paused beyond it).
   */
  dispatch(now: number): PermitDecision[] {
    this.counters.expired += this.leases.sweep(now);
    const paused = this.window.isPaused(now);
    if (!paused) this.grantFree(now);
    const answered = new Set<string>();
    const decisions: PermitDecision[] = [];
    for (const w of this.queue.all()) {
      if (w.granted.length > 0) {
        const leases = w.granted.map((l) => ({ id: l.id, expiresAt: l.expiresAt }));
        decisions.push({ waiterId: w.id, result: { kind: "granted", leases } });
      } else if (w.deadline <= now || (paused && w.deadline < this.window.pausedUntil())) {
        decisions.push({ waiterId: w.id, result: { kind: "wait", retryAfterMs: this.waitHint(w, now) } });
        this.counters.denied++;
      } else {
        continue;
      }
      answered.add(w.id);
    }
    this.queue.remove(answered);
    return decisions;
  }

  /** When `dispatch` should run again by itself (a deadline, the pause ending, a slot freeing); null when nobody waits. */
  nextWakeAt(now: number): number | null {
    if (this.queue.size === 0) return null;
    let next = Math.min(...this.queue.all().map((w) => w.deadline));
    const grantAt = this.window.isPaused(now) ? this.window.pausedUntil() : this.nextGrantAt(now);
    if (grantAt !== null) next = Math.min(next, grantAt);
    return next;
  }

  learned(): LearnedWindow {
    return this.window.learned();
  }

  status(now: number): LimiterStatus {
    const learned = this.window.learned();
    return {
      window: learned.window,
      capacity: this.window.capacity(),
      slowStart: learned.slowStart,
      ceiling: learned.ceiling,
      inUse: this.leases.inUse(now),
      waiting: this.queue.size,
      demand: this.queue.demand(),
      pausedForMs: Math.max(0, learned.pausedUntil - now),
      inFlightByRun: this.leases.inFlightByRun(),
      counters: { ...this.counters },
    };
  }

  private grantFree(now: number): void {
    let free = this.freeNow(now);
    for (let w = this.queue.next(); free > 0 && w; w = this.queue.next()) {
      const lease = this.leases.grant(w.runId, now, w.leaseMs, this.config.slotMs);
      w.granted.push(lease);
      this.queue.served(w.runId);
      free--;
      this.counters.granted++;
    }
    // Only a pass that ran out of room says the window limited anyone, so only such grants
    // grow it: every grant of the current slice, which filled it together. Each acquire is
    // its own pass, so counting only the last pass's grants would grow the window by the
    // last job's calls per slice (by one per slice for one-call jobs), not per grant.
    if (free <= 0) this.leases.markWindowLimited(now - this.sliceMs());
  }

  /** Permits that may go out now: free slots, within the current slice's share of the window. */
  private freeNow(now: number): number {
    const capacity = this.window.capacity();
    const inSlice = this.leases.grantedAfter(now - this.sliceMs());
    return Math.max(0, Math.min(capacity - this.leases.inUse(now), Math.ceil(capacity / this.config.burstSlices) - inSlice));
  }

  /** The earliest time both a slot and the burst slice have room (null: not by the clock alone). */
  private nextGrantAt(now: number): number | null {
    const capacity = this.window.capacity();
    const slotAt = this.leases.inUse(now) < capacity ? now : this.leases.nextSlotFreeAt(now);
    const share = Math.ceil(capacity / this.config.burstSlices);
    const sliceAt = this.leases.grantedAfter(now - this.sliceMs()) < share ? now : this.leases.nextSliceExitAt(now, this.sliceMs());
    return slotAt === null || sliceAt === null ? null : Math.max(slotAt, sliceAt);
  }

  private sliceMs(): number {
    return this.config.slotMs / this.config.burstSlices;
  }

  /** When a denied job should come back: when its turn should come (or the provider's pause ends). */
  private waitHint(waiter: Waiter, now: number): number {
    return Math.round(clamp(this.msUntil(waiter, 1, now), this.config.minHintMs, this.config.maxHintMs));
  }

  /**
   * About how long until `waiter` holds `n` more permits: the permits the fair order hands
   * out first, beyond the slots free now (or, after a pause, the whole window), at the pace
   * the window allows (a window of permits per slot time, or per call when calls are slower).
   */
  private msUntil(waiter: Waiter, n: number, now: number): number {
    const pause = Math.max(0, this.window.pausedUntil() - now);
    const free = pause > 0 ? this.window.capacity() : this.freeNow(now);
    const queued = Math.max(0, this.queue.permitsUntil(waiter, n) - free);
    const pace = Math.max(this.config.slotMs, this.meanCallMs) / this.window.capacity();
    return pause + queued * pace;
  }

  /** A job's place in line, kept across its acquires and its queue retries. */
  private ticketOf(jobId: string): number {
    let ticket = this.tickets.get(jobId);
    if (ticket === undefined) {
      ticket = this.nextTicket++;
      this.tickets.set(jobId, ticket);
      if (this.tickets.size > MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
    }
    return ticket;
  }
}
