/**
 * TextGrad's two-call step (RunConfig.method "textgrad"): a generation's slot first gets
 * a critique of its parent (the "textual gradient"), then a rewrite that acts on it. The
 * rewrite is an ordinary `propose-child` job, so scoring and the linear chain are shared
 * with the other methods.
 */
import { getCandidate } from "./candidates";
import { failSlot } from "./generation";
import type { Job } from "./jobs";
import { MAX_CRITIQUE_CHARS } from "./prompt-templates";
import { rewriteJob } from "./proposals";
import type { StepContext } from "./step-context";
import { enqueueJob } from "./work-queue";

/**
 * Applies a critique: a non-empty one queues the slot's rewrite, shown the same minibatch
 * the critique saw; anything else fails the slot (the chain stays where it is). The text
 * is clipped so the rewrite's budget bound holds whatever the consumer returned.
 */
export function onCritique(ctx: StepContext, slotIndex: number, job: Job, text: string | null, failure: string | null): void {
  const s = ctx.s;
  const slot = s.slots[slotIndex];
  if (!slot) throw new Error(`engine invariant: unknown slot ${slotIndex}`);
  const critique = text?.trim().slice(0, MAX_CRITIQUE_CHARS) ?? "";
  if (failure !== null || critique.length === 0) {
    failSlot(ctx, slotIndex, `critique: ${failure ?? "empty critique"}`);
    return;
  }
  const parent = getCandidate(s, slot.parentId);
  const feedback = job.type === "propose" ? job.feedback : [];
  enqueueJob(ctx, (jobId) => rewriteJob(s, jobId, parent, critique, feedback), { type: "propose-child", slot: slotIndex });
}
