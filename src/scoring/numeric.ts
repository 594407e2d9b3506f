/** `numeric`: the number in the final answer is within a tolerance of the expected number. */
import { z } from "zod";
import { NO_ANSWER_FEEDBACK, quote } from "./feedback";
import { extractAnswer } from "./extract-answer";
import { parseNumber, pickAnswerNumber } from "./parse-number";
import type { Scorer } from "./scorer";

export const NumericSpecSchema = z.strictObject({
  type: z.literal("numeric"),
  /** Absolute difference allowed, or a fraction of |expected| when `relative`. */
  tolerance: z.number().nonnegative().finite().default(1e-6),
  relative: z.boolean().default(false),
});
export type NumericSpec = z.infer<typeof NumericSpecSchema>;

export const numericScorer: Scorer<NumericSpec> = {
  score(output, expected, spec) {
    const want = parseNumber(expected);
    if (want === null) return { score: 0, feedback: `The expected value ${quote(expected)} is not a number; fix the example.` };
    const extracted = extractAnswer(output);
    if (!extracted) return { score: 0, feedback: NO_ANSWER_FEEDBACK };
    const got = pickAnswerNumber(extracted.answer, extracted.source !== "last-line");
    if (!got) {
      return { score: 0, feedback: `No number in the final answer ${quote(extracted.context, 80)}; end with "Answer: <number>".` };
    }
    // Relative to 0 is meaningless, so an expected 0 falls back to the absolute tolerance.
    const allowed = spec.relative && want !== 0 ? spec.tolerance * Math.abs(want) : spec.tolerance;
    if (Math.abs(got.value - want) <= allowed) return { score: 1, feedback: `Correct: ${got.raw}.` };
    return { score: 0, feedback: `Expected ${expected.trim()}, got ${got.raw} (from ${quote(extracted.context, 80)}).` };
  },
};
