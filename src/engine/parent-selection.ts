/**
 * Parent selection by the Darwin Goedel Machine rule (method.md): strong members are
 * favoured through a sigmoid around the top fitnesses, and members that already have
 * many children are damped, so weak but novel members stay alive as stepping stones.
 */
import { nextFloat, type RngState } from "./rng";

/** An archive member as selection sees it: fitness normalized to [0, 1], children so far. */
export interface SelectionMember {
  fitness: number;
  children: number;
}

export interface SelectionOptions {
  /** Sigmoid steepness (lambda). */
  lambda: number;
  /** a_mid is the mean of this many top fitnesses. */
  top: number;
}

/**
 * P(i) = s_i * h_i / sum_j s_j * h_j, with s_i = 1 / (1 + exp(-lambda * (a_i - a_mid))),
 * a_mid = mean of the top-`top` fitnesses, and h_i = 1 / (1 + n_i).
 */
export function selectionProbabilities(members: readonly SelectionMember[], options: SelectionOptions): number[] {
  if (members.length === 0) return [];
  const sorted = members.map((m) => m.fitness).sort((a, b) => b - a);
  const top = sorted.slice(0, Math.max(1, Math.min(options.top, sorted.length)));
  const mid = top.reduce((sum, x) => sum + x, 0) / top.length;
  const weights = members.map((m) => (1 / (1 + Math.exp(-options.lambda * (m.fitness - mid)))) * (1 / (1 + m.children)));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => w / total);
}

/**
 * Draws `k` parents with replacement, returning indices into `members`. Probabilities are
 * fixed for the whole draw: children counts change only after the generation is planned.
 */
export function selectParents(rng: RngState, members: readonly SelectionMember[], k: number, options: SelectionOptions): number[] {
  const probabilities = selectionProbabilities(members, options);
  const picks: number[] = [];
  for (let draw = 0; draw < k; draw++) picks.push(pickIndex(probabilities, nextFloat(rng)));
  return picks;
}

function pickIndex(probabilities: readonly number[], u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1; // rounding left the sum a hair under 1
}
