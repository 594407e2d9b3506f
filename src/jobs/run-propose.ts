/**
 * A propose job: one prompt-agent call. The handler renders the engine's proposal
 * message from stored evaluations and reads the child prompt back (a critique, for
 * TextGrad's `critique` mode). An answer with no usable prompt is a value (text null: a
 * failed proposal), not an error.
 */
import type { ExampleRef, ProposeJob, ProposeResult } from "../engine/jobs";
import {
  extractCritique,
  extractPrompt,
  type FeedbackItem,
  MAX_CRITIQUE_CHARS,
  renderAgentProposal,
  renderCritiqueRequest,
  renderSystemPromptProposal,
  renderTaskProposal,
  type TaskProposalContext,
  type TrackRecordItem,
} from "../engine/prompt-templates";
import type { ChatPort } from "../llm/chat-port";
import { evaluationKey, type JobData } from "./job-data";

/** Upper bound on a proposed prompt read back; the engine applies the run's own, tighter limit. */
const MAX_EXTRACTED_CHARS = 100_000;

export async function runPropose(job: ProposeJob, chat: ChatPort, data: JobData): Promise<ProposeResult> {
  const user = await renderProposal(job, data);
  const answer = await chat.complete({ model: job.model, system: job.systemPrompt, user, maxTokens: job.maxOutputTokens });
  return {
    type: "propose",
    text: job.mode === "critique" ? extractCritique(answer.text, MAX_CRITIQUE_CHARS) : extractPrompt(answer.text, MAX_EXTRACTED_CHARS),
    raw: answer.text,
    usage: { calls: 1, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens },
  };
}

export async function renderProposal(job: ProposeJob, data: JobData): Promise<string> {
  if (job.mode === "task" || job.mode === "critique") {
    const feedback = present(await loadFeedback(job.feedback, data));
    if (job.mode === "critique") return renderCritiqueRequest(job.parentPrompt, feedback);
    const context: TaskProposalContext = {};
    if (job.critique !== undefined) context.critique = job.critique;
    if (job.sharedPrompt !== undefined) context.sharedPrompt = job.sharedPrompt;
    return renderTaskProposal(job.parentPrompt, feedback, context);
  }
  const trackRecord = await loadTrackRecord(job, data);
  return job.mode === "system" ? renderSystemPromptProposal(job.parentPrompt, trackRecord) : renderAgentProposal(job.parentPrompt, trackRecord);
}

async function loadTrackRecord(job: ProposeJob, data: JobData): Promise<TrackRecordItem[]> {
  const failures = job.trackRecord.flatMap((entry) => entry.failures);
  const items = await loadFeedback(failures, data);
  const byRef = new Map(failures.map((ref, i) => [evaluationKey(ref), items[i] ?? null]));
  return Promise.all(
    job.trackRecord.map(async (entry) => ({
      taskName: (await data.task(entry.taskId))?.name ?? entry.taskId,
      seedPrompt: entry.seedPrompt,
      producedPrompt: entry.producedPrompt,
      seedScore: entry.seedScore,
      producedScore: entry.producedScore,
      failures: present(entry.failures.map((ref) => byRef.get(evaluationKey(ref)) ?? null)),
    })),
  );
}

/** Joins each ref with its example and its stored evaluation, aligned with `refs`; null where either is missing. */
async function loadFeedback(refs: ExampleRef[], data: JobData): Promise<Array<FeedbackItem | null>> {
  if (refs.length === 0) return [];
  const [examples, evaluations] = await Promise.all([data.examples(refs.map((ref) => ref.exampleId)), data.evaluations(refs)]);
  return refs.map((ref) => {
    const example = examples.get(ref.exampleId);
    const evaluation = evaluations.get(evaluationKey(ref));
    if (!example || !evaluation) return null;
    return { input: example.input, expected: example.expected, output: evaluation.output, score: evaluation.score, feedback: evaluation.feedback };
  });
}

function present(items: Array<FeedbackItem | null>): FeedbackItem[] {
  return items.filter((item): item is FeedbackItem => item !== null);
}
