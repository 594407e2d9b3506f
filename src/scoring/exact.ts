/** `exact`: the final answer equals the expected text, up to harmless formatting. */
import { z } from "zod";
import { NO_ANSWER_FEEDBACK, quote } from "./feedback";
import { extractAnswer } from "./extract-answer";
import { normalizeAnswer } from "./normalize";
import type { Scorer } from "./scorer";

export const ExactSpecSchema = z.strictObject({
  type: z.literal("exact"),
  /** Off by default: "Paris" and "paris" are the same answer for most tasks. */
  caseSensitive: z.boolean().default(false),
});
export type ExactSpec = z.infer<typeof ExactSpecSchema>;

export const exactScorer: Scorer<ExactSpec> = {
  score(output, expected, spec) {
    const extracted = extractAnswer(output);
    if (!extracted) return { score: 0, feedback: NO_ANSWER_FEEDBACK };
    const got = normalizeAnswer(extracted.answer, spec.caseSensitive);
    const want = normalizeAnswer(expected, spec.caseSensitive);
    if (got === want) return { score: 1, feedback: `Correct: ${quote(extracted.answer)}.` };
    return {
      score: 0,
      feedback: `Expected ${quote(expected)}, got ${quote(extracted.answer)} (from ${quote(extracted.context, 80)}).`,
    };
  },
};
