/**
 * The phase machine: after every change, move the run as far forward as the state
 * allows (seed scored -> generations -> final phase -> finished). Each branch either
 * waits for results or changes phase, so the loop always ends.
 */
import { getCandidate, isSplitDone } from "./candidates";
import { enterFinal, enterFinalTest, isFinalTestDone, isFinalValDone } from "./final-phase";
import { finishRun } from "./finish";
import { completeGeneration, isGenerationComplete, startGeneration } from "./generation";
import { startInnerRuns } from "./inner-finetune";
import { innerKey } from "./run-state";
import type { StepContext } from "./step-context";

export function advance(ctx: StepContext): void {
  const s = ctx.s;
  for (;;) {
    if (s.status !== "running") return;
    if (s.phase === "seed") {
      if (!progressSeed(ctx)) return;
      if (s.config.generations > 0) startGeneration(ctx);
      else enterFinal(ctx);
    } else if (s.phase === "evolve") {
      if (!isGenerationComplete(s)) return;
      completeGeneration(ctx);
      if (s.generation < s.config.generations) startGeneration(ctx);
      else enterFinal(ctx);
    } else if (s.phase === "final-val") {
      if (!isFinalValDone(s)) return;
      enterFinalTest(ctx);
    } else if (s.phase === "final-test") {
      if (isFinalTestDone(s)) finishRun(ctx, "completed", "completed");
      return;
    } else return;
  }
}

/**
 * True once the seed's fitness is known. Pre-training first scores every pool task's seed
 * prompt, then runs the seed agent's inner fine-tunings, which need those scores.
 */
function progressSeed(ctx: StepContext): boolean {
  const s = ctx.s;
  const seed = getCandidate(s, s.seedId);
  if (s.kind === "finetune") return seed.fitness !== null;
  const seedTasksScored = s.tasks.every((task) => {
    const c = getCandidate(s, s.seedTasks[task.taskId] ?? "");
    return isSplitDone(s, c, task.taskId, "train") && isSplitDone(s, c, task.taskId, "val");
  });
  if (!seedTasksScored) return false;
  const firstTask = s.tasks[0];
  if (firstTask && !s.innerRuns[innerKey(seed.id, firstTask.taskId)]) startInnerRuns(ctx, seed);
  return seed.fitness !== null;
}
