/**
 * Scoring a candidate on a split: the split's example list is cut into evaluate jobs, and
 * each job's rows land at their positions in the candidate's score array.
 */
import { completeScores, exampleIdsOf } from "./candidates";
import type { EvaluateJob, EvaluationRow } from "./jobs";
import { mean } from "./stats";
import type { Candidate, PendingJob } from "./run-state";
import type { StepContext } from "./step-context";
import type { Split } from "./types";
import { enqueueJob } from "./work-queue";

/**
 * Queues the evaluation of `c` on a split, in chunks of `evalChunkSize`. Does nothing
 * for an empty split or one already scored or being scored.
 */
export function enqueueEvaluation(ctx: StepContext, c: Candidate, taskId: string, split: Split): void {
  const s = ctx.s;
  const ids = exampleIdsOf(s, taskId, split);
  if (ids.length === 0 || c.scores[taskId]?.[split]) return;
  const task = s.tasks.find((t) => t.taskId === taskId);
  if (!task) throw new Error(`engine invariant: unknown task ${taskId}`);
  const perTask = (c.scores[taskId] ??= {});
  perTask[split] = ids.map(() => null);
  const size = s.config.evalChunkSize;
  for (let start = 0; start < ids.length; start += size) {
    const exampleIds = ids.slice(start, start + size);
    enqueueJob(
      ctx,
      (jobId): EvaluateJob => ({
        v: 1,
        jobId,
        runId: s.runId,
        model: task.model,
        maxOutputTokens: s.config.maxOutputTokens.task,
        type: "evaluate",
        taskId,
        candidateId: c.id,
        prompt: c.text,
        split,
        exampleIds,
        ...(task.attempts > 1 ? { attempts: task.attempts } : {}),
      }),
      { type: "evaluate", candidateId: c.id, taskId, split },
    );
  }
}

/** What an evaluate job came back with: rows, or the reason it failed as a whole. */
export type EvaluationOutcome = { rows: readonly EvaluationRow[] } | { reason: string };

/**
 * Records an evaluate job's outcome: `evaluation.recorded` with one row per example of
 * the job (a missing row scores 0), then `candidate.scored` when the split is complete.
 * Returns the candidate when this job completed its split, else null.
 */
export function recordEvaluation(ctx: StepContext, pending: PendingJob, outcome: EvaluationOutcome): Candidate | null {
  const { job, purpose } = pending;
  if (job.type !== "evaluate" || purpose.type !== "evaluate") throw new Error("engine invariant: not an evaluation");
  const c = ctx.s.candidates[purpose.candidateId];
  const scores = c?.scores[purpose.taskId]?.[purpose.split];
  if (!c || !scores) throw new Error(`engine invariant: no score slots for ${purpose.candidateId}`);
  const rows = job.exampleIds.map((id) => rowFor(id, outcome));
  ctx.events.push({ type: "evaluation.recorded", at: ctx.now, candidateId: c.id, taskId: purpose.taskId, split: purpose.split, rows });
  const ids = ctx.s.exampleSets[purpose.taskId]?.[purpose.split] ?? [];
  for (const row of rows) {
    const index = ids.indexOf(row.exampleId);
    if (index >= 0) scores[index] = row.score;
  }
  const complete = completeScores(c, purpose.taskId, purpose.split);
  if (!complete) return null;
  ctx.events.push({ type: "candidate.scored", at: ctx.now, candidateId: c.id, taskId: purpose.taskId, split: purpose.split, score: mean(complete), n: complete.length });
  return c;
}

/** Never raise for one example: a missing or malformed row is a score of 0 with a reason. */
function rowFor(exampleId: string, outcome: EvaluationOutcome): EvaluationRow {
  if ("reason" in outcome) return zeroRow(exampleId, outcome.reason);
  const row = outcome.rows.find((r) => r.exampleId === exampleId);
  if (!row) return zeroRow(exampleId, "missing result");
  const score = Number.isFinite(row.score) ? Math.min(1, Math.max(0, row.score)) : 0;
  return { ...row, score };
}

function zeroRow(exampleId: string, feedback: string): EvaluationRow {
  return { exampleId, output: "", score: 0, feedback, promptTokens: 0, completionTokens: 0 };
}
