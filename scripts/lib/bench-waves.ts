/**
 * Part 1 of the engine benchmark: a fine-tuning under `wrangler dev` + SimLM at a fixed
 * latency L, each generation's wall time against the LLM-bound ideal.
 *
 * Under wrangler dev the local queue hands the consumer one batch at a time per queue
 * (miniflare's broker awaits each batch before the next; max_concurrency is not in its
 * schema), a batch's messages run concurrently, and an evaluate job runs its chunk's
 * calls concurrently. So at most C = B x e calls are in flight (B = max_batch_size,
 * e = evalChunkSize), a generation is ceil(K / B) waves of proposals plus
 * ceil(K_g * ceil(N / e) / B) waves of evaluations, and ideal = waves x L; with K <= B
 * and e | N that is (1 + ceil(K_g * N / C)) x L.
 *
 * Times: a generation ends at the Durable Object's step that applied its last train
 * evaluation (D1 evaluations.created_at is that step's Date.now()); it starts where the
 * previous one (or the seed's scoring) ended. The SimLM call log gives when the model
 * was busy inside that window; the rest is plumbing.
 *
 * Each setting runs twice on one stack: first with a fresh shared rate limiter (a
 * service's first run on a model: its window starts small and grows), then again once
 * the limiter has learnt the model's window (it persists it, so every later run on that
 * model starts there). The metered Worker (bench-meter.ts) counts the D1 statements of
 * each run's evolution.
 */
import { join } from "node:path";
import type { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { createSimTasks } from "./sim-tasks";
import { type BatchRecord, type BenchStack, startBenchStack } from "./bench-stack";
import type { MeterCounts } from "./bench-meter";
import type { CallRecord } from "./bench-sim";

/** The task model every benchmark task uses (wrangler.toml's DEFAULT_TASK_MODEL): its limiter is the one that paces the waves. */
export const TASK_MODEL = "simlm-task";

export interface WaveSpec {
  label: string;
  /** max_batch_size of the consumer; undefined = wrangler.toml's own. */
  batchSize?: number;
  /** The batch size in effect (wrangler.toml's when batchSize is undefined). */
  effectiveBatch: number;
  evalChunkSize: number;
  children: number;
  generations: number;
  trainExamples: number;
  latencyMs: number;
}

export interface GenerationTiming {
  generation: number;
  children: number;
  wallMs: number;
  idealMs: number;
  idealWaves: number;
  /** Contiguous stretches with at least one call in flight. */
  observedWaves: number;
  peakInFlight: number;
  /** Time with at least one call in flight; the rest of wallMs is plumbing. */
  busyMs: number;
  /** Evaluation rows (one model call and its score each) written in this generation's window. */
  evaluations: number;
}

/** One full evaluate batch's cycle, medians over the run (ms). */
export interface BatchCycle {
  batches: number;
  /** Batch dispatched -> its first call: the consumer parses messages, reads task and examples from D1. */
  preMs: number;
  /** First call start -> last call end (L plus the spread of start times, and any wait for permits between them). */
  callsMs: number;
  /** Last call end -> the DO step: scoring, then the report RPC reaching the Durable Object. */
  toStepMs: number;
  /** DO step -> batch logged done: the steps and their commits, the outbox drain (D1, queue send), acks. */
  doMs: number;
  /** Batch done -> next batch dispatched: the local queue broker. */
  brokerMs: number;
}

/** D1 traffic of one run's evolution, from the metered Worker. */
export interface D1Traffic {
  /** "INSERT evaluations" statements: one per evaluation row. */
  evaluations: number;
  /** INSERT / UPDATE / DELETE / REPLACE statements. */
  writes: number;
  reads: number;
  roundTrips: number;
  /** D1's meta.rows_written (rows plus index entries, what Cloudflare bills). */
  rowsWritten: number;
  statements: Record<string, number>;
}

export interface RunMeasure {
  /** "cold": a fresh rate limiter; "warm": the limiter as the previous run left it. */
  limiter: "cold" | "warm";
  generations: GenerationTiming[];
  cycle: BatchCycle;
  runSeconds: number;
  d1: D1Traffic;
  /** The task model's limiter window when the run started and when its evolution ended. */
  windowAtStart: number | null;
  windowAtEnd: number | null;
  /** The run's Durable Object storage (SQLite) when its evolution ended. */
  storageBytes: number;
}

export interface WaveResult {
  spec: WaveSpec;
  concurrency: number;
  runs: RunMeasure[];
  simlmMaxInFlight: number;
}

const median = (xs: number[]) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

interface RunWindow {
  runId: string;
  limiter: RunMeasure["limiter"];
  from: number;
  to: number;
  runSeconds: number;
  d1: D1Traffic;
  windowAtStart: number | null;
  windowAtEnd: number | null;
  storageBytes: number;
}

export async function runWaveBench(spec: WaveSpec, appDir: string, dir: string, ports: { api: number; simlm: number }): Promise<WaveResult> {
  const stack = await startBenchStack({ appDir, port: ports.api, simlmPort: ports.simlm, dir, batchSize: spec.batchSize, latencyMs: spec.latencyMs });
  try {
    const client = await stack.client();
    // 80 examples -> 32 train (0.4 split); fitnessExamples pins N even if the split changes.
    const [task] = await createSimTasks(client, { examplesPerTask: Math.ceil(spec.trainExamples / 0.4), only: ["sim-arithmetic"] });
    const config = {
      generations: spec.generations,
      childrenPerGeneration: spec.children,
      evalChunkSize: spec.evalChunkSize,
      fitnessExamples: spec.trainExamples,
      seed: 1,
    };
    const windows: RunWindow[] = [];
    for (const limiter of ["cold", "warm"] as const) {
      windows.push(await measuredRun(stack, client, limiter, { kind: "finetune", taskId: task!.taskId, config }));
      await quiet(stack); // the cancelled run's last jobs are acked unrun; let them clear the queue first
    }
    await stack.stop(); // the cancelled runs' last jobs still write to D1; reading it meanwhile can hit SQLITE_BUSY
    const batches = stack.batches.filter((b) => b.queue === "sepo-jobs");
    const runs: RunMeasure[] = [];
    for (const w of windows) {
      const rows = await stack.d1<Row>(
        `SELECT e.candidate_id, c.generation, e.split, e.created_at FROM evaluations e JOIN candidates c ON c.id = e.candidate_id
         WHERE e.run_id = '${w.runId}' ORDER BY e.created_at`,
      );
      const calls = stack.simlm.calls.filter((c) => c.start >= w.from && c.start <= w.to);
      runs.push(analyse(spec, w, rows, calls, batches.filter((b) => b.loggedAt >= w.from && b.loggedAt - b.ms <= w.to)));
    }
    return { spec, concurrency: spec.effectiveBatch * spec.evalChunkSize, runs, simlmMaxInFlight: stack.simlm.stats().maxInFlight };
  } finally {
    await stack.stop();
  }
}

async function measuredRun(stack: BenchStack, client: SepoClient, limiter: RunMeasure["limiter"], body: unknown): Promise<RunWindow> {
  const windowAtStart = (await stack.limiter(TASK_MODEL))?.window ?? null;
  const before = await stack.meter();
  const from = Date.now();
  const run = await client.startRun<RunSummary>(body);
  await untilEvolutionEnds(client, run.runId, () => stack.reloads() > 0);
  const to = Date.now();
  const after = await stack.meter();
  const windowAtEnd = (await stack.limiter(TASK_MODEL))?.window ?? null;
  const { bytes } = await stack.runStorage(run.runId);
  await client.cancelRun(run.runId).catch(() => undefined); // the final phase is not measured; it may have finished meanwhile
  return { runId: run.runId, limiter, from, to, runSeconds: (to - from) / 1000, d1: traffic(before, after), windowAtStart, windowAtEnd, storageBytes: bytes };
}

/** Waits until the queue has been idle for a second. */
async function quiet(stack: BenchStack): Promise<void> {
  for (let idleSince = Date.now(), seen = stack.batches.length; Date.now() - idleSince < 1_000; ) {
    await new Promise((r) => setTimeout(r, 200));
    if (stack.batches.length !== seen) [idleSince, seen] = [Date.now(), stack.batches.length];
  }
}

const WRITE = /^(INSERT|UPDATE|DELETE|REPLACE)\b/;

export function traffic(before: MeterCounts, after: MeterCounts): D1Traffic {
  const statements: Record<string, number> = {};
  for (const [kind, n] of Object.entries(after.statements)) {
    const delta = n - (before.statements[kind] ?? 0);
    if (delta > 0) statements[kind] = delta;
  }
  const sum = (test: (kind: string) => boolean) => Object.entries(statements).reduce((acc, [k, n]) => acc + (test(k) ? n : 0), 0);
  return {
    evaluations: statements["INSERT evaluations"] ?? 0,
    writes: sum((k) => WRITE.test(k)),
    reads: sum((k) => /^(SELECT|WITH)\b/.test(k)),
    roundTrips: after.roundTrips - before.roundTrips,
    rowsWritten: after.rowsWritten - before.rowsWritten,
    statements,
  };
}

/** Polls gently (every 500 ms, so polling does not load the DO) until the run leaves the evolution (the final phase is not measured). */
async function untilEvolutionEnds(client: SepoClient, runId: string, reloaded: () => boolean): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (reloaded()) throw new Error("wrangler dev reloaded the Worker during the run");
    const run = await client.getRun<RunSummary>(runId);
    if (run.status === "completed") return;
    if (run.status !== "running") throw new Error(`run ended ${run.status} (${run.stopReason})`);
    if (run.phase !== "seed" && run.phase !== "evolve") return;
    if (Date.now() > deadline) throw new Error("run still evolving after 180 s");
    await new Promise((r) => setTimeout(r, 500));
  }
}

type Row = { candidate_id: string; generation: number; split: string; created_at: number };

function analyse(spec: WaveSpec, w: RunWindow, rows: Row[], calls: CallRecord[], batches: BatchRecord[]): RunMeasure {
  const B = spec.effectiveBatch;
  const e = spec.evalChunkSize;
  const train = rows.filter((r) => r.split === "train");
  const byGen = new Map<number, Row[]>();
  for (const row of train) byGen.set(row.generation, [...(byGen.get(row.generation) ?? []), row]);
  const endOf = (g: number) => Math.max(...(byGen.get(g) ?? []).map((r) => r.created_at));
  const n = byGen.get(0)?.length ?? spec.trainExamples;
  const generations: GenerationTiming[] = [];
  for (let g = 1; g <= spec.generations; g++) {
    const own = byGen.get(g);
    if (!own || !byGen.get(g - 1)) continue; // a generation whose proposals all failed has no window to measure
    const from = endOf(g - 1);
    const to = endOf(g);
    const children = new Set(own.map((r) => r.candidate_id)).size;
    const idealWaves = Math.ceil(spec.children / B) + Math.ceil((children * Math.ceil(n / e)) / B);
    const segs = segments(calls.filter((c) => c.start > from && c.start <= to));
    const busy = segs.reduce((sum, s) => sum + (s.end - s.start), 0);
    generations.push({
      generation: g,
      children,
      wallMs: to - from,
      idealMs: idealWaves * spec.latencyMs,
      idealWaves,
      observedWaves: segs.length,
      peakInFlight: Math.max(0, ...segs.map((s) => s.peak)),
      busyMs: busy,
      evaluations: rows.filter((r) => r.created_at > from && r.created_at <= to).length,
    });
  }
  return {
    limiter: w.limiter,
    generations,
    cycle: batchCycle(B, train, calls, batches),
    runSeconds: w.runSeconds,
    d1: w.d1,
    windowAtStart: w.windowAtStart,
    windowAtEnd: w.windowAtEnd,
    storageBytes: w.storageBytes,
  };
}

/** Merges overlapping calls into waves; `peak` is the most calls in flight at once in each. */
export function segments(calls: CallRecord[]): Array<{ start: number; end: number; peak: number }> {
  const out: Array<{ start: number; end: number; peak: number }> = [];
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && c.start <= last.end) last.end = Math.max(last.end, c.end);
    else out.push({ start: c.start, end: c.end, peak: 0 });
  }
  for (const s of out) {
    const inside = sorted.filter((c) => c.start >= s.start && c.start <= s.end);
    const edges = inside.flatMap((c) => [[c.start, 1] as const, [c.end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let live = 0;
    for (const [, d] of edges) s.peak = Math.max(s.peak, (live += d));
  }
  return out;
}

/**
 * Splits each full evaluate batch's cycle at its calls (every call that started inside
 * the batch: when the limiter grants a batch's permits in several slices they form more
 * than one wave) and at the DO step that applied its results (the train evaluations'
 * created_at). A batch's start is its logged time minus its logged duration, so `preMs`
 * reads a few ms low and `doMs` as much high (the log line's trip to us); `brokerMs` is unbiased.
 */
function batchCycle(B: number, rows: Row[], calls: CallRecord[], batches: BatchRecord[]): BatchCycle {
  const steps = [...new Set(rows.map((r) => r.created_at))].sort((a, b) => a - b);
  const parts: Array<Omit<BatchCycle, "batches">> = [];
  for (let i = 0; i + 1 < batches.length; i++) {
    const b = batches[i]!;
    const start = b.loggedAt - b.ms;
    const nextStart = batches[i + 1]!.loggedAt - batches[i + 1]!.ms;
    const own = calls.filter((c) => c.start >= start - 20 && c.end <= b.loggedAt);
    const wave = own.length === 0 ? undefined : { start: Math.min(...own.map((c) => c.start)), end: Math.max(...own.map((c) => c.end)) };
    const step = wave && steps.find((t) => t >= wave.end - 1 && t <= b.loggedAt);
    // Only full batches whose results are train evaluations (not proposals, not the final phase).
    if (b.size !== B || !wave || step === undefined) continue;
    parts.push({
      preMs: wave.start - start,
      callsMs: wave.end - wave.start,
      toStepMs: step - wave.end,
      doMs: b.loggedAt - step,
      brokerMs: nextStart - b.loggedAt,
    });
  }
  const med = (k: keyof Omit<BatchCycle, "batches">) => median(parts.map((p) => p[k]));
  return { batches: parts.length, preMs: med("preMs"), callsMs: med("callsMs"), toStepMs: med("toStepMs"), doMs: med("doMs"), brokerMs: med("brokerMs") };
}

export const benchDir = (root: string, label: string) => join(root, label.replace(/[^a-z0-9]+/gi, "-"));
