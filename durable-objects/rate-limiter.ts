/**
 * The shared rate limiter of one provider endpoint and model (named `limiterKey(baseUrl,
 * model)`): every run's calls to that model draw permits here, so the window it learns
 * from 429s paces them all together. A shell around the pure LimiterPolicy: it feeds it
 * requests, releases and the clock, answers what `dispatch` decides, and sets a timer for
 * the next time a waiting caller can be answered.
 *
 * An acquire may wait here (up to its `maxWaitMs`) for a slot, rather than polling: the
 * caller costs one round trip, and free slots go to waiting runs in turn.
 */
import { DurableObject } from "cloudflare:workers";
import type { AppEnv } from "../src/env";
import type { AcquireRequest, AcquireResult, LeaseRelease, LimiterStatus } from "../src/limits/limiter-api";
import { DEFAULT_LIMITER_CONFIG } from "../src/limits/limiter-config";
import { LimiterPolicy } from "../src/limits/limiter-policy";
import { LimiterStore } from "./limiter-store";

export class RateLimiter extends DurableObject<AppEnv> {
  private readonly policy: LimiterPolicy;
  private readonly store: LimiterStore;
  private readonly answers = new Map<string, (result: AcquireResult) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    this.store = new LimiterStore(ctx.storage);
    this.policy = new LimiterPolicy(DEFAULT_LIMITER_CONFIG, { idPrefix: crypto.randomUUID().slice(0, 8), learned: this.store.load() });
  }

  /** Permits for up to `want` calls, or a hint when to try again; see AcquireResult. */
  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const waiterId = this.policy.request(request, Date.now());
    const answer = new Promise<AcquireResult>((resolve) => this.answers.set(waiterId, resolve));
    this.settle();
    return answer;
  }

  /** Returns permits with how their calls went. Unknown or repeated lease ids are ignored. */
  async release(releases: LeaseRelease[]): Promise<void> {
    this.policy.release(releases, Date.now());
    this.settle();
  }

  async status(): Promise<LimiterStatus> {
    return this.policy.status(Date.now());
  }

  /** Answers whoever can be answered now, saves what was learnt, and wakes up for the rest. */
  private settle(): void {
    const now = Date.now();
    for (const { waiterId, result } of this.policy.dispatch(now)) {
      this.answers.get(waiterId)?.(result);
      this.answers.delete(waiterId);
    }
    this.store.save(this.policy.learned(), now);
    clearTimeout(this.timer);
    this.timer = undefined;
    const wakeAt = this.policy.nextWakeAt(now);
    // A pending timer also keeps the runtime from deciding that a waiting acquire can never be answered.
    if (wakeAt !== null) this.timer = setTimeout(() => this.settle(), Math.max(1, wakeAt - now));
  }
}
