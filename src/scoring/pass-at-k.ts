/**
 * pass@k from several one-attempt scores of the same example.
 *
 * How an evaluator runs k attempts (ARC-AGI-1 in the paper is pass@3): call the task
 * model k times on the example with the same prompt (independent samples: temperature
 * above 0, or distinct seeds), score every output with the task's one-attempt scorer,
 * and record `passAtK(scores)` as the example's score. The example counts as solved when
 * any attempt is; feedback should come from a failed attempt when all failed. The usage
 * (calls, tokens) is k times that of one attempt, which budgets must account for.
 */

/** A score at or above this counts as a pass (scorers give 0 or 1 for exact tasks). */
const PASS = 1 - 1e-9;

/**
 * With k = n attempts (the default): 1 if any attempt passed, else 0. With k < n, the
 * unbiased estimator of Chen et al. (2021), 1 - C(n-c, k) / C(n, k) for c passing
 * attempts out of n: the chance that k attempts drawn from the n include a pass.
 */
export function passAtK(attemptScores: readonly number[], k: number = attemptScores.length): number {
  const n = attemptScores.length;
  if (n === 0) return 0;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer from 1 to ${n}, got ${k}`);
  const c = attemptScores.filter((s) => s >= PASS).length;
  if (n - c < k) return 1;
  // Product form of C(n-c, k) / C(n, k), stable for any n.
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}
