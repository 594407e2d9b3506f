/**
 * An evaluate job: the task agent answers each example, the task's scorer scores it.
 * An example that cannot be answered *as a value* (unknown example, unparseable output)
 * scores 0 with feedback; a transport failure (LlmError) propagates so the queue retries
 * the whole job with a delay.
 */
import type { EvaluateJob, EvaluateResult, EvaluationRow } from "../engine/jobs";
import type { ChatPort } from "../llm/chat-port";
import { scoreOutputAsync } from "../scoring/registry";
import type { JobData } from "./job-data";

export async function runEvaluate(job: EvaluateJob, chat: ChatPort, data: JobData): Promise<EvaluateResult> {
  const [task, examples] = await Promise.all([data.task(job.taskId), data.examples(job.exampleIds)]);
  if (!task) throw new JobInputError(`task ${job.taskId} no longer exists or its stored scorer is unreadable`);

  let calls = 0;
  const rows = await Promise.all(
    job.exampleIds.map(async (exampleId): Promise<EvaluationRow> => {
      const example = examples.get(exampleId);
      if (!example) return { exampleId, output: "", score: 0, feedback: "example not found", promptTokens: 0, completionTokens: 0 };
      calls += 1;
      const answer = await chat.complete({ model: job.model, system: job.prompt, user: example.input, maxTokens: job.maxOutputTokens });
      const { score, feedback } = await scoreOutputAsync(task.scorer, answer.text, example.expected);
      return { exampleId, output: answer.text, score, feedback, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
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

/** The job refers to data that is gone: retrying cannot help, so the job fails at once. */
export class JobInputError extends Error {
  override readonly name = "JobInputError";
}
