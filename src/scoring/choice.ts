/** `choice`: the letter picked in the final answer is the expected letter (multiple choice). */
import { z } from "zod";
import { NO_ANSWER_FEEDBACK, quote } from "./feedback";
import { extractAnswer } from "./extract-answer";
import { stripDecorations } from "./normalize";
import type { Scorer } from "./scorer";

export const ChoiceSpecSchema = z.strictObject({
  type: z.literal("choice"),
  /** The valid option letters, e.g. "ABCD" or "ABCDEFGHIJ". */
  choices: z
    .string()
    .regex(/^[A-Za-z]{2,26}$/, "choices must be 2 to 26 letters, e.g. \"ABCD\"")
    .refine((s) => new Set(s.toUpperCase()).size === s.length, "choices must not repeat a letter")
    .transform((s) => s.toUpperCase())
    .default("ABCD"),
});
export type ChoiceSpec = z.infer<typeof ChoiceSpecSchema>;

export const choiceScorer: Scorer<ChoiceSpec> = {
  score(output, expected, spec) {
    const want = findChoice(expected, spec.choices, true);
    if (!want) return { score: 0, feedback: `The expected value ${quote(expected)} is not one of ${spec.choices}; fix the example.` };
    const extracted = extractAnswer(output);
    if (!extracted) return { score: 0, feedback: NO_ANSWER_FEEDBACK };
    const got = findChoice(extracted.answer, spec.choices, extracted.source !== "last-line");
    if (!got) {
      return {
        score: 0,
        feedback: `No choice letter (one of ${spec.choices}) in ${quote(extracted.context, 80)}; end with "Answer: <letter>".`,
      };
    }
    if (got === want) return { score: 1, feedback: `Correct: ${got}.` };
    return { score: 0, feedback: `Expected ${want}, got ${got} (from ${quote(extracted.context, 80)}).` };
  },
};

/**
 * The option letter an answer names, or null. `explicit` answers ("Answer: B) Paris")
 * name it first; a fallback last line ("So I pick C.") names it last.
 */
export function findChoice(answer: string, choices: string, explicit: boolean): string | null {
  const s = stripDecorations(answer).replace(/\*+/g, "");
  const valid = (letter: string | undefined) => (letter && choices.includes(letter.toUpperCase()) ? letter.toUpperCase() : null);
  // The whole answer is one letter: "B", "(b)", "[C]", "D)". Lower case is safe only here.
  const whole = /^[([]?([A-Za-z])[)\]]?$/.exec(s);
  if (whole) return valid(whole[1]);
  // Led by a labelled letter: "B) Paris", "(C) 42", "A. True", "B: ...", "B, not A".
  const led = /^[([]?([A-Z])(?:[)\].:,]|\s[-–—]\s)/.exec(s);
  if (led && valid(led[1])) return valid(led[1]);
  const named = /\b(?:[Oo]ption|[Cc]hoice|[Aa]nswer)\s*(?:is\s*)?[:：]?\s*[([]?([A-Z])(?![A-Za-z])/.exec(s);
  if (named && valid(named[1])) return valid(named[1]);
  const letters = [...s.matchAll(/(?<![A-Za-z])([A-Z])(?![A-Za-z])/g)]
    // "A" and "I" are also English words ("A careful check", "I think"): not answers then.
    .filter((m) => !(/[AI]/.test(m[1]!) && /^\s+[a-z]/.test(s.slice(m.index! + 1))))
    .map((m) => valid(m[1]))
    .filter((letter): letter is string => letter !== null);
  return (explicit ? letters[0] : letters.at(-1)) ?? null;
}
