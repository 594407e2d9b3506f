/**
 * What a run under faults left behind, for exactly-once checks and for the report: its
 * D1 history (ledger, evaluations, candidates), the consumer's retry lines and the
 * queue's dead-letter lines in wrangler's log, and SimLM's counters.
 */
import { readFileSync, statSync } from "node:fs";
import type { SimLmStats } from "../../../src/simlm/traffic";
import type { FaultStack } from "./faults-stack";

export interface RunHistoryCounts {
  /** Ledger rows of settled jobs (one each). */
  ledgerRows: number;
  /** Ledger rows of failed attempts charged while their job stayed in flight (job id `<jobId>#<n>`). */
  attemptRows: number;
  /** Calls charged in all rows. */
  ledgerCalls: number;
  /** Ledger rows per job id above one (must be 0: the primary key, but said plainly). */
  duplicateLedgerRows: number;
  evaluations: number;
  /** Evaluations whose feedback says the job was dead-lettered (scored 0 because every retry failed). */
  deadLetterEvaluations: number;
  candidates: number;
  runStatus: string | null;
}

export async function runHistoryCounts(stack: FaultStack, runId: string): Promise<RunHistoryCounts> {
  const id = runId.replace(/[^a-z0-9_]/gi, ""); // run ids are run_<hex>; nothing to escape
  const [row] = await stack.d1<RunHistoryCounts>(`
    SELECT
      (SELECT count(*) FROM usage_ledger WHERE run_id = '${id}' AND job_id NOT LIKE '%#%') AS ledgerRows,
      (SELECT count(*) FROM usage_ledger WHERE run_id = '${id}' AND job_id LIKE '%#%') AS attemptRows,
      (SELECT coalesce(sum(calls), 0) FROM usage_ledger WHERE run_id = '${id}') AS ledgerCalls,
      (SELECT count(*) - count(DISTINCT job_id) FROM usage_ledger WHERE run_id = '${id}') AS duplicateLedgerRows,
      (SELECT count(*) FROM evaluations WHERE run_id = '${id}') AS evaluations,
      (SELECT count(*) FROM evaluations WHERE run_id = '${id}' AND feedback LIKE '%failed on every retry%') AS deadLetterEvaluations,
      (SELECT count(*) FROM candidates WHERE run_id = '${id}') AS candidates,
      (SELECT status FROM runs WHERE id = '${id}') AS runStatus`);
  return row!;
}

/** Where wrangler's log is now, so that a later read sees only what came after. */
export function logMark(stack: FaultStack): number {
  try {
    return statSync(stack.logFile).size;
  } catch {
    return 0;
  }
}

export interface RetryEvidence {
  /** Failed attempts the consumer retried, by the kind of failure. */
  retriesByKind: Record<string, number>;
  retries: number;
  /** The highest attempt number seen failing (max_retries 5 allows attempts 1-6). */
  maxFailedAttempt: number;
  /** Distinct jobs of the run that were redelivered at least once. */
  redeliveredJobs: number;
  /** Messages the local queue moved to the dead-letter queue (any run). */
  deadLettered: number;
}

/** The consumer's "job <id> attempt <n> failed (<kind>: ...); retry in <s>s" lines for one run, after `from`. */
export function retryEvidence(stack: FaultStack, runId: string, from: number): RetryEvidence {
  let text = "";
  try {
    text = readFileSync(stack.logFile).subarray(from).toString("utf8");
  } catch {
    // no log yet
  }
  const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
  const retriesByKind: Record<string, number> = {};
  const jobs = new Set<string>();
  let retries = 0;
  let maxFailedAttempt = 0;
  for (const m of plain.matchAll(/job (\S+) attempt (\d+) failed \(([a-z_]+)[:)]/g)) {
    if (!m[1]!.startsWith(`${runId}:`)) continue;
    retries++;
    jobs.add(m[1]!);
    maxFailedAttempt = Math.max(maxFailedAttempt, Number(m[2]));
    retriesByKind[m[3]!] = (retriesByKind[m[3]!] ?? 0) + 1;
  }
  const deadLettered = [...plain.matchAll(/to dead letter queue/g)].length;
  return { retriesByKind, retries, maxFailedAttempt, redeliveredJobs: jobs.size, deadLettered };
}

/** The model traffic the service caused: SimLM's counters, and the 429 proxy's when there is one. */
export interface Traffic {
  simlm: SimLmStats;
  proxy: { chatRequests: number; injected429: number } | null;
}

export function trafficOf(stack: FaultStack): Traffic {
  return { simlm: stack.simlm.stats(), proxy: stack.proxy?.counts() ?? null };
}

/** The traffic between two reads: what the service sent, and how each request was answered. */
export function trafficDelta(before: Traffic, after: Traffic) {
  const s0 = before.simlm;
  const s1 = after.simlm;
  const proxied = (f: (p: NonNullable<Traffic["proxy"]>) => number) => (after.proxy && before.proxy ? f(after.proxy) - f(before.proxy) : 0);
  return {
    /** Chat completion requests the service sent (through the proxy, if any). */
    requests: after.proxy ? proxied((p) => p.chatRequests) : s1.requests - s0.requests,
    /** Answered 429: by SimLM's rate limit, or injected by the proxy. */
    rateLimited: s1.rateLimited - s0.rateLimited + proxied((p) => p.injected429),
    /** Accepted by SimLM (each draws its faults). */
    calls: s1.calls - s0.calls,
    completed: s1.completed - s0.completed,
    serverErrors: s1.faults.server_error - s0.faults.server_error,
    malformed: s1.faults.malformed - s0.faults.malformed,
    truncated: s1.faults.truncated - s0.faults.truncated,
    emptyContent: s1.faults.empty_content - s0.faults.empty_content,
    timeouts: s1.faults.timeout - s0.faults.timeout,
  };
}
export type TrafficDelta = ReturnType<typeof trafficDelta>;

export function describeTraffic(d: TrafficDelta): string {
  const pct = (n: number, of: number) => (of === 0 ? "0%" : `${((100 * n) / of).toFixed(1)}%`);
  return (
    `${d.requests} chat requests: ${d.rateLimited} answered 429 (${pct(d.rateLimited, d.requests)}); ` +
    `${d.calls} reached the model: ${d.serverErrors} 500s (${pct(d.serverErrors, d.calls)}), ${d.malformed} malformed (${pct(d.malformed, d.calls)}), ` +
    `${d.truncated} truncated, ${d.emptyContent} empty, ${d.timeouts} timeouts; ${d.completed} usable completions`
  );
}
