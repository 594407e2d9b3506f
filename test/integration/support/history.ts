/** What D1 holds about one run: the history the run's Durable Object writes. */
import { env } from "cloudflare:workers";

export interface RunHistory {
  run: { status: string; reason: string | null; report: any; agent_snapshot_id: string | null } | null;
  candidates: Array<{ id: string; kind: string; status: string; fitness: number | null; scores: Record<string, { score: number; n: number }> }>;
  evaluations: number;
  ledger: { rows: number; calls: number; promptTokens: number; completionTokens: number };
}

export async function runHistory(runId: string): Promise<RunHistory> {
  const [run, candidates, evaluations, ledger] = await env.DB.batch<any>([
    env.DB.prepare("SELECT status, reason, report, agent_snapshot_id FROM runs WHERE id = ?").bind(runId),
    env.DB.prepare("SELECT id, kind, status, fitness, scores FROM candidates WHERE run_id = ? ORDER BY created_at, id").bind(runId),
    env.DB.prepare("SELECT count(*) AS n FROM evaluations WHERE run_id = ?").bind(runId),
    env.DB.prepare(
      `SELECT count(*) AS rows, coalesce(sum(calls), 0) AS calls, coalesce(sum(prompt_tokens), 0) AS promptTokens,
              coalesce(sum(completion_tokens), 0) AS completionTokens
       FROM usage_ledger WHERE run_id = ?`,
    ).bind(runId),
  ]);
  const runRow = run!.results[0] ?? null;
  return {
    run: runRow ? { ...runRow, report: runRow.report ? JSON.parse(runRow.report) : null } : null,
    candidates: candidates!.results.map((c: any) => ({ ...c, scores: JSON.parse(c.scores) })),
    evaluations: evaluations!.results[0].n,
    ledger: ledger!.results[0],
  };
}

/** Rows of one job: its ledger entry and the evaluations it wrote (as scores). */
export async function jobRows(runId: string, jobId: string, candidateId: string) {
  const ledger = await env.DB.prepare("SELECT calls, prompt_tokens AS promptTokens FROM usage_ledger WHERE job_id = ?").bind(jobId).all();
  const evaluations = await env.DB.prepare("SELECT example_id, score, feedback FROM evaluations WHERE run_id = ? AND candidate_id = ?")
    .bind(runId, candidateId)
    .all<any>();
  return { ledger: ledger.results, evaluations: evaluations.results };
}
