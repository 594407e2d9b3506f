/**
 * Seeded assignment of examples to train / val / test. Pure and deterministic: the same
 * (n, ratios, seed) always gives the same assignment, so a task's split can be
 * reproduced from its stored `split_seed`.
 */
import type { Split } from "./engine/types";

export const SPLITS = ["train", "val", "test"] as const satisfies readonly Split[];

export type SplitRatios = Record<Split, number>;

export const DEFAULT_SPLIT_RATIOS: SplitRatios = { train: 0.5, val: 0.25, test: 0.25 };

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for shuffling and reproducible on every
 * JavaScript runtime (unlike Math.random, which cannot be seeded).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many of `n` examples each split gets: the largest-remainder rounding of
 * `ratio * n` (ties go to train, then val, then test), then every split with a positive
 * ratio that came out empty takes one from the largest split, as long as that one keeps
 * at least one. So n >= 3 with all ratios positive never leaves a split empty; a split
 * whose ratio is 0 stays empty (the caller asked for none).
 */
export function splitCounts(n: number, ratios: SplitRatios): SplitRatios {
  const total = SPLITS.reduce((sum, s) => sum + ratios[s], 0);
  const exact = SPLITS.map((s) => (total > 0 ? (ratios[s] / total) * n : 0));
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = [0, 1, 2].sort((i, j) => exact[j]! - counts[j]! - (exact[i]! - counts[i]!) || i - j);
  for (const i of byRemainder) {
    if (left-- <= 0) break;
    counts[i]! += 1;
  }
  for (let i = 0; i < SPLITS.length; i++) {
    if (counts[i] !== 0 || ratios[SPLITS[i]!] <= 0) continue;
    const donor = largestIndex(counts);
    if (counts[donor]! > 1) {
      counts[donor]! -= 1;
      counts[i] = 1;
    }
  }
  return { train: counts[0]!, val: counts[1]!, test: counts[2]! };
}

function largestIndex(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * The split of each of `n` examples, in order: `splitCounts(n, ratios)` labels shuffled
 * by a Fisher-Yates shuffle driven by `mulberry32(seed)`. Ratios need not sum to 1
 * exactly (they are normalised); validating them is the caller's job.
 */
export function assignSplits(n: number, ratios: SplitRatios, seed: number): Split[] {
  const counts = splitCounts(n, ratios);
  const labels: Split[] = SPLITS.flatMap((s) => Array<Split>(counts[s]).fill(s));
  const random = mulberry32(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}
