/**
 * Runs the grid: each cell is (pre-training if the method needs one) + one fine-tuning of
 * the target, through the public API. Pre-trainings are shared by key and cached in
 * results.json with their snapshot id; cells always name that id explicitly (never
 * "latest"), since cells run concurrently and "latest" would race.
 */
import { ApiError, type SepoClient } from "../../../src/client/api-client";
import type { RunSummary } from "../../../src/engine";
import { type BenchTaskInfo, METHOD_LABELS, type PretrainPlan, planCell, pretrainKey } from "./methods";
import { type BenchResults, type CellRecord, type CellRef, type PretrainRecord, type RoleSpend, recordCell, taskKey } from "./results-store";
import { type Capabilities, defaultTaskBudget, snapshotExists, snapshotOfRun } from "./service";
import { mean } from "./stats";
import type { BenchTasks } from "./tasks";

export interface RunnerOptions {
  client: SepoClient;
  results: BenchResults;
  tasks: readonly BenchTaskInfo[];
  /** Creates each cell's own copy of its target (see tasks.ts: why copies). */
  taskStore: BenchTasks;
  caps: Capabilities;
  /** --budget-task-calls, or null for the per-target default. */
  budgetTaskCalls: number | null;
  agentModel: string | null;
  prices: Record<string, unknown>;
  concurrency: number;
  /** Persists results.json (called after every pre-training and cell). */
  save(): void;
  log(line: string): void;
}

const POLL_MS = 500;
/** Consecutive network failures (not HTTP errors) tolerated while polling a run. */
const POLL_RETRIES = 5;
/** No visible progress for this long means the run is stuck (e.g. its jobs were lost), not slow. */
const STALL_MS = 10 * 60_000;
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export class BenchRunner {
  private readonly pretrains = new Map<string, Promise<PretrainRecord>>();
  private readonly budgets = new Map<string, Promise<number>>();
  private readonly verified = new Set<string>();

  constructor(private readonly o: RunnerOptions) {}

  /** Runs `cells` with `concurrency` workers; a failing cell is recorded, never fatal. */
  async runAll(cells: readonly CellRef[]): Promise<number> {
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < cells.length) {
        const ref = cells[next++]!;
        const started = Date.now();
        let record: CellRecord;
        try {
          record = await this.runCell(ref);
        } catch (error) {
          record = blankCell(ref, "failed", error instanceof Error ? error.message : String(error));
        }
        record.seconds = seconds(started);
        recordCell(this.o.results, record);
        this.o.save();
        this.o.log(this.progress(++done, cells.length, record));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, cells.length) }, worker));
    return done;
  }

  private progress(i: number, n: number, c: CellRecord): string {
    const head = `[${i}/${n}] ${METHOD_LABELS[c.method]} | ${c.task} | seed ${c.seed}`;
    if (c.status !== "completed") return `${head}: ${c.status.toUpperCase()} (${c.note ?? c.stopReason ?? "no reason"}) ${c.seconds}s`;
    const same = Object.values(this.o.results.cells).filter((x) => x.method === c.method && x.status === "completed" && x.score !== null);
    const running = mean(same.map((x) => x.score!)) * 100;
    const seedScore = c.seedScore === null ? "n/a" : (c.seedScore * 100).toFixed(2);
    return `${head}: test ${(c.score! * 100).toFixed(2)} (seed prompt ${seedScore}) | ${METHOD_LABELS[c.method]} running mean ${running.toFixed(2)} over ${same.length} cells | ${c.seconds}s`;
  }

  private async runCell(ref: CellRef): Promise<CellRecord> {
    const planned = planCell(ref.method, ref.task, this.o.tasks, ref.seed);
    if (!planned.ok) return blankCell(ref, "skipped", planned.reason);
    const { plan } = planned;
    if (plan.needsMethod && !this.o.caps[plan.needsMethod]) {
      return blankCell(ref, "skipped", `the service does not accept config.method "${plan.needsMethod}" yet`);
    }
    let snapshotId: string | null = null;
    let key: string | null = null;
    if (plan.pretrain) {
      key = pretrainKey(plan.pretrain, ref.seed);
      snapshotId = (await this.pretrain(key, plan.pretrain, ref.seed)).snapshotId;
    }
    // The pool copy holds the same data as the cell's copy, so it sizes the budget without touching the target.
    const budget = this.o.caps.maxTaskCalls ? await this.budgetFor(this.apiTask(ref.task, ref.seed)) : null;
    const target = await this.o.taskStore.create(ref.task, ref.seed);
    const config = { ...plan.finetune, prices: this.o.prices, ...(budget !== null ? { budget: { maxTaskCalls: budget } } : {}) };
    const run = await this.runToEnd({ kind: "finetune", taskId: target, agentSnapshotId: plan.usesSnapshot ? snapshotId : null, config, ...this.agentModel() });
    const report = run.report?.tasks.find((t) => t.taskId === target);
    const score = report?.champion.test;
    const ok = run.status === "completed" && score !== undefined;
    return {
      ...blankCell(ref, ok ? "completed" : "failed", ok ? null : `run ${run.runId} ended ${run.status}${score === undefined ? " without a test score" : ""}`),
      score: ok ? score : null,
      seedScore: report?.seed.test ?? null,
      splits: report ? { seed: { ...report.seed }, champion: { ...report.champion } } : null,
      runId: run.runId,
      apiTaskId: target,
      pretrainKey: key,
      budgetTaskCalls: budget,
      finetune: spentOf(run),
      stopReason: run.stopReason,
    };
  }

  /** The (task, seed) pool copy: pre-trained on and dry-run against, never fine-tuned. */
  private apiTask(task: string, seed: number): string {
    const record = this.o.results.tasks[taskKey(task, seed)];
    if (!record) throw new Error(`task ${task} (seed ${seed}) was not created`);
    return record.apiTaskId;
  }

  private budgetFor(apiTaskId: string): Promise<number> {
    if (this.o.budgetTaskCalls !== null) return Promise.resolve(this.o.budgetTaskCalls);
    let budget = this.budgets.get(apiTaskId);
    if (!budget) this.budgets.set(apiTaskId, (budget = defaultTaskBudget(this.o.client, apiTaskId)));
    return budget;
  }

  /** The cached pre-training when its snapshot still exists; else one run, shared by concurrent cells. */
  private pretrain(key: string, plan: PretrainPlan, seed: number): Promise<PretrainRecord> {
    let pending = this.pretrains.get(key);
    if (!pending) {
      pending = this.cachedOrNewPretrain(key, plan, seed);
      this.pretrains.set(key, pending);
      // A failed pre-training is retried by the next cell that needs it, not remembered.
      pending.catch(() => this.pretrains.delete(key));
    }
    return pending;
  }

  private async cachedOrNewPretrain(key: string, plan: PretrainPlan, seed: number): Promise<PretrainRecord> {
    const cached = this.o.results.pretrains[key];
    if (cached && (this.verified.has(cached.snapshotId) || (await snapshotExists(this.o.client, cached.snapshotId)))) {
      this.verified.add(cached.snapshotId);
      return cached;
    }
    const started = Date.now();
    const taskIds = plan.pool.map((t) => this.apiTask(t, seed));
    const run = await this.runToEnd({ kind: "pretrain", taskIds, config: { ...plan.config, prices: this.o.prices }, ...this.agentModel() });
    if (run.status !== "completed") throw new Error(`pre-training ${key} (run ${run.runId}) ended ${run.status}: ${run.stopReason ?? ""}`);
    const record: PretrainRecord = {
      runId: run.runId,
      snapshotId: await snapshotOfRun(this.o.client, run.runId),
      spent: spentOf(run),
      agentFitness: run.report?.agentFitness ?? null,
      seconds: seconds(started),
    };
    this.o.results.pretrains[key] = record;
    this.verified.add(record.snapshotId);
    this.o.save();
    const fit = record.agentFitness ? `agent fitness ${record.agentFitness.seed.toFixed(3)} -> ${record.agentFitness.champion.toFixed(3)}` : "no agent fitness";
    this.o.log(`  pre-training ${key} done in ${record.seconds}s: ${fit}, snapshot ${record.snapshotId}`);
    return record;
  }

  private agentModel(): { agentModel?: { model: string } } {
    return this.o.agentModel ? { agentModel: { model: this.o.agentModel } } : {};
  }

  /** Starts a run and polls it to its end; a stalled run is cancelled and fails the cell (resume retries it). */
  private async runToEnd(body: unknown): Promise<RunSummary> {
    const { runId } = await this.o.client.startRun<RunSummary>(body);
    let mark = "";
    let changedAt = Date.now();
    for (let failures = 0; ; ) {
      let run: RunSummary;
      try {
        run = await this.o.client.getRun<RunSummary>(runId);
        failures = 0;
      } catch (error) {
        // A busy local workerd sometimes drops a connection; the run itself carries on, so poll again.
        if (error instanceof ApiError || ++failures > POLL_RETRIES) throw error;
        await new Promise((r) => setTimeout(r, 2000 * failures));
        continue;
      }
      if (run.status !== "running") return run;
      const now = JSON.stringify([run.phase, run.generation, run.budget.spent.calls, run.counts.jobsPending, run.counts.jobsQueued]);
      if (now !== mark) [mark, changedAt] = [now, Date.now()];
      else if (Date.now() - changedAt > STALL_MS) {
        await this.o.client.cancelRun(runId).catch(() => undefined);
        throw new Error(`run ${runId} made no progress for ${STALL_MS / 60_000} minutes and was cancelled`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

function spentOf(run: RunSummary): RoleSpend {
  const byRole = run.report?.spentByRole ?? run.budget.spentByRole;
  return { task: { ...byRole.task }, agent: { ...byRole.agent } };
}

function blankCell(ref: CellRef, status: CellRecord["status"], note: string | null): CellRecord {
  return { ...ref, status, score: null, seedScore: null, splits: null, runId: null, apiTaskId: null, pretrainKey: null, budgetTaskCalls: null, finetune: null, stopReason: null, note, seconds: 0 };
}
