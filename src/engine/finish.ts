/** Ending a run, whatever the reason: champion, report, and the final events. */
import { getCandidate } from "./candidates";
import { lineage, pickChampion } from "./champion";
import { buildReport } from "./run-report";
import type { StepContext } from "./step-context";
import type { RunStatus } from "./types";

/**
 * Finishes the run with what exists. A champion chosen by the final phase stands;
 * otherwise (budget exhausted, cancelled) the best finalist by the scores available is
 * taken. Queued jobs are dropped; results of jobs still in flight will be ignored.
 * A completed pre-training run with a scored champion yields an agent snapshot.
 */
export function finishRun(ctx: StepContext, status: RunStatus, reason: string): void {
  const s = ctx.s;
  s.status = status;
  s.stopReason = reason;
  s.phase = "done";
  s.finishedAt = ctx.now;
  s.queue = [];
  const champion = s.championId ? getCandidate(s, s.championId) : pickChampion(s);
  s.championId = champion.id;
  const report = buildReport(s, champion);
  s.report = report;
  if (s.kind === "pretrain" && status === "completed" && champion.fitness !== null) {
    ctx.events.push({
      type: "snapshot.created",
      at: ctx.now,
      snapshotKind: s.config.method === "metaspo" ? "shared-system-prompt" : "prompt-agent",
      agentCandidateId: champion.id,
      text: champion.text,
      fitness: champion.fitness,
      lineage: lineage(s, champion.id),
    });
  }
  ctx.events.push({ type: "run.finished", at: ctx.now, status, reason, report });
}
