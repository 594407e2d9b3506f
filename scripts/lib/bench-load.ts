/**
 * The load benchmark (`npm run bench:load`): many fine-tunings at once on one local
 * service. One `wrangler dev` stack (from the source snapshot, wrangler.toml's own batch
 * size) against SimLM at a fixed latency; a warm-up run first (so the shared rate limiter
 * has learnt the model's window, as it has on any service that ran the model before; it
 * persists it), then N = 1, 4, 16 runs started together, each to completion.
 *
 * The LLM-bound ideal for a group: the local queue hands the consumer one batch of at
 * most B jobs at a time and a batch lasts at least L (its calls run at once), so J jobs
 * need at least ceil(J / B) batches; and a run cannot go faster than its own chain of
 * waves (seed, then per generation its proposals and its evaluations, then validation
 * and test). Ideal = max(ceil(J / B), chain) x L, J = jobs settled (usage_ledger rows).
 */
import type { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { type BenchStack, startBenchStack } from "./bench-stack";
import { type D1Traffic, TASK_MODEL, traffic } from "./bench-waves";
import { createSimTasks } from "./sim-tasks";

export interface LoadSpec {
  /** Runs started together, per group. */
  groups: number[];
  children: number;
  generations: number;
  trainExamples: number;
  evalChunkSize: number;
  latencyMs: number;
  /** wrangler.toml's max_batch_size of `sepo-jobs` (the stack runs with it). */
  batchSize: number;
}

export interface GroupResult {
  runs: number;
  completed: number;
  /** Start of the group -> each run finished (D1 runs.finished_at), ms. */
  runWallMs: number[];
  groupWallMs: number;
  /** Jobs settled (usage_ledger rows of the group's runs). */
  jobs: number;
  evaluations: number;
  idealMs: number;
  /** Evaluation: from its job being queued (the child's proposal applied) to its result applied; children's train evaluations. */
  evalLatency: { p50: number; p95: number; max: number };
  /** Consumer invocations (wrangler's QUEUE lines), ms. */
  batchMs: { p50: number; p95: number; count: number; meanSize: number };
  rateLimited: number;
  calls: number;
  peakInFlight: number;
  d1: D1Traffic;
  windowAtEnd: number | null;
}

export interface LoadResult {
  spec: LoadSpec;
  warmup: { seconds: number; windowAtEnd: number | null };
  groups: GroupResult[];
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

export async function runLoadBench(spec: LoadSpec, appDir: string, dir: string, ports: { api: number; simlm: number }, say: (line: string) => void): Promise<LoadResult> {
  const stack = await startBenchStack({ appDir, port: ports.api, simlmPort: ports.simlm, dir, latencyMs: spec.latencyMs });
  try {
    const client = await stack.client();
    const most = Math.max(...spec.groups);
    const taskIds: string[] = [];
    // One task per run (the same sim task, own data seed): runs of different tasks, as a busy service has.
    for (let i = 0; i < most; i++) {
      const [task] = await createSimTasks(client, { examplesPerTask: Math.ceil(spec.trainExamples / 0.4), only: ["sim-arithmetic"], dataSeed: i + 1 });
      taskIds.push(task!.taskId);
    }
    const body = (i: number) => ({
      kind: "finetune",
      taskId: taskIds[i]!,
      config: { generations: spec.generations, childrenPerGeneration: spec.children, evalChunkSize: spec.evalChunkSize, fitnessExamples: spec.trainExamples, seed: i + 1 },
    });
    const warmStarted = Date.now();
    await untilDone(client, [(await client.startRun<RunSummary>(body(0))).runId], stack);
    const warmup = { seconds: (Date.now() - warmStarted) / 1000, windowAtEnd: (await stack.limiter(TASK_MODEL))?.window ?? null };
    say(`    warm-up run: ${warmup.seconds.toFixed(1)} s, limiter window ${warmup.windowAtEnd?.toFixed(0) ?? "-"}`);
    const windows: Array<{ n: number; runIds: string[]; from: number; to: number; d1: D1Traffic; window: number | null; callsFrom: number; rateLimitedFrom: number }> = [];
    for (const n of spec.groups) {
      const before = await stack.meter();
      const callsFrom = stack.simlm.calls.length;
      const rateLimitedFrom = stack.simlm.stats().rateLimited;
      const from = Date.now();
      const runIds = (await Promise.all(Array.from({ length: n }, (_, i) => client.startRun<RunSummary>(body(i))))).map((r) => r.runId);
      await untilDone(client, runIds, stack);
      const to = Date.now();
      const d1 = traffic(before, await stack.meter());
      windows.push({ n, runIds, from, to, d1, window: (await stack.limiter(TASK_MODEL))?.window ?? null, callsFrom, rateLimitedFrom });
      say(`    ${n} run(s) at once: ${((to - from) / 1000).toFixed(1)} s`);
    }
    const rateLimitedTotal = stack.simlm.stats().rateLimited;
    await stack.stop(); // read D1 once nothing writes to it
    const groups: GroupResult[] = [];
    for (const [i, w] of windows.entries()) {
      const ids = w.runIds.map((id) => `'${id}'`).join(",");
      const [{ jobs }] = await stack.d1<{ jobs: number }>(`SELECT count(*) AS jobs FROM usage_ledger WHERE run_id IN (${ids})`) as [{ jobs: number }];
      const finished = await stack.d1<{ status: string; finished_at: number | null }>(`SELECT status, finished_at FROM runs WHERE id IN (${ids})`);
      const latencies = await stack.d1<{ ms: number }>(
        `SELECT e.created_at - c.created_at AS ms FROM evaluations e JOIN candidates c ON c.id = e.candidate_id
         WHERE e.run_id IN (${ids}) AND e.split = 'train' AND c.generation > 0`,
      );
      const [{ evaluations }] = await stack.d1<{ evaluations: number }>(`SELECT count(*) AS evaluations FROM evaluations WHERE run_id IN (${ids})`) as [{ evaluations: number }];
      const batches = stack.batches.filter((b) => b.queue === "sepo-jobs" && b.loggedAt >= w.from && b.loggedAt <= w.to + 1_000);
      const calls = stack.simlm.calls.slice(w.callsFrom, windows[i + 1]?.callsFrom);
      const nextRateLimited = windows[i + 1]?.rateLimitedFrom ?? rateLimitedTotal;
      // finished_at is the Durable Object's step that finished the run; polling would add up to a round of GETs.
      const runWallMs = finished.map((r) => (r.finished_at ?? w.to) - w.from);
      const groupWallMs = Math.max(...runWallMs);
      groups.push({
        runs: w.n,
        completed: finished.filter((r) => r.status === "completed").length,
        runWallMs,
        groupWallMs,
        jobs,
        evaluations,
        idealMs: Math.max(Math.ceil(jobs / spec.batchSize), chainWaves(spec)) * spec.latencyMs,
        evalLatency: { p50: quantile(latencies.map((l) => l.ms), 0.5), p95: quantile(latencies.map((l) => l.ms), 0.95), max: Math.max(...latencies.map((l) => l.ms)) },
        batchMs: {
          p50: quantile(batches.map((b) => b.ms), 0.5),
          p95: quantile(batches.map((b) => b.ms), 0.95),
          count: batches.length,
          meanSize: batches.reduce((a, b) => a + b.size, 0) / Math.max(1, batches.length),
        },
        rateLimited: nextRateLimited - w.rateLimitedFrom,
        calls: calls.length,
        peakInFlight: peak(calls),
        d1: w.d1,
        windowAtEnd: w.window,
      });
    }
    return { spec, warmup, groups };
  } finally {
    await stack.stop();
  }
}

/**
 * One run's chain of waves, at best: the seed's evaluation, then per generation its
 * proposals and its children's evaluation, then validation and test of the finalists
 * (counted as one wave each: few jobs).
 */
export function chainWaves(spec: LoadSpec): number {
  const chunks = Math.ceil(spec.trainExamples / spec.evalChunkSize);
  const perGeneration = Math.ceil(spec.children / spec.batchSize) + Math.ceil((spec.children * chunks) / spec.batchSize);
  return Math.ceil(chunks / spec.batchSize) + spec.generations * perGeneration + 2;
}

function peak(calls: Array<{ start: number; end: number }>): number {
  const edges = calls.flatMap((c) => [[c.start, 1] as const, [c.end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (live += d));
  return most;
}

/** Polls every 500 ms until every run has ended. */
async function untilDone(client: SepoClient, runIds: string[], stack: BenchStack): Promise<void> {
  const ends = new Map<string, number>();
  const deadline = Date.now() + 600_000;
  while (ends.size < runIds.length) {
    if (stack.reloads() > 0) throw new Error("wrangler dev reloaded the Worker during the runs");
    if (Date.now() > deadline) throw new Error(`${runIds.length - ends.size} run(s) still running after 600 s`);
    for (const id of runIds) {
      if (ends.has(id)) continue;
      const run = await client.getRun<RunSummary>(id);
      if (run.status !== "running") ends.set(id, Date.now());
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)}` : "-");

export function loadTables(result: LoadResult): string {
  const { spec } = result;
  const table = (head: string[], rows: string[][]) =>
    [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  const rows = result.groups.map((g) => {
    const walls = g.runWallMs;
    const per = (x: number) => (g.d1.evaluations > 0 ? (x / g.d1.evaluations).toFixed(2) : "-");
    return [
      `**${g.runs}**`,
      `${g.completed} / ${g.runs}`,
      `${(g.groupWallMs / 1000).toFixed(1)}`,
      `${(quantile(walls, 0.5) / 1000).toFixed(1)} / ${(Math.max(...walls) / 1000).toFixed(1)}`,
      `${g.jobs}`,
      `${(g.idealMs / 1000).toFixed(1)}`,
      `**${(g.groupWallMs / g.idealMs).toFixed(2)}**`,
      `**${ms(g.evaluations / (g.groupWallMs / 1000))}**`,
      `${ms(g.evalLatency.p50)} / ${ms(g.evalLatency.p95)} / ${ms(g.evalLatency.max)}`,
      `${ms(g.batchMs.p50)} / ${ms(g.batchMs.p95)} (${g.batchMs.count}, ${g.batchMs.meanSize.toFixed(1)} jobs)`,
      `${g.rateLimited}`,
      `${g.peakInFlight}`,
      per(g.d1.writes),
      per(g.d1.roundTrips),
      g.windowAtEnd === null ? "-" : `${Math.round(g.windowAtEnd)}`,
    ];
  });
  return [
    `Workload per run: fine-tuning \`sim-arithmetic\` (its own task and data seed per run), K = ${spec.children}, G = ${spec.generations}, ` +
      `N = ${spec.trainExamples} train examples in jobs of e = ${spec.evalChunkSize}, run to completion (validation and test included); ` +
      `SimLM latency ${spec.latencyMs} ms, no faults, no rate limit; wrangler.toml's B = ${spec.batchSize} (C = ${spec.batchSize * spec.evalChunkSize}). ` +
      `Warm-up run before the groups: ${result.warmup.seconds.toFixed(1)} s, limiter window after it ${result.warmup.windowAtEnd === null ? "-" : Math.round(result.warmup.windowAtEnd)}.`,
    "",
    table(
      [
        "runs at once",
        "completed",
        "group wall s",
        "per-run wall s (median / max)",
        "jobs",
        "ideal s",
        "ratio",
        "evaluations/s",
        "evaluation latency ms (p50 / p95 / max)",
        "consumer batch ms (p50 / p95) (batches, mean size)",
        "429s",
        "peak calls in flight",
        "D1 writes / eval",
        "D1 round trips / eval",
        "limiter window after",
      ],
      rows,
    ),
  ].join("\n");
}
