/**
 * The end of a fine-tuning run: every finalist is scored on validation, the best becomes
 * champion, then champion and seed are scored on the sealed test split for the report.
 * Pre-training has no final phase: its fitness is already measured on validation.
 */
import { finalists, getCandidate, isSplitDone } from "./candidates";
import { pickChampion } from "./champion";
import { enqueueEvaluation } from "./evaluation";
import { finishRun } from "./finish";
import type { RunState } from "./run-state";
import type { StepContext } from "./step-context";

export function enterFinal(ctx: StepContext): void {
  const s = ctx.s;
  if (s.kind === "pretrain") {
    finishRun(ctx, "completed", "completed");
    return;
  }
  s.phase = "final-val";
  for (const c of finalists(s)) enqueueEvaluation(ctx, c, c.taskId ?? "", "val");
}

export function isFinalValDone(s: RunState): boolean {
  return finalists(s).every((c) => isSplitDone(s, c, c.taskId ?? "", "val"));
}

export function enterFinalTest(ctx: StepContext): void {
  const s = ctx.s;
  s.championId = pickChampion(s).id;
  s.phase = "final-test";
  for (const c of testSubjects(s)) enqueueEvaluation(ctx, c, c.taskId ?? "", "test");
}

export function isFinalTestDone(s: RunState): boolean {
  return testSubjects(s).every((c) => isSplitDone(s, c, c.taskId ?? "", "test"));
}

/** Champion and seed (once, when they are the same candidate). */
function testSubjects(s: RunState) {
  const ids = [...new Set([s.championId ?? s.seedId, s.seedId])];
  return ids.map((id) => getCandidate(s, id));
}
