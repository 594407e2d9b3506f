/**
 * MetaSPO's prompt layout: a task's full prompt is the shared system prompt, a blank
 * line, then the task part. Only full prompts are evaluated; the optimizer edits one part
 * at a time and sees the other as fixed context.
 */
import { getCandidate, splitMean } from "./candidates";
import type { Candidate, InnerRun, RunState } from "./run-state";

const SEPARATOR = "\n\n";

/** The full prompt of a task part under a shared prompt (none: the part alone). */
export function composePrompt(shared: string | null, part: string): string {
  return shared === null ? part : `${shared}${SEPARATOR}${part}`;
}

/** Bytes `composePrompt` adds to the part: the shared prompt and the separator. */
export function sharedPrefixBytes(sharedBytes: number | null): number {
  return sharedBytes === null ? 0 : sharedBytes + SEPARATOR.length;
}

/** The task part of a full prompt (the whole text when it does not start with `shared`). */
export function taskPartOf(shared: string | null, text: string): string {
  if (shared === null) return text;
  const prefix = `${shared}${SEPARATOR}`;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

export function isMetaspo(s: RunState): boolean {
  return s.config.method === "metaspo";
}

/**
 * The shared prompt a task candidate is evaluated under: the run's fixed prefix in a
 * MetaSPO fine-tuning, the inner run's shared-prompt candidate in a MetaSPO pre-training.
 */
export function sharedPromptOf(s: RunState, run: InnerRun | null): string | null {
  if (!isMetaspo(s)) return null;
  if (s.kind === "finetune") return s.sharedPrompt;
  return run ? getCandidate(s, run.agentId).text : null;
}

/** The start of `agent`'s inner run on a task has its train (feedback) and val (baseline) scores. */
export function innerRunAwaitingStart(s: RunState, start: Candidate): InnerRun | null {
  return Object.values(s.innerRuns).find((run) => run.seedCandidateId === start.id && !run.done && run.stepsDone === 0 && run.childId === null) ?? null;
}

/**
 * What a MetaSPO inner adaptation ends with: like its outer loop it is greedy, so the best
 * child when that beats the start on validation, else the start itself.
 */
export function adaptedPrompt(s: RunState, run: InnerRun): Candidate {
  const start = getCandidate(s, run.seedCandidateId);
  const best = run.bestChildId ? getCandidate(s, run.bestChildId) : null;
  const val = (c: Candidate) => splitMean(c, run.taskId, "val") ?? 0;
  return best && val(best) > val(start) ? best : start;
}
