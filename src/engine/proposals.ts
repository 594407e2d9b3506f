/**
 * Building propose jobs (with the feedback or track record they show) and judging what
 * comes back. Feedback is sampled when the job is built, from the run's RNG.
 */
import { exampleIdsOf, getCandidate, splitMean } from "./candidates";
import { sampleFailures, sampleFeedback } from "./feedback-sampling";
import type { ExampleRef, ProposeJob, TrackRecordEntry } from "./jobs";
import { FIXED_META_OPTIMIZER_PROMPT, METASPO_OPTIMIZER_PROMPT, TEXTGRAD_OPTIMIZER_PROMPT } from "./prompt-templates";
import { adaptedPrompt, isMetaspo, taskPartOf } from "./metaspo";
import { type Candidate, innerKey, type RunState } from "./run-state";

/** Failures shown per pool task in a track record. */
const TRACK_RECORD_FAILURES = 4;

/** What a task-prompt proposal shows beyond SePO's plain format; each field only when set. */
export interface TaskProposalOptions {
  mode?: "task" | "critique";
  /** The text the agent edits when it is not the parent's whole text (MetaSPO: the task part). */
  parentPrompt?: string;
  /** MetaSPO: the fixed shared system prompt before the task part. */
  sharedPrompt?: string;
  /** TextGrad: the critique the rewrite acts on. */
  critique?: string;
  /** Refs already drawn: TextGrad's rewrite shows its critique's minibatch again. */
  feedback?: ExampleRef[];
}

/** A task-prompt proposal: `systemPrompt` is the prompt agent, feedback is the parent's train results. */
export function taskProposalJob(s: RunState, jobId: string, systemPrompt: string, parent: Candidate, taskId: string, options: TaskProposalOptions = {}): ProposeJob {
  const feedback =
    options.feedback ??
    sampleFeedback(s.rng, { candidateId: parent.id, exampleIds: exampleIdsOf(s, taskId, "train"), scores: parent.scores[taskId]?.train ?? [] }, s.config.feedbackSize);
  const parentPrompt = options.parentPrompt ?? parent.text;
  const job: ProposeJob = { ...agentCallBase(s, jobId), type: "propose", mode: options.mode ?? "task", systemPrompt, parentPrompt, taskId, feedback, trackRecord: [] };
  if (options.critique !== undefined) job.critique = options.critique;
  if (options.sharedPrompt !== undefined) job.sharedPrompt = options.sharedPrompt;
  return job;
}

/** TextGrad's first call: the fixed optimizer critiques `parent` from a minibatch of its train results. */
export function critiqueJob(s: RunState, jobId: string, parent: Candidate): ProposeJob {
  return taskProposalJob(s, jobId, TEXTGRAD_OPTIMIZER_PROMPT, parent, parent.taskId ?? "", { mode: "critique" });
}

/** TextGrad's second call: the fixed optimizer rewrites `parent` given the critique, on the critique's minibatch. */
export function rewriteJob(s: RunState, jobId: string, parent: Candidate, critique: string, feedback: ExampleRef[]): ProposeJob {
  return taskProposalJob(s, jobId, TEXTGRAD_OPTIMIZER_PROMPT, parent, parent.taskId ?? "", { critique, feedback });
}

/** MetaSPO: the fixed optimizer rewrites the task part of `parent`, shown `shared` as fixed context. */
export function metaspoTaskJob(s: RunState, jobId: string, parent: Candidate, taskId: string, shared: string | null): ProposeJob {
  if (shared === null) return taskProposalJob(s, jobId, METASPO_OPTIMIZER_PROMPT, parent, taskId);
  return taskProposalJob(s, jobId, METASPO_OPTIMIZER_PROMPT, parent, taskId, { parentPrompt: taskPartOf(shared, parent.text), sharedPrompt: shared });
}

/**
 * A self-referential proposal: the parent agent rewrites itself (or, in the
 * fixed-optimizer ablation, a fixed meta-optimizer rewrites it), shown what its inner
 * fine-tunings achieved on each pool task.
 */
export function agentProposalJob(s: RunState, jobId: string, parent: Candidate): ProposeJob {
  const systemPrompt = s.config.selfImprove ? parent.text : FIXED_META_OPTIMIZER_PROMPT;
  const trackRecord = s.tasks.map((task) => trackRecordEntry(s, parent, task.taskId));
  return { ...agentCallBase(s, jobId), type: "propose", mode: "agent", systemPrompt, parentPrompt: parent.text, feedback: [], trackRecord };
}

/**
 * MetaSPO's outer step: the fixed optimizer rewrites the shared system prompt `parent`,
 * shown each pool task's full prompt under it (after the inner adaptation) and failures.
 */
export function systemProposalJob(s: RunState, jobId: string, parent: Candidate): ProposeJob {
  const trackRecord = s.tasks.map((task) => trackRecordEntry(s, parent, task.taskId));
  return { ...agentCallBase(s, jobId), type: "propose", mode: "system", systemPrompt: METASPO_OPTIMIZER_PROMPT, parentPrompt: parent.text, feedback: [], trackRecord };
}

function trackRecordEntry(s: RunState, parent: Candidate, taskId: string): TrackRecordEntry {
  const run = s.innerRuns[innerKey(parent.id, taskId)];
  const seed = getCandidate(s, run?.seedCandidateId ?? s.seedTasks[taskId] ?? "");
  const bestChildId = run?.bestChildId ?? null;
  // SePO shows what the agent produced; MetaSPO what its greedy adaptation kept.
  const produced = run && isMetaspo(s) ? adaptedPrompt(s, run) : bestChildId ? getCandidate(s, bestChildId) : seed;
  const seedScore = splitMean(seed, taskId, "val") ?? 0;
  const failures = sampleFailures(
    s.rng,
    { candidateId: produced.id, exampleIds: exampleIdsOf(s, taskId, "val"), scores: produced.scores[taskId]?.val ?? [] },
    TRACK_RECORD_FAILURES,
  );
  return {
    taskId,
    seedPrompt: seed.text,
    producedPrompt: produced.text,
    seedScore,
    producedScore: splitMean(produced, taskId, "val") ?? seedScore,
    failures,
  };
}

function agentCallBase(s: RunState, jobId: string) {
  return { v: 1 as const, jobId, runId: s.runId, model: s.agentModel, maxOutputTokens: s.config.maxOutputTokens.agent };
}

/**
 * Why a proposed text cannot become a child, or null when it can: no prompt in the
 * answer, too long, or the parent again (an unchanged prompt teaches nothing and would
 * only re-measure noise).
 */
export function proposalProblem(text: string | null, parentText: string, maxChars: number): string | null {
  if (text === null) return "no prompt in answer";
  if (text.trim().length === 0) return "empty prompt";
  if (text.length > maxChars) return `prompt longer than ${maxChars} characters`;
  if (text.trim() === parentText.trim()) return "unchanged";
  return null;
}
