/**
 * Scorers by type, and the one entry point that scores an output. The table's type lists
 * every variant of ScorerSpec, so a spec added to ./scorer-spec without a scorer here is a
 * compile error rather than a runtime "unknown scorer" (see ./scorer-spec for the steps).
 * It is a static table, not a runtime `register()`, because the schema that validates
 * specs must know every type at module load, before any request is parsed.
 */
import { arcGridScorer } from "./arc-grid";
import { boxedIntegerScorer } from "./boxed-integer";
import { choiceScorer } from "./choice";
import { codeTestsScorer, prepareCodeTests } from "./code-tests";
import { containsScorer } from "./contains";
import { exactScorer } from "./exact";
import { clampFeedback } from "./feedback";
import { isJsonScorer } from "./is-json";
import { jsonFieldScorer } from "./json-field";
import { numericScorer } from "./numeric";
import { regexScorer } from "./regex";
import type { ScoreResult, Scorer } from "./scorer";
import type { ScorerSpec, ScorerType } from "./scorer-spec";
import { sudokuScorer } from "./sudoku";

type ScorerTable = { [T in ScorerType]: Scorer<Extract<ScorerSpec, { type: T }>> };

const SCORERS: ScorerTable = {
  exact: exactScorer,
  numeric: numericScorer,
  choice: choiceScorer,
  regex: regexScorer,
  contains: containsScorer,
  "json-field": jsonFieldScorer,
  "is-json": isJsonScorer,
  "boxed-integer": boxedIntegerScorer,
  sudoku: sudokuScorer,
  "arc-grid": arcGridScorer,
  "code-tests": codeTestsScorer,
};

/** The types with a scorer, for listing in docs and error messages. */
export const SCORER_TYPES = Object.keys(SCORERS) as ScorerType[];

/**
 * Scores one output against its expected answer. Never throws: a scorer bug or a spec
 * that slipped past validation scores 0 with feedback saying so, because one example's
 * failure must not fail a whole evaluation job. The score is always in [0, 1] and the
 * feedback at most MAX_FEEDBACK_CHARS long.
 */
export function scoreOutput(spec: ScorerSpec, output: string, expected: string): ScoreResult {
  try {
    const scorer = SCORERS[spec.type] as Scorer<ScorerSpec> | undefined;
    if (!scorer) return { score: 0, feedback: clampFeedback(`Unknown scorer type "${String(spec.type)}".`) };
    const result = scorer.score(String(output ?? ""), String(expected ?? ""), spec);
    const score = Number.isFinite(result.score) ? Math.min(1, Math.max(0, result.score)) : 0;
    return { score, feedback: clampFeedback(result.feedback) };
  } catch (error) {
    return { score: 0, feedback: clampFeedback(`The scorer failed: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

/**
 * Scorers that must load something (the code sandbox) before they can score
 * synchronously. Loading happens once per isolate; the others need nothing.
 */
const PREPARE: Partial<Record<ScorerType, () => Promise<void>>> = {
  "code-tests": prepareCodeTests,
};

/**
 * `scoreOutput` for callers that can wait: prepares the scorer first (see PREPARE), then
 * scores exactly as `scoreOutput` does. A failure to prepare rejects rather than scoring
 * 0, because it is the host's fault, not the output's: the evaluate job is retried.
 */
export async function scoreOutputAsync(spec: ScorerSpec, output: string, expected: string): Promise<ScoreResult> {
  await PREPARE[spec.type]?.();
  return scoreOutput(spec, output, expected);
}
