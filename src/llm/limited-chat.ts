/**
 * A ChatPort that draws a permit from the provider's shared limiter before each call and
 * returns it after, saying how the call went (so a 429 shrinks the window for every run).
 * Built per job: calls a job starts together ask for their permits in one round trip, and
 * releases that end together go back in one.
 *
 * A call that fails transiently is tried again on the spot a few times (call-retry.ts),
 * so that one bad answer does not cost the job its other answers; only when a call gives
 * up does the job's attempt fail. The port meters every usable completion it received,
 * so that a failed attempt's completions (billed by the provider) can still be charged.
 *
 * The queue handler must not wait long: when no permit comes within `maxWaitMs`, the
 * waiting calls fail with LlmError("rate_limited", retryAfterMs = the limiter's hint) and
 * the failure policy sends the job back to the queue with that delay.
 */
import { type Usage, ZERO_USAGE } from "../engine/jobs";
import type { AcquireResult, CallOutcome, LeaseRelease, PermitLease, PermitSource } from "../limits/limiter-api";
import { type CallRetryOptions, callRetryDelay, DEFAULT_CALL_RETRY } from "./call-retry";
import type { ChatPort, ChatRequest, ChatResponse } from "./chat-port";
import { isLlmError, LlmError } from "./llm-error";

export interface LimitedChatOptions {
  runId: string;
  /** The job the port serves: the limiter keeps its place in line across acquires and retries. */
  jobId: string;
  /** The inner port's deadline per call; a lease outlives it, so only a dead consumer's permit ever expires. */
  callTimeoutMs: number;
  /** How long calls wait for a permit before the job goes back to the queue. Default 5 s. */
  maxWaitMs?: number;
  /** In-place retries of a failed call; default DEFAULT_CALL_RETRY. */
  retry?: CallRetryOptions;
  /** Waits between tries (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter for the backoff, in [0, 1). */
  random?: () => number;
}

/**
 * A job's port. After one of its calls gives up, calls still waiting for a permit (or to
 * be retried) fail too: the job's attempt has failed, and the queue retries it whole.
 */
export interface LimitedChat extends ChatPort {
  /** Cancels calls still waiting for a permit, waits for those in flight, returns every permit. Never throws. */
  close(): Promise<void>;
  /** The usage of every usable completion received so far: what the provider bills, whatever becomes of the job. */
  usage(): Usage;
}

/** Within the 2-5 s a queue handler may reasonably wait; a give-up sends the job back to the queue. */
export const DEFAULT_MAX_PERMIT_WAIT_MS = 5_000;
/** A lease outlives its call's timeout by this, so that a slow release is not mistaken for a dead consumer. */
const LEASE_MARGIN_MS = 30_000;

interface PendingCall {
  resolve(lease: PermitLease | null): void;
  reject(error: LlmError): void;
}

/** With no limiter (none bound), calls go out unpaced, with the same in-place retries and metering. */
export function createLimitedChat(inner: ChatPort, limiter: PermitSource | null, options: LimitedChatOptions): LimitedChat {
  return new PermittedChat(inner, limiter, options);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class PermittedChat implements LimitedChat {
  private readonly pending: PendingCall[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly releases: LeaseRelease[] = [];
  private pump: Promise<void> | null = null;
  private flushing: Promise<void> | null = null;
  private stopped: LlmError | null = null;
  private served: Usage = { ...ZERO_USAGE };
  private readonly maxWaitMs: number;
  private readonly retry: CallRetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly inner: ChatPort,
    private readonly limiter: PermitSource | null,
    private readonly options: LimitedChatOptions,
  ) {
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_PERMIT_WAIT_MS;
    this.retry = options.retry ?? DEFAULT_CALL_RETRY;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    let failure: unknown = null;
    for (let tries = 1; ; tries++) {
      let lease: PermitLease | null;
      try {
        lease = await this.permit();
      } catch (denied) {
        // A retry that gets no permit (or whose job already failed) fails as the call did:
        // a 500 must not pass for a rate-limit wait, which would not use up an attempt.
        throw failure ?? denied;
      }
      try {
        return await this.track(this.call(lease, request));
      } catch (error) {
        failure = error;
        // Another call of the job already gave up: the attempt has failed, so no more tries.
        const delay = this.stopped ? null : callRetryDelay(error, tries, this.random(), lease !== null, this.retry);
        if (delay === null) {
          if (isLlmError(error)) this.stop(error);
          throw error;
        }
        if (delay > 0) await this.sleep(delay);
      }
    }
  }

  async close(): Promise<void> {
    this.stop(new LlmError("network", "cancelled: the job ended before this call got a permit"));
    while (this.pump || this.inFlight.size > 0) await Promise.all([this.pump, ...this.inFlight]);
    await this.flush();
  }

  usage(): Usage {
    return { ...this.served };
  }

  /** Keeps a call in sight of close() until it ends. */
  private track<T>(call: Promise<T>): Promise<T> {
    const settled = call.then(noop, noop);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return call;
  }

  private async call(lease: PermitLease | null, request: ChatRequest): Promise<ChatResponse> {
    try {
      const answer = await this.inner.complete(request);
      this.served = {
        calls: this.served.calls + 1,
        promptTokens: this.served.promptTokens + answer.promptTokens,
        completionTokens: this.served.completionTokens + answer.completionTokens,
      };
      await this.release(lease, "ok");
      return answer;
    } catch (error) {
      const limited = isLlmError(error) && error.kind === "rate_limited";
      await this.release(lease, limited ? "rate_limited" : "failed", limited ? error.retryAfterMs : undefined);
      throw error;
    }
  }

  private permit(): Promise<PermitLease | null> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (!this.limiter) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.startPump();
    });
  }

  private startPump(): void {
    this.pump ??= this.acquireForPending().finally(() => {
      this.pump = null;
      if (this.pending.length > 0 && !this.stopped) this.startPump();
    });
  }

  private async acquireForPending(): Promise<void> {
    const limiter = this.limiter;
    if (!limiter) return;
    // Calls started together (an evaluate job's examples) ask in one round trip.
    await nextTurn();
    while (this.pending.length > 0 && !this.stopped) {
      let result: AcquireResult;
      try {
        result = await limiter.acquire({
          runId: this.options.runId,
          jobId: this.options.jobId,
          want: this.pending.length,
          leaseMs: this.options.callTimeoutMs + LEASE_MARGIN_MS,
          maxWaitMs: this.maxWaitMs,
        });
      } catch (error) {
        // The limiter only paces calls: when it cannot answer, calls go out as they did
        // before it existed, and the provider's own 429s still pace the queue.
        console.warn("rate limiter unavailable; calling without a permit", error);
        for (const call of this.pending.splice(0)) call.resolve(null);
        return;
      }
      if (result.kind === "wait") {
        this.stop(new LlmError("rate_limited", `no permit from the shared rate limiter within ${this.maxWaitMs} ms`, result.retryAfterMs));
        return;
      }
      const unused: PermitLease[] = [];
      for (const lease of result.leases) {
        const call = this.pending.shift();
        if (call) call.resolve(lease);
        else unused.push(lease);
      }
      // Permits that came back after their calls were cancelled.
      for (const lease of unused) void this.release(lease, "unused");
    }
  }

  /** Fails every call still waiting for a permit, and every later one. */
  private stop(error: LlmError): void {
    this.stopped ??= error;
    for (const call of this.pending.splice(0)) call.reject(error);
  }

  private release(lease: PermitLease | null, outcome: CallOutcome, retryAfterMs?: number): Promise<void> {
    if (!lease) return Promise.resolve();
    this.releases.push({ leaseId: lease.id, outcome, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    // Awaited by the call, so a permit is back before its job reports (a queue handler's
    // unawaited work may be cut off, and a lost release holds a slot until the lease expires).
    this.flushing ??= nextTurn().then(() => {
      this.flushing = null;
      return this.send(this.releases.splice(0));
    });
    return this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async send(items: LeaseRelease[]): Promise<void> {
    if (items.length === 0 || !this.limiter) return;
    try {
      await this.limiter.release(items);
    } catch (error) {
      console.warn(`could not return ${items.length} permit(s) to the rate limiter; they expire by themselves`, error);
    }
  }
}

function noop(): void {}

/** Lets the rest of the current turn's calls queue up first. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
