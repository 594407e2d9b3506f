/**
 * The live progress protocol: the messages a run's subscribers receive (Server-Sent
 * Events or WebSocket, same JSON either way). Every message carries the run's sequence
 * number `seq` (1, 2, 3, ... over the run's life) and the time `at` (epoch ms).
 *
 * A fresh subscriber first gets a `snapshot` (the RunSummary, `seq` = the last message
 * it already reflects), then one message per fact the engine reports, in order. The last
 * message of a run is `run.finished`, after which the server closes the stream.
 *
 * Messages are compact on purpose: a stream is watched by dashboards and terminals, so
 * nothing here carries per-example rows or model outputs (read them from
 * `GET /v1/runs/:id/candidates/:candidateId`), and prompt texts only in `run.finished`'s
 * report and the snapshot's `best`.
 */
import type { RunSummary } from "../src/engine";
import type { BudgetLedger } from "../src/engine/run-state";
import type { BudgetLimits, CandidateView, DomainEvent, RunKind, RunReport, RunStatus, SnapshotKind, Spend, Split } from "../src/engine/types";

/** Longest failure reason sent; the full one is in D1 and the run's report. */
const MAX_REASON_CHARS = 300;

type AdmissionVerdict = { candidateId: string; fitness: number; parentFitness: number; epsilon: number };

/** A message before the log numbers it. */
export type LiveEntry = { at: number } & (
  | { type: "snapshot"; run: RunSummary }
  | { type: "run.started"; kind: RunKind }
  | { type: "generation.started"; generation: number }
  | { type: "generation.completed"; generation: number; bestId: string; bestFitness: number }
  /** `chars` is the prompt's length; its text is in the candidate's record. */
  | { type: "candidate.created"; candidateId: string; kind: "task" | "agent"; taskId: string | null; parentId: string | null; generation: number; status: CandidateView["status"]; chars: number }
  /** One evaluate job's examples were scored: how many, and their mean (never the rows). */
  | { type: "evaluation.recorded"; candidateId: string; taskId: string; split: Split; examples: number; meanScore: number }
  /** A split of a candidate is complete: its mean over `n` examples. */
  | { type: "candidate.scored"; candidateId: string; taskId: string; split: Split; score: number; n: number }
  | { type: "candidate.fitness"; candidateId: string; fitness: number }
  | ({ type: "candidate.admitted" } & AdmissionVerdict)
  | ({ type: "candidate.rejected" } & AdmissionVerdict)
  | { type: "proposal.failed"; parentId: string; reason: string }
  /** After every step that settled jobs: the ledger as it stands (sent instead of one message per job). */
  | ({ type: "budget" } & Pick<BudgetLedger, "limits" | "spent" | "reserved" | "spentByRole">)
  | { type: "budget.exhausted"; spent: Spend; limits: BudgetLimits }
  | { type: "budget.threshold"; threshold: number; dimension: string; spent: Spend; limits: BudgetLimits }
  /** A pre-training's product; its text is in `GET /v1/agents/:id`. */
  | { type: "snapshot.created"; snapshotKind: SnapshotKind; agentCandidateId: string; fitness: number; lineage: string[] }
  /** Always the last message. `report` is null only for a run that ended without one. */
  | { type: "run.finished"; status: RunStatus; reason: string; report: RunReport | null }
);

export type LiveMessage = LiveEntry & { seq: number };
export type LiveMessageType = LiveMessage["type"];

/**
 * The messages for one engine step's events. `job.settled` facts become one `budget`
 * message with the ledger after the step, placed before `run.finished` (which stays last).
 */
export function toLiveEntries(events: DomainEvent[], budget: BudgetLedger): LiveEntry[] {
  const entries: LiveEntry[] = [];
  let settledAt: number | null = null;
  for (const event of events) {
    if (event.type === "job.settled") settledAt = event.at;
    else entries.push(toEntry(event));
  }
  if (settledAt !== null) {
    const message: LiveEntry = { type: "budget", at: settledAt, limits: budget.limits, spent: budget.spent, reserved: budget.reserved, spentByRole: budget.spentByRole };
    const finished = entries.findIndex((e) => e.type === "run.finished");
    entries.splice(finished === -1 ? entries.length : finished, 0, message);
  }
  return entries;
}

/**
 * One event's message. The switch is exhaustive (no default) so that a new DomainEvent
 * does not compile until someone decides what subscribers see of it.
 */
function toEntry(event: Exclude<DomainEvent, { type: "job.settled" }>): LiveEntry {
  const { at } = event;
  switch (event.type) {
    case "run.started":
      return { type: event.type, at, kind: event.kind };
    case "generation.started":
      return { type: event.type, at, generation: event.generation };
    case "generation.completed":
      return { type: event.type, at, generation: event.generation, bestId: event.bestId, bestFitness: event.bestFitness };
    case "candidate.created": {
      const c = event.candidate;
      return { type: event.type, at, candidateId: c.id, kind: c.kind, taskId: c.taskId, parentId: c.parentId, generation: c.generation, status: c.status, chars: c.text.length };
    }
    case "evaluation.recorded": {
      const meanScore = event.rows.length === 0 ? 0 : event.rows.reduce((sum, row) => sum + row.score, 0) / event.rows.length;
      return { type: event.type, at, candidateId: event.candidateId, taskId: event.taskId, split: event.split, examples: event.rows.length, meanScore };
    }
    case "candidate.scored":
      return { type: event.type, at, candidateId: event.candidateId, taskId: event.taskId, split: event.split, score: event.score, n: event.n };
    case "candidate.fitness":
      return { type: event.type, at, candidateId: event.candidateId, fitness: event.fitness };
    case "candidate.admitted":
    case "candidate.rejected":
      return { type: event.type, at, candidateId: event.candidateId, fitness: event.fitness, parentFitness: event.parentFitness, epsilon: event.epsilon };
    case "proposal.failed":
      return { type: event.type, at, parentId: event.parentId, reason: event.reason.slice(0, MAX_REASON_CHARS) };
    case "budget.exhausted":
      return { type: event.type, at, spent: event.spent, limits: event.limits };
    case "budget.threshold":
      return { type: event.type, at, threshold: event.threshold, dimension: event.dimension, spent: event.spent, limits: event.limits };
    case "snapshot.created":
      return { type: event.type, at, snapshotKind: event.snapshotKind, agentCandidateId: event.agentCandidateId, fitness: event.fitness, lineage: event.lineage };
    case "run.finished":
      return { type: event.type, at, status: event.status, reason: event.reason, report: event.report };
  }
}
