/**
 * The adaptive size of a provider's window: how many permits may be out at once (and per
 * slot time). AIMD, as TCP does it: grow while calls succeed with the window full, halve
 * on a 429 and pause until the provider's retry-after. Pure: time is a parameter.
 */
import { z } from "zod";
import { clamp, type LimiterConfig } from "./limiter-config";

/** What the window has learnt; the limiter persists it so that a restart does not begin with a storm. */
export const LearnedWindowSchema = z.object({
  window: z.number().positive(),
  /** True until the first 429: until then the window doubles per round trip rather than growing by one. */
  slowStart: z.boolean(),
  /** The flight a 429 refused; growth stays below it until `ceilingUntil`. Null when clear. */
  ceiling: z.number().positive().nullable(),
  ceilingUntil: z.number(),
  pausedUntil: z.number(),
  lastDecreaseAt: z.number(),
});
export type LearnedWindow = z.infer<typeof LearnedWindowSchema>;

export function freshWindow(config: LimiterConfig): LearnedWindow {
  return { window: config.initialWindow, slowStart: true, ceiling: null, ceilingUntil: 0, pausedUntil: 0, lastDecreaseAt: 0 };
}

export class AimdWindow {
  private readonly state: LearnedWindow;
  /** Window-limited successes since the window last changed. */
  private streak = 0;

  constructor(
    private readonly config: LimiterConfig,
    learned?: LearnedWindow,
  ) {
    this.state = learned ? { ...learned, window: clamp(learned.window, config.minWindow, config.maxWindow) } : freshWindow(config);
  }

  get window(): number {
    return this.state.window;
  }

  /** Permits that may be out at once. */
  capacity(): number {
    return Math.max(1, Math.floor(this.state.window));
  }

  pausedUntil(): number {
    return this.state.pausedUntil;
  }

  isPaused(now: number): boolean {
    return now < this.state.pausedUntil;
  }

  /**
   * A call succeeded. Only calls granted while the window was full count: calls that left
   * it half empty say nothing about whether a larger one would pass, and growing on them
   * would build a window that bursts the provider the moment demand arrives.
   */
  onSuccess(windowLimited: boolean, now: number): void {
    if (!windowLimited) return;
    const s = this.state;
    if (s.ceiling !== null && now >= s.ceilingUntil) s.ceiling = null;
    const cap = s.ceiling === null ? this.config.maxWindow : Math.max(this.config.minWindow, s.ceiling - 1);
    if (s.window >= cap) return;
    if (s.slowStart) {
      s.window = Math.min(cap, s.window + 1);
      return;
    }
    this.streak += 1;
    if (this.streak < Math.ceil(s.window)) return;
    this.streak = 0;
    s.window = Math.min(cap, s.window + 1);
  }

  /**
   * The provider answered 429 to a call granted at `grantedAt`, with `inUse` permits out.
   * Every 429 extends the pause; only the first of a burst shrinks the window, since calls
   * granted before the last decrease were sent under the old window (the same event).
   * Returns whether the window shrank.
   */
  onRateLimited(grantedAt: number, retryAfterMs: number | undefined, inUse: number, now: number): boolean {
    const s = this.state;
    const pause = clamp(retryAfterMs ?? this.config.defaultPauseMs, 0, this.config.maxPauseMs);
    s.pausedUntil = Math.max(s.pausedUntil, now + pause);
    if (grantedAt < s.lastDecreaseAt) return false;
    // The flight the provider refused, not a window that was never filled.
    const flight = Math.min(s.window, Math.max(1, inUse));
    s.ceiling = flight;
    s.ceilingUntil = now + this.config.ceilingHoldMs;
    s.window = Math.max(this.config.minWindow, flight * this.config.decreaseFactor);
    s.slowStart = false;
    s.lastDecreaseAt = now;
    this.streak = 0;
    return true;
  }

  learned(): LearnedWindow {
    return { ...this.state };
  }
}
