/** Polls a run until it ends, printing one progress line whenever something changes. */
import type { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";

export interface WatchOptions {
  intervalMs?: number;
  timeoutMs?: number;
  /** Receives each new progress line; silent when absent. */
  print?: (line: string) => void;
}

export function progressLine(run: RunSummary): string {
  const fitness = run.best ? run.best.fitness.toFixed(3) : "-";
  const spent = run.budget.spent;
  return [
    `${run.kind} ${run.status}`,
    `gen ${Math.min(run.generation, run.generations)}/${run.generations}`,
    `phase ${run.phase}`,
    `candidates ${run.counts.candidates} (admitted ${run.counts.admitted}, rejected ${run.counts.rejected}, failed ${run.counts.failedProposals})`,
    `best fitness ${fitness}`,
    `LLM calls ${spent.calls}, tokens ${spent.promptTokens + spent.completionTokens}`,
  ].join(" | ");
}

export async function watchRun(client: SepoClient, runId: string, options: WatchOptions = {}): Promise<RunSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let last = "";
  for (;;) {
    const run = await client.getRun<RunSummary>(runId);
    const line = progressLine(run);
    if (line !== last) options.print?.(line);
    last = line;
    if (run.status !== "running") return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running after ${(options.timeoutMs ?? 0) / 1000}s`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
}
