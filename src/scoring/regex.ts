/**
 * `regex`: the whole output matches a user's pattern (e.g. `^Answer: (yes|no)$` with the
 * `m` flag). The expected value is not used: the pattern is the specification.
 *
 * JavaScript regexes have no time limit, and a scorer runs inside the queue consumer, so
 * patterns are checked when the task is created: they must compile, stay short, and not
 * nest unbounded quantifiers (`(a+)+`, the classic exponential backtracking shape).
 * Outputs are capped too, keeping even a polynomial pattern's worst case small.
 */
import { z } from "zod";
import { quote } from "./feedback";
import type { Scorer } from "./scorer";

export const MAX_PATTERN_CHARS = 500;
/** Only the last part of a longer output is tested: that is where the answer is. */
export const MAX_REGEX_INPUT_CHARS = 20_000;

export const RegexSpecSchema = z
  .strictObject({
    type: z.literal("regex"),
    pattern: z.string().min(1).max(MAX_PATTERN_CHARS),
    /** `g` and `y` are refused: they make `test()` stateful across examples. */
    flags: z
      .string()
      .refine((f) => /^[imsu]*$/.test(f), "flags may only contain i, m, s and u")
      .refine(isValidFlags, "flags must not repeat")
      .default(""),
  })
  .superRefine((spec, ctx) => {
    // zod runs this even when a field failed; bad flags are already reported above.
    if (!/^[imsu]*$/.test(spec.flags) || !isValidFlags(spec.flags)) return;
    const problem = patternProblem(spec.pattern, spec.flags);
    if (problem) ctx.addIssue({ code: "custom", path: ["pattern"], message: problem });
  });
export type RegexSpec = z.infer<typeof RegexSpecSchema>;

export const regexScorer: Scorer<RegexSpec> = {
  score(output, _expected, spec) {
    const regex = compile(spec.pattern, spec.flags);
    const tested = output.length > MAX_REGEX_INPUT_CHARS ? output.slice(-MAX_REGEX_INPUT_CHARS) : output;
    const shown = quote(`/${spec.pattern}/${spec.flags}`, 80);
    return regex.test(tested)
      ? { score: 1, feedback: `The output matches ${shown}.` }
      : { score: 0, feedback: `The output does not match ${shown}.` };
  },
};

function isValidFlags(flags: string): boolean {
  return new Set(flags).size === flags.length;
}

/** Why `pattern` is refused, or null when it is acceptable. */
export function patternProblem(pattern: string, flags: string): string | null {
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return `pattern does not compile: ${(error as Error).message}`;
  }
  if (hasNestedQuantifier(pattern)) {
    return "pattern repeats a group that itself contains a repetition (like (a+)+), which can take exponential time; rewrite it without the nesting";
  }
  return null;
}

/**
 * True when a group containing `*`, `+` or `{n,}` is itself repeated by one of them.
 * A syntactic check (it does not prove the nesting ambiguous), so it errs on the side of
 * refusing: the user gets a clear 400 instead of a consumer stuck on one example.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = []; // per open group: does it contain a repetition yet?
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push(false);
    else if (c === ")") {
      const inner = stack.pop() ?? false;
      const repeated = isUnboundedQuantifier(pattern, i + 1);
      if (inner && repeated) return true;
      if (stack.length && (inner || repeated)) stack[stack.length - 1] = true;
    } else if (stack.length && isUnboundedQuantifier(pattern, i)) stack[stack.length - 1] = true;
  }
  return false;
}

/** `*`, `+` or a `{n,}` / `{n,m}` range at `index`. */
function isUnboundedQuantifier(pattern: string, index: number): boolean {
  const c = pattern[index];
  return c === "*" || c === "+" || (c === "{" && /^\{\d*,\d*\}/.test(pattern.slice(index)));
}

// Compiled once per pattern rather than per example; bounded because patterns come from users.
const compiled = new Map<string, RegExp>();

function compile(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    if (compiled.size >= 100) compiled.clear();
    regex = new RegExp(pattern, flags);
    compiled.set(key, regex);
  }
  return regex;
}
