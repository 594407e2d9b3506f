/**
 * The permits a limiter has handed out. A permit is a lease: it ends when its holder
 * releases it, or at its expiry when the holder died mid-call (a crashed consumer must
 * not keep a slot forever). A released permit keeps its slot until its minimum hold has
 * passed, which is how the window bounds the rate and not only the concurrency.
 */

export interface LeaseRecord {
  id: string;
  runId: string;
  grantedAt: number;
  expiresAt: number;
  /** The slot stays taken until then even after an early release. */
  minHeldUntil: number;
  /** Null while the call is in flight. */
  endedAt: number | null;
  /** Granted in a slice that filled the window: its success may grow the window. */
  windowLimited: boolean;
}

export class LeaseTable {
  private readonly leases = new Map<string, LeaseRecord>();
  private seq = 0;

  /** @param idPrefix distinguishes this instance's leases from a previous one's (a restart). */
  constructor(private readonly idPrefix: string) {}

  grant(runId: string, now: number, leaseMs: number, holdMs: number): LeaseRecord {
    const lease: LeaseRecord = {
      id: `${this.idPrefix}-${++this.seq}`,
      runId,
      grantedAt: now,
      expiresAt: now + leaseMs,
      minHeldUntil: now + holdMs,
      endedAt: null,
      windowLimited: false,
    };
    this.leases.set(lease.id, lease);
    return lease;
  }

  /** Ends a lease; undefined when it is unknown: expired, released twice, or from before a restart. */
  end(id: string, now: number): LeaseRecord | undefined {
    const lease = this.leases.get(id);
    if (!lease || lease.endedAt !== null) return undefined;
    lease.endedAt = now;
    if (lease.minHeldUntil <= now) this.leases.delete(id);
    return lease;
  }

  /** Forgets leases that hold no slot any more; returns how many expired in flight. */
  sweep(now: number): number {
    let expired = 0;
    for (const [id, lease] of this.leases) {
      if (lease.endedAt === null && lease.expiresAt <= now) {
        expired++;
        this.leases.delete(id);
      } else if (lease.endedAt !== null && lease.minHeldUntil <= now) {
        this.leases.delete(id);
      }
    }
    return expired;
  }

  /** Slots taken at `now` (after a sweep, every lease kept takes one). */
  inUse(now: number): number {
    let n = 0;
    for (const lease of this.leases.values()) if (holdsSlot(lease, now)) n++;
    return n;
  }

  /** Leases granted after `since` (a slot's minimum hold keeps them all in the table for `slotMs`). */
  grantedAfter(since: number): number {
    let n = 0;
    for (const lease of this.leases.values()) if (lease.grantedAt > since) n++;
    return n;
  }

  /** Marks the leases granted after `since` as granted while the window was full (see LimiterPolicy.grantFree). */
  markWindowLimited(since: number): void {
    for (const lease of this.leases.values()) if (lease.grantedAt > since) lease.windowLimited = true;
  }

  /** Calls in flight per run, for the status view. */
  inFlightByRun(): Record<string, number> {
    const byRun: Record<string, number> = {};
    for (const lease of this.leases.values()) if (lease.endedAt === null) byRun[lease.runId] = (byRun[lease.runId] ?? 0) + 1;
    return byRun;
  }

  /** The next time a slot frees by itself (a minimum hold passing, a lease expiring), if any. */
  nextSlotFreeAt(now: number): number | null {
    return earliestAfter(now, [...this.leases.values()].map((l) => (l.endedAt === null ? l.expiresAt : l.minHeldUntil)));
  }

  /** The next time a grant leaves the burst slice (`sliceMs` long) it counts in, if any. */
  nextSliceExitAt(now: number, sliceMs: number): number | null {
    return earliestAfter(now, [...this.leases.values()].map((l) => l.grantedAt + sliceMs));
  }
}

function earliestAfter(now: number, times: number[]): number | null {
  let next: number | null = null;
  for (const at of times) if (at > now && (next === null || at < next)) next = at;
  return next;
}

function holdsSlot(lease: LeaseRecord, now: number): boolean {
  return lease.endedAt === null ? lease.expiresAt > now : lease.minHeldUntil > now;
}
