/**
 * Job outcomes a test reports in place of the consumer: deterministic functions of the
 * job's content (never of its run id), so two runs fed the same way make the same choices.
 */
import type { Job } from "../../../src/engine";
import type { JobOutcome } from "../../../src/jobs/job-outcome";

/** Usage charged per evaluated example and per proposal. */
export const EXAMPLE_USAGE = { calls: 1, promptTokens: 20, completionTokens: 5 };
const TOKENS = { promptTokens: EXAMPLE_USAGE.promptTokens, completionTokens: EXAMPLE_USAGE.completionTokens };
export const PROPOSAL_USAGE = { calls: 1, promptTokens: 200, completionTokens: 50 };

/** A stable pseudo-random score in {0, 1}: each added rule makes more examples pass. */
export function fakeScore(prompt: string, exampleId: string): number {
  const rules = prompt.split("\nRule ").length - 1;
  let h = 2166136261;
  for (const ch of exampleId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 10 < 4 + 2 * rules ? 1 : 0;
}

/** The outcome of a job that worked: scored rows, or a child prompt with one more rule. */
export function succeed(job: Job): JobOutcome {
  if (job.type === "evaluate") {
    const n = job.exampleIds.length;
    return {
      ok: true,
      jobId: job.jobId,
      result: {
        type: "evaluate",
        rows: job.exampleIds.map((exampleId) => ({ exampleId, output: "out", score: fakeScore(job.prompt, exampleId), feedback: "", ...TOKENS })),
        usage: { calls: n, promptTokens: TOKENS.promptTokens * n, completionTokens: TOKENS.completionTokens * n },
      },
    };
  }
  const step = job.jobId.slice(job.jobId.lastIndexOf(":") + 1);
  const text = `${job.parentPrompt}\nRule ${step}.`;
  return { ok: true, jobId: job.jobId, result: { type: "propose", text, raw: text, usage: PROPOSAL_USAGE } };
}

export function fail(job: Job, reason = "failed in test"): JobOutcome {
  return { ok: false, jobId: job.jobId, reason, systemic: false };
}
