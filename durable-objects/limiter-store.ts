/**
 * What a rate limiter keeps across restarts: only the learnt window and pause. Permits
 * out and callers waiting live in memory: after a restart their holders' releases are
 * ignored and their leases are simply forgotten, which errs towards a few extra calls
 * rather than a slot held forever. Growth is saved at most every few seconds (it changes
 * on many successes); a decrease or a pause is saved at once (it matters most).
 */
import { type LearnedWindow, LearnedWindowSchema } from "../src/limits/aimd-window";

const KEY = "learned-window";
const SAVE_GROWTH_EVERY_MS = 5_000;

export class LimiterStore {
  private saved: LearnedWindow | undefined;
  private savedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly storage: DurableObjectStorage) {}

  load(): LearnedWindow | undefined {
    const parsed = LearnedWindowSchema.safeParse(this.storage.kv.get(KEY));
    this.saved = parsed.success ? parsed.data : undefined;
    return this.saved;
  }

  save(learned: LearnedWindow, now: number): void {
    const last = this.saved;
    if (last && sameWindow(last, learned)) return;
    const urgent = !last || learned.lastDecreaseAt !== last.lastDecreaseAt || learned.pausedUntil !== last.pausedUntil;
    if (!urgent && now - this.savedAt < SAVE_GROWTH_EVERY_MS) return;
    this.storage.kv.put(KEY, learned);
    this.saved = learned;
    this.savedAt = now;
  }
}

function sameWindow(a: LearnedWindow, b: LearnedWindow): boolean {
  return (
    a.window === b.window &&
    a.slowStart === b.slowStart &&
    a.ceiling === b.ceiling &&
    a.ceilingUntil === b.ceilingUntil &&
    a.pausedUntil === b.pausedUntil &&
    a.lastDecreaseAt === b.lastDecreaseAt
  );
}
