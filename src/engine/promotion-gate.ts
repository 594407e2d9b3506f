/**
 * The promotion gate: a fine-tuning champion replaces the task's live prompt (the run's
 * seed) only when a paired bootstrap over the validation examples says it is better.
 * Both prompts are scored on the same examples, so the test resamples examples and looks
 * at the per-example differences: chance wins on a small split do not promote.
 */
import { completeScores } from "./candidates";
import { createRng, nextInt, type RngState } from "./rng";
import type { Candidate, RunState } from "./run-state";
import type { Promotion } from "./types";

/** Resamples of the bootstrap: enough that the 2.5% quantile moves by well under a point. */
const RESAMPLES = 2000;
/** Below this the bootstrap's interval is too optimistic to mean anything (2 of 2 looks certain). */
export const MIN_PROMOTION_EXAMPLES = 10;

export interface BootstrapInterval {
  meanDiff: number;
  low: number;
  high: number;
}

/**
 * Paired bootstrap of mean(b - a): the central `confidence` interval of the resampled
 * means of the per-example differences. `a` and `b` are aligned by example.
 */
export function pairedBootstrap(a: readonly number[], b: readonly number[], rng: RngState, confidence: number, resamples = RESAMPLES): BootstrapInterval {
  const diffs = a.map((x, i) => (b[i] ?? 0) - x);
  const n = diffs.length;
  const meanDiff = n === 0 ? 0 : diffs.reduce((sum, d) => sum + d, 0) / n;
  if (n === 0) return { meanDiff, low: 0, high: 0 };
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[nextInt(rng, n)] as number;
    means.push(sum / n);
  }
  means.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return { meanDiff, low: at(tail), high: at(1 - tail) };
}

/**
 * Decides whether the champion should go live. Its own RNG (from the run's seed) keeps
 * the run's main random stream untouched, so adding the gate changed no run.
 */
export function decidePromotion(s: RunState, seed: Candidate, champion: Candidate): Promotion {
  const confidence = s.config.promotionConfidence;
  const taskId = seed.taskId ?? "";
  if (champion.id === seed.id) return { promote: false, reason: "the seed prompt is still the best; nothing to promote", confidence, n: 0, meanDiff: 0, ciLow: 0, ciHigh: 0 };
  const a = completeScores(seed, taskId, "val");
  const b = completeScores(champion, taskId, "val");
  if (!a || !b) return { promote: false, reason: "validation scores are incomplete (the run stopped early)", confidence, n: 0, meanDiff: 0, ciLow: 0, ciHigh: 0 };
  if (a.length < MIN_PROMOTION_EXAMPLES) {
    return { promote: false, reason: `only ${a.length} validation examples; at least ${MIN_PROMOTION_EXAMPLES} are needed to trust a comparison, so the live prompt stays`, confidence, n: a.length, meanDiff: 0, ciLow: 0, ciHigh: 0 };
  }
  const interval = pairedBootstrap(a, b, createRng(s.config.seed ^ 0x9e3779b9), confidence);
  const stats = { confidence, n: a.length, meanDiff: interval.meanDiff, ciLow: interval.low, ciHigh: interval.high };
  const pct = (x: number) => `${(x * 100).toFixed(1)} points`;
  if (interval.low > 0) {
    return { promote: true, reason: `better on validation by ${pct(interval.meanDiff)} (${confidence * 100}% interval ${pct(interval.low)} to ${pct(interval.high)})`, ...stats };
  }
  return {
    promote: false,
    reason: `not shown better on validation: ${pct(interval.meanDiff)} with a ${confidence * 100}% interval from ${pct(interval.low)} to ${pct(interval.high)} over ${a.length} examples; the live prompt stays`,
    ...stats,
  };
}
