/**
 * Which of a run's domain events subscribers hear about, as webhook events. Pure, like
 * run-history.ts beside the D1 writes: the Durable Object keeps the result in its outbox
 * with the step that caused it. Event ids are derived from the run and the occurrence, so
 * a replayed outbox entry yields the same ids and receivers can de-duplicate on
 * `webhook-id`.
 */
import type { DomainEvent } from "../engine/types";
import type { WebhookEventMessage } from "./queue-message";

export function runNotices(runId: string, events: DomainEvent[]): WebhookEventMessage[] {
  return events.flatMap((event) => noticesFor(runId, event));
}

function notice(runId: string, occurrence: string, type: WebhookEventMessage["type"], at: number, data: Record<string, unknown>): WebhookEventMessage {
  return { kind: "event", eventId: `evt_${runId.replace(/^run_/, "")}_${occurrence}`, type, at, runId, data: { runId, ...data } };
}

function noticesFor(runId: string, event: DomainEvent): WebhookEventMessage[] {
  switch (event.type) {
    case "run.started":
      return [notice(runId, "started", "run.started", event.at, { kind: event.kind })];
    case "generation.completed":
      return [notice(runId, `gen${event.generation}`, "generation.completed", event.at, { generation: event.generation, bestId: event.bestId, bestFitness: event.bestFitness })];
    case "candidate.admitted":
      return [notice(runId, `adm_${event.candidateId}`, "candidate.admitted", event.at, { candidateId: event.candidateId, fitness: event.fitness, parentFitness: event.parentFitness })];
    case "budget.threshold":
      return [
        notice(runId, `budget${Math.round(event.threshold * 100)}`, "budget.threshold", event.at, {
          scope: "run",
          threshold: event.threshold,
          dimension: event.dimension,
          spent: event.spent,
          limits: event.limits,
        }),
      ];
    case "run.finished": {
      const { report } = event;
      const summary = { status: event.status, reason: event.reason, kind: report.kind, championId: report.championId, tasks: report.tasks, spent: report.spent, promotion: report.promotion ?? null };
      const finished = notice(runId, "finished", event.status === "failed" ? "run.failed" : "run.finished", event.at, summary);
      const task = report.tasks[0];
      if (report.kind !== "finetune" || !report.promotion?.promote || !task || !report.championId) return [finished];
      const promoted = notice(runId, "promoted", "champion.promoted", event.at, {
        taskId: task.taskId,
        candidateId: report.championId,
        text: report.championText,
        scores: task.champion,
        promotion: report.promotion,
      });
      return [promoted, finished];
    }
    default:
      return [];
  }
}
