/**
 * `boxed-integer`: the final integer answer equals the expected integer exactly (AIME and
 * other integer-answer math benchmarks, MathArena's rule). `070`, `\boxed{70}`,
 * `\boxed{\text{70}}` and `70.0` all read as 70; a tolerance would accept wrong answers.
 */
import { z } from "zod";
import { quote } from "./feedback";
import { extractAnswer, findLastBoxed } from "./extract-answer";
import { findNumbers, type NumberToken } from "./parse-number";
import type { Scorer } from "./scorer";

export const BoxedIntegerSpecSchema = z.strictObject({
  type: z.literal("boxed-integer"),
});
export type BoxedIntegerSpec = z.infer<typeof BoxedIntegerSpecSchema>;

const NO_BOX_FEEDBACK = 'No final answer found; end with "\\boxed{<integer>}".';

/** Where the integer was read from, most explicit first. */
type Found = { token: NumberToken; from: "box" | "answer line" | "last number"; context: string };

export const boxedIntegerScorer: Scorer<BoxedIntegerSpec> = {
  score(output, expected) {
    const want = readInteger(expected);
    if (want === null) return { score: 0, feedback: `The expected value ${quote(expected)} is not an integer; fix the example.` };
    const found = findFinalInteger(output);
    if (typeof found === "string") return { score: 0, feedback: found };
    const { token, from, context } = found;
    if (!Number.isInteger(token.value)) {
      return { score: 0, feedback: `The final answer ${token.raw} (from the ${from} ${quote(context, 60)}) is not an integer.` };
    }
    if (token.value === want) return { score: 1, feedback: `Correct: ${token.raw}.` };
    return { score: 0, feedback: `Expected ${want}, got ${token.raw} (from the ${from} ${quote(context, 60)}).` };
  },
};

/**
 * The final answer's number, or feedback saying why there is none. In order: the last
 * non-empty `\boxed{}` (MathArena's rule: a later "Answer:" line does not override it,
 * since the prompt asks for the box); else an explicit "Answer: x" / "the answer is x"
 * line, because "Answer: 70 (= 7 * 10)" means 70, not the trailing 10; else the last
 * number anywhere in the output.
 */
function findFinalInteger(output: string): Found | string {
  const boxed = findLastBoxed(output);
  if (boxed) {
    const token = boxNumber(boxed.found.answer);
    if (typeof token === "string") return `${token} in ${quote(boxed.found.context, 80)}.`;
    return { token, from: "box", context: boxed.found.context };
  }
  const extracted = extractAnswer(output);
  if (!extracted) return NO_BOX_FEEDBACK;
  if (extracted.source !== "last-line") {
    const token = afterLastEquals(findNumbers(extracted.answer), extracted.answer);
    if (token) return { token, from: "answer line", context: extracted.context };
  }
  const token = findNumbers(output).at(-1);
  if (!token) return `No number in the output; end with \\boxed{<integer>}.`;
  return { token, from: "last number", context: extracted.context };
}

/**
 * The one number a box states. After the last "=" ("\boxed{x = 70}"), LaTeX wrappers
 * like `\text{}` and `^\circ` are harmless, but two numbers ("\boxed{17, 53}") are
 * ambiguous and score 0 rather than guessing.
 */
function boxNumber(content: string): NumberToken | string {
  const tokens = afterLastEqualsAll(findNumbers(content), content);
  if (tokens.length === 0) return "No number in the final \\boxed{}";
  if (tokens.length > 1) return `More than one number (${tokens.map((t) => t.raw).join(", ")}) in the final \\boxed{}`;
  return tokens[0]!;
}

function afterLastEqualsAll(tokens: NumberToken[], text: string): NumberToken[] {
  const equals = text.lastIndexOf("=");
  return tokens.filter((token) => token.index > equals);
}

function afterLastEquals(tokens: NumberToken[], text: string): NumberToken | undefined {
  return afterLastEqualsAll(tokens, text)[0] ?? tokens.at(-1);
}

/** An expected answer as an integer ("70", "070", " 70\n", "\\boxed{70}"), or null. */
function readInteger(text: string): number | null {
  const trimmed = (findLastBoxed(text)?.found.answer ?? text).trim();
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : null;
}
