/**
 * Upper bounds on what a job can cost, from byte counts: a BPE token covers at least
 * one byte, so the UTF-8 size of everything sent bounds the prompt tokens, and the
 * job's max_tokens bounds the completion.
 */
import type { EvaluateJob, Job, ProposeJob } from "./jobs";
import { usdOf } from "./budget";
import { MAX_SHOWN_INPUT_CHARS, MAX_SHOWN_OUTPUT_CHARS } from "./prompt-templates";
import type { RunState } from "./run-state";
import type { ExampleMeta, Spend } from "./types";
import { utf8Length } from "./utf8";

/** Per call: role markers and chat framing around the system and user messages. */
export const CALL_OVERHEAD_BYTES = 64;
/** Per proposal: the fixed text of the proposal template. */
export const TEMPLATE_SLACK_BYTES = 2048;
/**
 * Per shown example or track-record task: its tags, attributes and clipping marker.
 * Not in the brief's formula; added because 16 examples' tags alone outgrow the slack.
 */
const ITEM_OVERHEAD_BYTES = 256;
/** A character is at most 4 UTF-8 bytes, so a clipped field is at most 4x its character cap. */
const SHOWN_INPUT_BYTES = MAX_SHOWN_INPUT_CHARS * 4;
const SHOWN_OUTPUT_BYTES = MAX_SHOWN_OUTPUT_CHARS * 4;

/** Calls, tokens (prompt/completion split) and USD that the job cannot exceed. */
export function estimateJob(s: RunState, job: Job): Spend {
  const promptTokens = job.type === "evaluate" ? evaluatePromptBytes(s, job) : proposePromptBytes(s, job);
  const calls = job.type === "evaluate" ? job.exampleIds.length * (job.attempts ?? 1) : 1;
  const completionTokens = calls * job.maxOutputTokens;
  const tokens = { promptTokens, completionTokens };
  return { calls, ...tokens, usd: usdOf(tokens, s.config.prices[job.model.model]) };
}

function evaluatePromptBytes(s: RunState, job: EvaluateJob): number {
  const system = utf8Length(job.prompt);
  let total = 0;
  for (const id of job.exampleIds) total += system + (exampleMeta(s, job.taskId, id)?.inputBytes ?? 0) + CALL_OVERHEAD_BYTES;
  return total * (job.attempts ?? 1);
}

function proposePromptBytes(s: RunState, job: ProposeJob): number {
  const user = job.mode === "agent" || job.mode === "system" ? agentProposalBytes(s, job) : taskProposalBytes(s, job);
  return utf8Length(job.systemPrompt) + user + CALL_OVERHEAD_BYTES;
}

/** A task proposal or a critique request: the parent, its context (critique, shared prompt) and the feedback shown. */
function taskProposalBytes(s: RunState, job: ProposeJob): number {
  let total = utf8Length(job.parentPrompt) + utf8Length(job.critique ?? "") + utf8Length(job.sharedPrompt ?? "") + TEMPLATE_SLACK_BYTES;
  for (const ref of job.feedback) total += feedbackItemBytes(exampleMeta(s, job.taskId ?? "", ref.exampleId));
  return total;
}

/** A self-referential proposal, or MetaSPO's system-prompt proposal: the parent and a track record. */
function agentProposalBytes(s: RunState, job: ProposeJob): number {
  let total = utf8Length(job.parentPrompt) + TEMPLATE_SLACK_BYTES;
  for (const entry of job.trackRecord) {
    // The consumer shows the task's name, or its id when the task is gone.
    const name = s.tasks.find((t) => t.taskId === entry.taskId)?.name ?? "";
    const labelBytes = utf8Length(name) + utf8Length(entry.taskId);
    total += trackRecordEntryBytes(utf8Length(entry.seedPrompt), utf8Length(entry.producedPrompt), labelBytes, entry.failures.length);
  }
  return total;
}

/** One example shown as feedback: input and expected as clipped, output and feedback at their caps. */
export function feedbackItemBytes(meta: ExampleMeta | undefined): number {
  const input = Math.min(meta?.inputBytes ?? SHOWN_INPUT_BYTES, SHOWN_INPUT_BYTES);
  const expected = Math.min(meta?.expectedBytes ?? SHOWN_INPUT_BYTES, SHOWN_INPUT_BYTES);
  return input + expected + SHOWN_OUTPUT_BYTES * 2 + ITEM_OVERHEAD_BYTES;
}

/** One pool task in a track record; a failure is bounded by the clip caps, whatever the example. */
export function trackRecordEntryBytes(seedBytes: number, producedBytes: number, labelBytes: number, failures: number): number {
  return seedBytes + producedBytes + labelBytes + failures * (SHOWN_INPUT_BYTES * 2 + SHOWN_OUTPUT_BYTES * 2 + ITEM_OVERHEAD_BYTES) + ITEM_OVERHEAD_BYTES;
}

/** An example's size record, looked up in every split of the task. */
export function exampleMeta(s: RunState, taskId: string, exampleId: string): ExampleMeta | undefined {
  const task = s.tasks.find((t) => t.taskId === taskId);
  if (!task) return undefined;
  return task.splits.train.find((e) => e.id === exampleId) ?? task.splits.val.find((e) => e.id === exampleId) ?? task.splits.test.find((e) => e.id === exampleId);
}
