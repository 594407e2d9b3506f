/**
 * Finds the final answer in a model's free-text output, so that reasoning before it does
 * not count. The contract with prompts is "end with `Answer: <value>`", but models also
 * use `\boxed{...}` or "The answer is ...", and the scorer should still see those.
 */
import { stripDecorations } from "./normalize";

/** Where the answer came from, from most to least explicit. */
export type AnswerSource = "answer-line" | "boxed" | "answer-is" | "last-line";

export interface ExtractedAnswer {
  /** The answer text, decorations stripped and any `\boxed{}` unwrapped. */
  answer: string;
  source: AnswerSource;
  /** The trimmed line the answer was read from, quoted in feedback. */
  context: string;
}

const ANSWER_LINE = /\banswer\s*[:：]\s*(.*)$/i;
const ANSWER_IS = /\banswer\s+is\s*[:：]?\s*(.+)$/i;

/**
 * The final answer of `output`, or null when the output is blank.
 * - An explicit marker wins: the last `Answer: x` line or the last `\boxed{x}`, whichever
 *   comes later (a model that boxes a corrected value after an "Answer:" line meant the box).
 * - Else the last line saying "the answer is x"; else the last non-empty line.
 */
export function extractAnswer(output: string): ExtractedAnswer | null {
  const rawLines = output.split("\n");
  const lines = rawLines.map((line) => line.trim());
  const answerLine = findAnswerLine(rawLines);
  const boxed = findLastBoxed(output);
  if (answerLine && (!boxed || answerLine.offset >= boxed.offset)) return answerLine.found;
  if (boxed) return boxed.found;
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = ANSWER_IS.exec(lines[i]!);
    const answer = match ? unwrapBoxed(stripDecorations(match[1]!)) : "";
    if (answer) return { answer, source: "answer-is", context: lines[i]! };
  }
  const last = [...lines].reverse().find((line) => line !== "");
  return last === undefined ? null : { answer: unwrapBoxed(stripDecorations(last)), source: "last-line", context: last };
}

interface Located {
  found: ExtractedAnswer;
  /** A position in the output used only to order candidates. */
  offset: number;
}

/** `rawLines` are untrimmed so that offsets match positions in the output. */
function findAnswerLine(rawLines: string[]): Located | null {
  const lines = rawLines.map((line) => line.trim());
  let offset = rawLines.reduce((sum, line) => sum + line.length + 1, 0);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    offset -= rawLines[i]!.length + 1;
    // Ordered by the line's end, so a box inside this very line counts as part of it.
    const lineEnd = offset + rawLines[i]!.length;
    const match = ANSWER_LINE.exec(line);
    if (!match) continue;
    let answer = unwrapBoxed(stripDecorations(match[1]!));
    let context = line;
    // "**Final Answer:**" alone on a line puts the value on the next non-empty line.
    if (!answer) {
      const next = lines.slice(i + 1).find((l) => l !== "");
      if (next === undefined) continue;
      answer = unwrapBoxed(stripDecorations(next));
      context = `${line} ${next}`;
    }
    if (answer) return { found: { answer, source: "answer-line", context }, offset: lineEnd };
  }
  return null;
}

/** The content of the last balanced `\boxed{...}` in `text`, nested braces allowed. */
export function findLastBoxed(text: string): Located | null {
  let from = text.length;
  while (from > 0) {
    const start = text.lastIndexOf("\\boxed", from - 1);
    if (start < 0) return null;
    const content = balancedBraces(text, start + "\\boxed".length);
    if (content !== null && stripDecorations(content)) {
      const lineStart = text.lastIndexOf("\n", start) + 1;
      const lineEnd = text.indexOf("\n", start);
      const context = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
      return { found: { answer: stripDecorations(content), source: "boxed", context }, offset: start };
    }
    from = start;
  }
  return null;
}

/** Reads `{...}` starting at `index` (after optional spaces); null when unbalanced. */
function balancedBraces(text: string, index: number): string | null {
  let i = index;
  while (text[i] === " ") i++;
  if (text[i] !== "{") return null;
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return text.slice(i + 1, j);
  }
  return null;
}

function unwrapBoxed(answer: string): string {
  if (!answer.includes("\\boxed")) return answer;
  return findLastBoxed(answer)?.found.answer ?? answer;
}
