/**
 * The working set of one engine step: a private copy of the state that handlers mutate,
 * the clock, and the events and jobs produced so far, in causal order.
 */
import type { Job } from "./jobs";
import type { RunState } from "./run-state";
import type { DomainEvent, StepOutput } from "./types";

export interface StepContext {
  s: RunState;
  now: number;
  events: DomainEvent[];
  jobs: Job[];
}

/**
 * Starts a step on a deep copy, so the caller's state is never touched. The copy is a
 * JSON round trip on purpose: whatever the step builds must survive storage unchanged.
 */
export function beginStep(state: RunState, now: number): StepContext {
  return { s: JSON.parse(JSON.stringify(state)) as RunState, now, events: [], jobs: [] };
}

export function endStep(ctx: StepContext): StepOutput<RunState> {
  return { state: ctx.s, jobs: ctx.jobs, events: ctx.events, ignored: false };
}

export function ignoredStep(state: RunState): StepOutput<RunState> {
  return { state, jobs: [], events: [], ignored: true };
}
