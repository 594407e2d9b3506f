/**
 * An evaluate job: the task agent answers each example, the task's scorer scores it.
 * An example that cannot be answered *as a value* (unknown example, unparseable output)
 * scores 0 with feedback; a transport failure (LlmError) propagates so the queue retries
 * the whole job with a delay. With `attempts` k > 1 (pass@k) the example is answered k
 * times (distinct samples) and scores its best attempt.
 */
import type { EvaluateJob, EvaluateResult, EvaluationRow } from "../engine/jobs";
import type { ChatPort } from "../llm/chat-port";
import { scoreOutputAsync } from "../scoring/registry";
import type { ScorerSpec } from "../scoring/scorer-spec";
import type { ExampleData, JobData } from "./job-data";

export async function runEvaluate(job: EvaluateJob, chat: ChatPort, data: JobData): Promise<EvaluateResult> {
  const [task, examples] = await Promise.all([data.task(job.taskId), data.examples(job.exampleIds)]);
  if (!task) throw new JobInputError(`task ${job.taskId} no longer exists or its stored scorer is unreadable`);

  let calls = 0;
  const rows = await Promise.all(
    job.exampleIds.map(async (exampleId): Promise<EvaluationRow> => {
      const example = examples.get(exampleId);
      if (!example) return { exampleId, output: "", score: 0, feedback: "example not found", promptTokens: 0, completionTokens: 0 };
      const attempts = job.attempts ?? 1;
      calls += attempts;
      const tries = await Promise.all(Array.from({ length: attempts }, (_, i) => attempt(job, chat, task.scorer, example, i)));
      const best = tries.reduce((a, b) => (b.score > a.score ? b : a));
      const index = tries.indexOf(best);
      return {
        exampleId,
        output: best.output,
        score: best.score,
        feedback: attempts > 1 ? `attempt ${index + 1} of ${attempts} (best): ${best.feedback}` : best.feedback,
        promptTokens: tries.reduce((sum, t) => sum + t.promptTokens, 0),
        completionTokens: tries.reduce((sum, t) => sum + t.completionTokens, 0),
      };
    }),
  );
  return {
    type: "evaluate",
    rows,
    usage: {
      calls,
      promptTokens: rows.reduce((sum, row) => sum + row.promptTokens, 0),
      completionTokens: rows.reduce((sum, row) => sum + row.completionTokens, 0),
    },
  };
}

async function attempt(job: EvaluateJob, chat: ChatPort, scorer: ScorerSpec, example: ExampleData, sampleIndex: number) {
  const answer = await chat.complete({ model: job.model, system: job.prompt, user: example.input, maxTokens: job.maxOutputTokens, ...(sampleIndex > 0 ? { sampleIndex } : {}) });
  const { score, feedback } = await scoreOutputAsync(scorer, answer.text, example.expected);
  return { output: answer.text, score, feedback, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
}

/** The job refers to data that is gone: retrying cannot help, so the job fails at once. */
export class JobInputError extends Error {
  override readonly name = "JobInputError";
}
