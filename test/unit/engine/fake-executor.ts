/**
 * A tiny deterministic stand-in for the queue consumer, to drive the engine in unit tests.
 *
 * The world: example i of a split needs keyword KEYWORDS[i % 5] in the task prompt to
 * score 1, except every fifth example (i % 5 === 4), which always scores 1. A task
 * proposal adds the next missing keyword(s): one, plus one per "RULE" in the prompt
 * agent's system prompt, so a better agent (more rules) earns a bigger gain. An agent
 * proposal appends the next RULE. Every usage reported stays within the job's estimate.
 */
import { createRng, estimateJob, nextFloat, type RngState } from "../../../src/engine";
import type { EngineEvent, EngineTask, Job, JobResult, CreateRunInput, StepOutput, Usage } from "../../../src/engine";
import { RunConfigSchema, type RunConfigInput, step, type RunState } from "../../../src/engine";

export const KEYWORDS = ["alpha", "beta", "gamma", "delta"];

export function exampleIndex(exampleId: string): number {
  return Number(exampleId.split(":").at(-1));
}

export function scoreOf(prompt: string, exampleId: string): number {
  const k = exampleIndex(exampleId) % (KEYWORDS.length + 1);
  if (k === KEYWORDS.length) return 1;
  return prompt.includes(KEYWORDS[k] as string) ? 1 : 0;
}

export interface TaskOverrides {
  taskId?: string;
  seedPrompt?: string;
  train?: number;
  val?: number;
  test?: number;
  model?: string;
}

export function makeTask(o: TaskOverrides = {}): EngineTask {
  const taskId = o.taskId ?? "t1";
  const examples = (split: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `${taskId}:${split}:${i}`, inputBytes: 40 + (i % 7) * 10, expectedBytes: 8 }));
  return {
    taskId,
    name: `Task ${taskId}`,
    seedPrompt: o.seedPrompt ?? "Solve the task.",
    model: { role: "task", model: o.model ?? "task-model" },
    attempts: 1,
    splits: { train: examples("train", o.train ?? 10), val: examples("val", o.val ?? 10), test: examples("test", o.test ?? 5) },
  };
}

export function makeInput(o: { kind?: "finetune" | "pretrain"; config?: RunConfigInput; tasks?: EngineTask[]; runId?: string } = {}): CreateRunInput {
  const kind = o.kind ?? "finetune";
  return {
    runId: o.runId ?? "run_1",
    kind,
    config: RunConfigSchema.parse({ generations: 3, childrenPerGeneration: 2, evalChunkSize: 4, feedbackSize: 4, ...o.config }),
    tasks: o.tasks ?? (kind === "finetune" ? [makeTask()] : [makeTask({ taskId: "p1" }), makeTask({ taskId: "p2" })]),
    agentPrompt: "You improve prompts.",
    agentModel: { role: "agent", model: "agent-model" },
  };
}

export type Proposer = (job: Extract<Job, { type: "propose" }>) => string | null;

/** Adds the next missing keyword(s) to a task prompt, or the next RULE to an agent prompt. */
export const improvingProposer: Proposer = (job) => {
  if (job.mode === "agent") {
    const rules = (job.parentPrompt.match(/RULE/g) ?? []).length;
    return `${job.parentPrompt} RULE${rules + 1}`;
  }
  const strength = 1 + (job.systemPrompt.match(/RULE/g) ?? []).length;
  const missing = KEYWORDS.filter((k) => !job.parentPrompt.includes(k)).slice(0, strength);
  return missing.length === 0 ? job.parentPrompt : `${job.parentPrompt} ${missing.join(" ")}`;
};

export interface ExecutorOptions {
  proposer?: Proposer;
  /** Fraction of each job's estimate reported as usage: a number, or drawn per job from the driver's RNG. */
  usage?: number | "random";
  /** Probability that a job fails outright (job.failed), drawn from the driver's RNG. */
  failRate?: number;
}

/** The event the fake consumer would report for `job`. */
export function fakeEvent(state: RunState, job: Job, rng: RngState, o: ExecutorOptions = {}): EngineEvent {
  const usage = fakeUsage(state, job, o.usage === "random" ? nextFloat(rng) : (o.usage ?? 0.5));
  if (o.failRate && nextFloat(rng) < o.failRate) return { type: "job.failed", jobId: job.jobId, reason: "boom", usage };
  return { type: "job.succeeded", jobId: job.jobId, result: fakeResult(job, usage, o.proposer ?? improvingProposer) };
}

export function fakeResult(job: Job, usage: Usage, proposer: Proposer): JobResult {
  if (job.type === "propose") {
    const text = proposer(job);
    return { type: "propose", text, raw: text === null ? "no prompt here" : `<prompt>${text}</prompt>`, usage };
  }
  const rows = job.exampleIds.map((exampleId) => ({
    exampleId,
    output: `answer ${exampleId}`,
    score: scoreOf(job.prompt, exampleId),
    feedback: "fake",
    promptTokens: 0,
    completionTokens: 0,
  }));
  return { type: "evaluate", rows, usage };
}

function fakeUsage(state: RunState, job: Job, fraction: number): Usage {
  const bound = estimateJob(state, job);
  return {
    calls: Math.floor(bound.calls * fraction),
    promptTokens: Math.floor(bound.promptTokens * fraction),
    completionTokens: Math.floor(bound.completionTokens * fraction),
  };
}

export interface DriveOptions extends ExecutorOptions {
  /** Which in-flight job answers next: oldest first, or a seeded random one. */
  order?: "fifo" | "random";
  seed?: number;
  /** Applied to the state before every step (e.g. a JSON round trip, as storage does). */
  between?: (state: RunState) => RunState;
  /** Called after every step, with the step's output. */
  onStep?: (output: StepOutput<RunState>) => void;
  maxSteps?: number;
}

export interface DriveResult {
  state: RunState;
  events: StepOutput<RunState>["events"];
  jobs: Job[];
  steps: number;
}

/** Answers jobs until the run finishes (or nothing is in flight). */
export function drive(start: StepOutput<RunState>, o: DriveOptions = {}): DriveResult {
  const rng = createRng(o.seed ?? 7);
  let state = start.state;
  const events = [...start.events];
  const jobs = [...start.jobs];
  const inFlight = [...start.jobs];
  let steps = 0;
  while (inFlight.length > 0 && state.status === "running") {
    if (steps++ > (o.maxSteps ?? 100_000)) throw new Error("drive: too many steps");
    const index = o.order === "random" ? Math.floor(nextFloat(rng) * inFlight.length) : 0;
    const [job] = inFlight.splice(index, 1) as [Job];
    if (o.between) state = o.between(state);
    const output = step(state, fakeEvent(state, job, rng, o), steps);
    o.onStep?.(output);
    state = output.state;
    events.push(...output.events);
    jobs.push(...output.jobs);
    inFlight.push(...output.jobs);
  }
  return { state, events, jobs, steps };
}
