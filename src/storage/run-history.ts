/**
 * Translates the engine's domain events into D1 writes. Every write is keyed by ids the
 * engine chose and is an upsert or an insert-or-ignore, so replaying an outbox entry
 * after a crash writes nothing twice.
 */
import type { DomainEvent, RunReport } from "../engine/types";
import { releaseReservationSql } from "./budget-repo";
import { appendChampionSql } from "./champion-repo";
import type { SqlStatement } from "./sql-statement";

export function historyStatements(runId: string, events: DomainEvent[]): SqlStatement[] {
  return events.flatMap((event) => statementsFor(runId, event));
}

function statementsFor(runId: string, event: DomainEvent): SqlStatement[] {
  switch (event.type) {
    case "candidate.created": {
      const c = event.candidate;
      return [
        {
          sql: `INSERT OR IGNORE INTO candidates (id, run_id, kind, task_id, parent_id, generation, text, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [c.id, runId, c.kind, c.taskId, c.parentId, c.generation, c.text, c.status, event.at, event.at],
        },
      ];
    }
    case "candidate.scored":
      return [
        {
          sql: `UPDATE candidates SET scores = json_set(scores, ?, json(?)), updated_at = ? WHERE id = ?`,
          params: [`$."${event.taskId}/${event.split}"`, JSON.stringify({ score: event.score, n: event.n }), event.at, event.candidateId],
        },
      ];
    case "candidate.admitted":
    case "candidate.rejected":
      return [
        {
          sql: `UPDATE candidates SET status = ?, fitness = ?, updated_at = ? WHERE id = ?`,
          params: [event.type === "candidate.admitted" ? "admitted" : "rejected", event.fitness, event.at, event.candidateId],
        },
      ];
    case "evaluation.recorded":
      return event.rows.map((row) => ({
        sql: `INSERT OR REPLACE INTO evaluations (candidate_id, example_id, run_id, task_id, split, output, score, feedback, prompt_tokens, completion_tokens, created_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        params: [event.candidateId, row.exampleId, runId, event.taskId, event.split, row.output, row.score, row.feedback, row.promptTokens, row.completionTokens, event.at],
      }));
    case "job.settled":
      return [
        {
          sql: `INSERT OR IGNORE INTO usage_ledger (job_id, run_id, role, model, calls, prompt_tokens, completion_tokens, usd, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [event.jobId, runId, event.role, event.model, event.usage.calls, event.usage.promptTokens, event.usage.completionTokens, event.usd, event.at],
        },
      ];
    case "snapshot.created":
      // The snapshot belongs to the run's project, read from the runs row the run wrote first.
      return [
        {
          sql: `INSERT OR IGNORE INTO agent_snapshots (id, run_id, candidate_id, kind, text, fitness, lineage, created_at, project_id)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, project_id FROM runs WHERE id = ?`,
          params: [snapshotIdFor(runId), runId, event.agentCandidateId, event.snapshotKind, event.text, event.fitness, JSON.stringify(event.lineage), event.at, runId],
        },
      ];
    case "candidate.fitness":
      return [{ sql: `UPDATE candidates SET fitness = ?, updated_at = ? WHERE id = ?`, params: [event.fitness, event.at, event.candidateId] }];
    case "generation.completed":
      return [{ sql: `UPDATE runs SET updated_at = ? WHERE id = ?`, params: [event.at, runId] }];
    case "run.finished":
      return [
        {
          sql: `UPDATE runs SET status = ?, reason = ?, report = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
          params: [event.status, event.reason, JSON.stringify(event.report), event.at, event.at, runId],
        },
        ...promotionStatements(runId, event.report, event.at),
        releaseReservationSql(runId), // the project budget now counts the run's real spending (usage_ledger)
      ];
    default:
      return [];
  }
}

/** The agent snapshot a pre-training run produces has an id derived from the run's, so it is written once. */
export function snapshotIdFor(runId: string): string {
  return `agt_${runId.replace(/^run_/, "")}`;
}

/**
 * A fine-tuning champion becomes the task's live prompt when the engine's promotion gate
 * (a paired bootstrap on validation against the live prompt the run started from) says so.
 */
function promotionStatements(runId: string, report: RunReport, at: number): SqlStatement[] {
  const task = report.tasks[0];
  if (report.kind !== "finetune" || !task || !report.championId || report.championText === null) return [];
  if (!report.promotion?.promote) return [];
  return appendChampionSql({
    taskId: task.taskId,
    text: report.championText,
    source: "run",
    runId,
    candidateId: report.championId,
    scores: task.champion,
    now: at,
  });
}
