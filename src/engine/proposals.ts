/**
 * Building propose jobs (with the feedback or track record they show) and judging what
 * comes back. Feedback is sampled when the job is built, from the run's RNG.
 */
import { exampleIdsOf, getCandidate, splitMean } from "./candidates";
import { sampleFailures, sampleFeedback } from "./feedback-sampling";
import type { ProposeJob, TrackRecordEntry } from "./jobs";
import { FIXED_META_OPTIMIZER_PROMPT } from "./prompt-templates";
import { type Candidate, innerKey, type RunState } from "./run-state";

/** Failures shown per pool task in a track record. */
const TRACK_RECORD_FAILURES = 4;

/** A task-prompt proposal: `systemPrompt` is the prompt agent, feedback is the parent's train results. */
export function taskProposalJob(s: RunState, jobId: string, systemPrompt: string, parent: Candidate, taskId: string): ProposeJob {
  const feedback = sampleFeedback(
    s.rng,
    { candidateId: parent.id, exampleIds: exampleIdsOf(s, taskId, "train"), scores: parent.scores[taskId]?.train ?? [] },
    s.config.feedbackSize,
  );
  return { ...agentCallBase(s, jobId), type: "propose", mode: "task", systemPrompt, parentPrompt: parent.text, taskId, feedback, trackRecord: [] };
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

function trackRecordEntry(s: RunState, parent: Candidate, taskId: string): TrackRecordEntry {
  const seed = getCandidate(s, s.seedTasks[taskId] ?? "");
  const bestChildId = s.innerRuns[innerKey(parent.id, taskId)]?.bestChildId ?? null;
  const produced = bestChildId ? getCandidate(s, bestChildId) : seed;
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
