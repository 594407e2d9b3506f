/**
 * Who gets the next free permit. Runs take turns (the run served least recently goes
 * first), so a run with a hundred jobs waiting cannot starve a run with one: each free
 * slot alternates between the runs that wait. Within a run, the oldest job goes first,
 * so a job that already holds some permits finishes before a new one starts (a job that
 * stalls half done is retried whole, wasting the calls it made).
 */
import type { LeaseRecord } from "./lease-table";

export interface Waiter {
  id: string;
  runId: string;
  /** Smaller is older; a job keeps its ticket across its acquires and retries. */
  ticket: number;
  want: number;
  leaseMs: number;
  /** Answered by then, with what it has or with a wait hint. */
  deadline: number;
  granted: LeaseRecord[];
}

/** Turn records kept for runs with nothing waiting, before the oldest are forgotten. */
const MAX_IDLE_TURNS = 1_000;

export class FairQueue {
  private waiters: Waiter[] = [];
  private readonly lastTurn = new Map<string, number>();
  private turns = 0;

  add(waiter: Waiter): void {
    this.waiters.push(waiter);
  }

  remove(ids: ReadonlySet<string>): void {
    if (ids.size > 0) this.waiters = this.waiters.filter((w) => !ids.has(w.id));
  }

  all(): readonly Waiter[] {
    return this.waiters;
  }

  get size(): number {
    return this.waiters.length;
  }

  /** Permits still wanted by everyone waiting. */
  demand(): number {
    return this.waiters.reduce((sum, w) => sum + Math.max(0, w.want - w.granted.length), 0);
  }

  /**
   * Permits handed out, to everyone, by the time `waiter` holds `n` more of its own: the
   * older jobs of its run first, and meanwhile about as many turns for every other run.
   */
  permitsUntil(waiter: Waiter, n: number): number {
    let olderOfRun = 0;
    const otherRuns = new Map<string, number>();
    for (const w of this.waiters) {
      if (w === waiter) continue;
      const left = Math.max(0, w.want - w.granted.length);
      if (w.runId !== waiter.runId) otherRuns.set(w.runId, (otherRuns.get(w.runId) ?? 0) + left);
      else if (w.ticket < waiter.ticket) olderOfRun += left;
    }
    const turns = olderOfRun + n;
    let total = turns;
    for (const left of otherRuns.values()) total += Math.min(left, turns);
    return total;
  }

  /** The waiter the next free permit goes to; undefined when nobody wants one. */
  next(): Waiter | undefined {
    let best: Waiter | undefined;
    // Arrival order breaks ties: the earlier waiter stays best.
    for (const w of this.waiters) {
      if (w.granted.length < w.want && (!best || this.before(w, best))) best = w;
    }
    return best;
  }

  /** Records that `runId` took a turn. */
  served(runId: string): void {
    this.lastTurn.set(runId, ++this.turns);
    if (this.lastTurn.size > MAX_IDLE_TURNS) this.forgetIdle();
  }

  private before(a: Waiter, b: Waiter): boolean {
    if (a.runId === b.runId) return a.ticket < b.ticket;
    return this.turnOf(a.runId) < this.turnOf(b.runId);
  }

  /** Never served: -1, ahead of everyone who has been. */
  private turnOf(runId: string): number {
    return this.lastTurn.get(runId) ?? -1;
  }

  private forgetIdle(): void {
    const waiting = new Set(this.waiters.map((w) => w.runId));
    for (const runId of this.lastTurn.keys()) if (!waiting.has(runId)) this.lastTurn.delete(runId);
  }
}
