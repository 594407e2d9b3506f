import { describe, expect, it } from "vitest";
import {
  createRng,
  createRun,
  decodeRunState,
  type EngineEvent,
  estimateJob,
  type Job,
  nextFloat,
  type RunState,
  type Spend,
  type StepOutput,
  step,
  summarizeRun,
  withinLimits,
} from "../../../src/engine";
import { drive, fakeEvent, makeInput } from "./fake-executor";

const plus = (a: Spend, b: Spend): Spend => ({
  calls: a.calls + b.calls,
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  usd: a.usd + b.usd,
});

/** The usage of a failed attempt: a share of the job's estimate (an attempt never costs more). */
function attemptUsage(state: RunState, job: Job, share: number) {
  const bound = estimateJob(state, job);
  return { calls: Math.floor(bound.calls * share), promptTokens: Math.floor(bound.promptTokens * share), completionTokens: Math.floor(bound.completionTokens * share) };
}

const retrying = (state: RunState, job: Job, share: number): EngineEvent => ({ type: "job.retrying", jobId: job.jobId, reason: "server: boom", usage: attemptUsage(state, job, share) });

/**
 * Like `drive`, but before a job's outcome, each of its attempts fails with probability
 * `retryRate` (charged a random share of its estimate) and the job goes back in flight.
 */
function driveWithRetries(start: StepOutput<RunState>, seed: number, retryRate: number, onStep: (state: RunState) => void) {
  const rng = createRng(seed);
  let state = start.state;
  const events = [...start.events];
  const inFlight = [...start.jobs];
  while (inFlight.length > 0 && state.status === "running") {
    const [job] = inFlight.splice(Math.floor(nextFloat(rng) * inFlight.length), 1) as [Job];
    const failed = nextFloat(rng) < retryRate;
    const output = step(state, failed ? retrying(state, job, nextFloat(rng)) : fakeEvent(state, job, rng, { usage: "random" }), events.length);
    state = output.state;
    events.push(...output.events);
    inFlight.push(...output.jobs);
    if (failed && state.pending.some((p) => p.job.jobId === job.jobId)) inFlight.push(job);
    onStep(state);
  }
  return { state, events };
}

describe("job.retrying: a failed attempt of a job still in flight", () => {
  it("is charged at once under its own ledger id, and the job stays in flight for its next attempt", () => {
    const start = createRun(makeInput(), 0);
    const job = start.jobs[0]!;
    const usage = attemptUsage(start.state, job, 0.5);
    const first = step(start.state, { type: "job.retrying", jobId: job.jobId, reason: "server: boom", usage }, 1);
    const second = step(first.state, { type: "job.retrying", jobId: job.jobId, reason: "server: boom", usage }, 2);
    expect(first.events).toEqual([expect.objectContaining({ type: "job.settled", jobId: `${job.jobId}#1`, usage })]);
    expect(second.events).toEqual([expect.objectContaining({ type: "job.settled", jobId: `${job.jobId}#2`, usage })]);
    expect(second.jobs).toEqual([]);
    expect(second.state.budget.spent.calls).toBe(2 * usage.calls);
    expect(second.state.pending.map((p) => p.job.jobId)).toEqual(start.state.pending.map((p) => p.job.jobId));
    // The job keeps its whole reservation for the next attempt.
    expect(second.state.budget.reserved).toEqual(start.state.budget.reserved);
    // The state survives storage (the count of charged attempts included).
    expect(decodeRunState(JSON.parse(JSON.stringify(second.state)))).toEqual(second.state);
  });

  it("changes nothing when the attempt received no answer, or when the job is no longer in flight", () => {
    const start = createRun(makeInput(), 0);
    const job = start.jobs[0]!;
    expect(step(start.state, { type: "job.retrying", jobId: job.jobId, reason: "server: boom", usage: { calls: 0, promptTokens: 0, completionTokens: 0 } }, 1)).toMatchObject({ ignored: true, events: [] });
    const settled = step(start.state, fakeEvent(start.state, job, createRng(1)), 1);
    expect(step(settled.state, retrying(settled.state, job, 0.5), 2)).toMatchObject({ ignored: true, state: settled.state });
  });

  it("leaves the run's results as they would be without the failed attempts, and charges their usage on top", () => {
    const input = makeInput({ config: { seed: 3 } });
    const plain = drive(createRun(input, 0), { usage: 0.5 });
    // Every job's first attempt fails with a quarter of its estimate spent.
    const start = createRun(input, 0);
    let state = start.state;
    let charged = 0;
    const inFlight = [...start.jobs];
    while (inFlight.length > 0 && state.status === "running") {
      const job = inFlight.shift()!;
      const attempt = retrying(state, job, 0.25);
      charged += (attempt as { usage: { calls: number } }).usage.calls;
      state = step(state, attempt, 0).state;
      const output = step(state, fakeEvent(state, job, createRng(1), { usage: 0.5 }), 0);
      state = output.state;
      inFlight.push(...output.jobs);
    }
    expect(summarizeRun(state).archive).toEqual(summarizeRun(plain.state).archive);
    expect(charged).toBeGreaterThan(0);
    expect(state.budget.spent.calls).toBe(plain.state.budget.spent.calls + charged);
  });

  it("fails the job now, rather than let another attempt spend past the cap", () => {
    const start = createRun(makeInput({ config: { generations: 0, evalChunkSize: 10 } }), 0);
    // Room for exactly the seed's first job: its estimate, and not one call more.
    const [first] = start.jobs;
    const cap = estimateJob(start.state, first!).calls;
    const capped = createRun(makeInput({ config: { generations: 0, evalChunkSize: 10, budget: { maxCalls: cap } } }), 0);
    expect(capped.jobs.map((j) => j.jobId)).toEqual([first!.jobId]);
    const output = step(capped.state, retrying(capped.state, first!, 0.5), 1);
    expect(output.state.pending).toEqual([]);
    expect(output.events.filter((e) => e.type === "job.settled").map((e) => e.jobId)).toEqual([`${first!.jobId}#1`, first!.jobId]);
    const recorded = output.events.find((e) => e.type === "evaluation.recorded");
    expect(recorded).toMatchObject({ rows: expect.arrayContaining([expect.objectContaining({ score: 0, feedback: expect.stringContaining("no room for another attempt") })]) });
    expect(output.state.budget.spent.calls).toBeLessThanOrEqual(cap);
  });

  it("never lets spent, or spent + reserved, pass a limit, across random configs and failed attempts", () => {
    let failedForBudget = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rng = createRng(seed);
      const limits = { maxCalls: 10 + Math.floor(nextFloat(rng) * 120), ...(nextFloat(rng) < 0.5 ? { maxTokens: 30_000 + Math.floor(nextFloat(rng) * 300_000) } : {}) };
      const input = makeInput({ kind: nextFloat(rng) < 0.5 ? "finetune" : "pretrain", config: { seed, evalChunkSize: 1 + Math.floor(nextFloat(rng) * 5), budget: limits } });
      const { state, events } = driveWithRetries(createRun(input, 0), seed, 0.3, (s) => {
        expect(withinLimits(limits, s.budget.spent), `seed ${seed}: spent`).toBe(true);
        expect(withinLimits(limits, plus(s.budget.spent, s.budget.reserved)), `seed ${seed}: spent + reserved`).toBe(true);
      });
      expect(state.status, `seed ${seed}`).toBe("completed");
      // The ledger (one row per charge) adds up to what the run says it spent.
      const ledger = events.filter((e) => e.type === "job.settled").reduce((sum, e) => sum + e.usage.calls, 0);
      expect(ledger).toBe(state.budget.spent.calls);
      if (events.some((e) => e.type === "evaluation.recorded" && e.rows.some((r) => r.feedback.includes("no room for another attempt")))) failedForBudget++;
    }
    // Both ways were exercised: retries that fit, and retries the cap refused.
    expect(failedForBudget).toBeGreaterThan(0);
  });
});
