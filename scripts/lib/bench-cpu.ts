/**
 * Part 2 of the engine benchmark: the pure engine's CPU per step with a large archive,
 * in Node (no wrangler). A fine-tuning (K = 10, G = 100, 32 train examples in chunks of
 * 8) is driven with synthetic job results that every child passes admission with, up to
 * generation 99 (991 candidates). At four moments of that generation the state and the
 * next event are captured: a proposal result, an evaluate result, the evaluate result
 * that completes a child (admission), and the one that completes the generation
 * (admission, DGM selection over the archive, K proposal jobs with sampled feedback).
 * Each captured state is topped up to exactly N candidates with copies of admitted
 * members, and `step` is replayed on it many times (it is pure, so every replay does
 * the same work). Also what the Durable Object does around each step: JSON.stringify
 * the whole state (it persists it every step), and on a cold start JSON.parse +
 * decodeRunState; and summarizeRun (every GET /v1/runs/:id).
 */
import { createRun, decodeRunState, type RunState, step, summarizeRun } from "../../src/engine";
import type { Job, JobResult } from "../../src/engine/jobs";
import type { EngineEvent, StepOutput } from "../../src/engine/types";
import { MemoryJobData } from "../../src/offline/memory-job-data";
import { simEngineTask, simRunInput } from "../../src/offline/sim-run-input";

export const STEP_KINDS = ["evaluate", "evaluate+admit", "generation rollover", "proposal"] as const;
type StepKind = (typeof STEP_KINDS)[number];

export interface Timing {
  meanMs: number;
  p95Ms: number;
  /** process.cpuUsage (user + system) per call. */
  cpuMs: number;
  runs: number;
}

export interface CpuResult {
  candidates: number;
  archive: number;
  steps: Record<StepKind, Timing>;
  stateBytes: number;
  stringify: Timing;
  parse: Timing;
  decode: Timing;
  /** JSON.parse(JSON.stringify(state)): what every step pays first (beginStep's private copy). */
  deepCopy: Timing;
  summarize: Timing;
  summaryBytes: number;
}

const TARGET_GENERATION = 99;
const FILLER =
  "Read the problem twice and list the quantities it gives. Check units before combining them. Prefer exact arithmetic; " +
  "round only at the end. If a step depends on an assumption, state it. Verify the result against the question asked. ";

/** A proposal of realistic length (SimLM's run 300-800 characters), unique per job. */
function proposalText(seedPrompt: string, jobId: string): string {
  return `${seedPrompt}\nRevision ${jobId.split(":j")[1]}: ${FILLER}${FILLER}`.slice(0, 700);
}

/** Example i scores 1 unless i % 4 == 0: every candidate has fitness 0.75 and is admitted (not worse than its parent). */
function resultFor(job: Job, seedPrompt: string): JobResult {
  const usage = (calls: number) => ({ calls, promptTokens: 400 * calls, completionTokens: 60 * calls });
  if (job.type === "propose") {
    const text = proposalText(seedPrompt, job.jobId);
    return { type: "propose", text, raw: text, usage: usage(1) };
  }
  const rows = job.exampleIds.map((exampleId) => {
    const score = Number(exampleId.split(":ex")[1]) % 4 === 0 ? 0 : 1;
    return { exampleId, output: "Answer: 42", score, feedback: score ? "correct" : "expected 41, got 42", promptTokens: 400, completionTokens: 60 };
  });
  return { type: "evaluate", rows, usage: usage(rows.length) };
}

function kindOf(job: Job, output: StepOutput<RunState>): StepKind {
  const types = new Set(output.events.map((e) => e.type));
  if (job.type === "propose") return "proposal";
  if (types.has("generation.completed")) return "generation rollover";
  if (types.has("candidate.admitted") || types.has("candidate.rejected")) return "evaluate+admit";
  return "evaluate";
}

/** Drives the run breadth-first (like src/offline/drive-run.ts) and captures one state + event per step kind. */
export function captureSteps(): Map<StepKind, { state: RunState; event: EngineEvent }> {
  const data = new MemoryJobData();
  const task = simEngineTask("sim-arithmetic", data, { examples: 80 });
  const input = simRunInput("finetune", [task], { generations: 100, childrenPerGeneration: 10, evalChunkSize: 8, seed: 1 });
  let output = createRun(input, 0);
  let state = output.state;
  let pending = output.jobs;
  const captured = new Map<StepKind, { state: RunState; event: EngineEvent }>();
  for (let now = 1; pending.length > 0 && captured.size < STEP_KINDS.length; ) {
    const wave = pending;
    pending = [];
    for (const job of wave) {
      const event: EngineEvent = { type: "job.succeeded", jobId: job.jobId, result: resultFor(job, task.seedPrompt) };
      const before = state;
      output = step(state, event, now++);
      state = output.state;
      pending.push(...output.jobs);
      const kind = kindOf(job, output);
      if (before.generation === TARGET_GENERATION && !captured.has(kind)) captured.set(kind, { state: before, event });
    }
  }
  if (captured.size < STEP_KINDS.length) throw new Error(`captured only ${[...captured.keys()].join(", ")}`);
  return captured;
}

/** A copy of `state` with exactly `total` candidates: the extra ones are copies of admitted members. */
export function topUp(state: RunState, total: number): RunState {
  const s = JSON.parse(JSON.stringify(state)) as RunState;
  const admitted = Object.values(s.candidates).filter((c) => c.status === "admitted");
  let count = Object.keys(s.candidates).length;
  if (count > total) throw new Error(`state already has ${count} candidates`);
  for (let i = 0; count < total; i++, count++) {
    const from = admitted[i % admitted.length]!;
    const seq = s.counters.candidate++;
    const id = `${s.runId}:c${seq}`;
    s.candidates[id] = { ...from, id, seq, children: 0, scores: structuredClone(from.scores), text: `${from.text} (${seq})` };
  }
  return s;
}

function time(fn: () => unknown, runs: number): Timing {
  for (let i = 0; i < 2; i++) fn(); // warm-up: JIT and allocator
  const walls: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    walls.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  walls.sort((a, b) => a - b);
  return {
    meanMs: walls.reduce((a, b) => a + b, 0) / runs,
    p95Ms: walls[Math.min(runs - 1, Math.ceil(runs * 0.95) - 1)]!,
    cpuMs: (cpu.user + cpu.system) / 1000 / runs,
    runs,
  };
}

export function measureAt(captured: Map<StepKind, { state: RunState; event: EngineEvent }>, total: number, runs: number): CpuResult {
  const steps = {} as Record<StepKind, Timing>;
  let sample: RunState | null = null;
  for (const kind of STEP_KINDS) {
    const { state, event } = captured.get(kind)!;
    const big = topUp(state, total);
    sample ??= big;
    steps[kind] = time(() => step(big, event, 1e9), runs);
  }
  const s = sample!;
  const text = JSON.stringify(s);
  const parsed = JSON.parse(text) as unknown;
  const summary = summarizeRun(s);
  return {
    candidates: Object.keys(s.candidates).length,
    archive: summary.archive.length,
    steps,
    stateBytes: Buffer.byteLength(text),
    stringify: time(() => JSON.stringify(s), runs),
    parse: time(() => JSON.parse(text), runs),
    decode: time(() => decodeRunState(parsed), Math.max(3, Math.ceil(runs / 4))),
    deepCopy: time(() => JSON.parse(JSON.stringify(s)), runs),
    summarize: time(() => summarizeRun(s), runs),
    summaryBytes: Buffer.byteLength(JSON.stringify(summary)),
  };
}
