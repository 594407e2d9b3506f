/**
 * Watching a run under faults: polls through restarts (a refused connection is waited
 * out), and fails fast, with what the run was waiting for, when nothing moves: neither
 * the run's summary nor SimLM's call counter changes for `stallMs`.
 */
import type { SepoClient } from "../../../src/client/api-client";
import type { RunSummary } from "../../../src/engine";
import type { SimLmServer } from "../../../src/simlm/server";
import { progressLine } from "../../../scripts/lib/watch-run";

export interface WatchUnderFaults {
  client: () => SepoClient;
  simlm: SimLmServer;
  timeoutMs: number;
  stallMs: number;
  intervalMs?: number;
  /** Called on every poll with the current summary (e.g. to restart the Worker at some point). */
  onPoll?: (run: RunSummary) => Promise<void>;
  /** Checked on every poll: a reason to stop watching at once (the run can no longer end as expected). */
  failFast?: () => string | null;
  print?: (line: string) => void;
}

export class RunStalled extends Error {
  override readonly name = "RunStalled";
  constructor(
    message: string,
    readonly last: RunSummary | null,
  ) {
    super(message);
  }
}

export async function watchUnderFaults(runId: string, options: WatchUnderFaults): Promise<RunSummary> {
  const started = Date.now();
  let last: RunSummary | null = null;
  let lastKey = "";
  let lastChange = Date.now();
  let lastError = "";
  for (;;) {
    const now = Date.now();
    let run: RunSummary | null = null;
    try {
      run = await options.client().getRun<RunSummary>(runId);
      lastError = "";
    } catch (error) {
      lastError = (error as Error).message; // the Worker is restarting, or failed
    }
    const key = `${run ? JSON.stringify([run.status, run.budget.spent, run.counts, run.phase]) : lastKey}|${options.simlm.stats().calls}`;
    if (key !== lastKey) {
      lastKey = key;
      lastChange = now;
      if (run) options.print?.(`${((now - started) / 1000).toFixed(1)}s ${progressLine(run)} | pending ${run.counts.jobsPending}`);
    }
    if (run) {
      last = run;
      if (run.status !== "running") return run;
      await options.onPoll?.(run);
    }
    const what = () =>
      last
        ? `phase ${last.phase}, generation ${last.generation}, ${last.counts.jobsPending} job(s) dispatched and unsettled, ${last.counts.jobsQueued} queued, ` +
          `${last.budget.spent.calls} calls settled; SimLM answered ${options.simlm.stats().calls} calls in all`
        : `no summary read${lastError ? ` (last error: ${lastError})` : ""}`;
    const fatal = options.failFast?.();
    if (fatal) throw new RunStalled(`run ${runId} cannot end as expected: ${fatal}; ${what()}`, last);
    if (now - lastChange > options.stallMs) {
      throw new RunStalled(`run ${runId} made no progress for ${options.stallMs / 1000}s: ${what()}`, last);
    }
    if (now - started > options.timeoutMs) throw new RunStalled(`run ${runId} still running after ${options.timeoutMs / 1000}s: ${what()}`, last);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
}
