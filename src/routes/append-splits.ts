/**
 * Splits for examples added to an existing task. Pure and deterministic, like split.ts.
 *
 * A task stores its split seed but not the ratios it was created with, so the counts of
 * the examples it was created with stand in for them (they never change, so neither do
 * the ratios; the current counts would not do: each rounding would tilt them further).
 * Adding examples one at a time must not leave val and test behind (`assignSplits(1,
 * ...)` would always say "train"), so each unsplit example tops up the split furthest
 * below its share of the new total, that share being `splitCounts` of the new total at
 * those ratios: the rounding a task created with all of them at once would get. Which of
 * the new examples gets which split is then a seeded shuffle, so it does not follow
 * their order.
 */
import type { Split } from "../engine/types";
import { DEFAULT_SPLIT_RATIOS, SPLITS, type SplitRatios, mulberry32, splitCounts } from "../split";

export type SplitCounts = Record<Split, number>;

const total = (counts: SplitCounts) => counts.train + counts.val + counts.test;

/**
 * The final split of each example to append, in order: a given `split` is kept; the
 * rest fill the deficits described above. `ratios` are the counts the task was created
 * with, `current` its counts now; `seed` is the task's split seed and `firstPosition`
 * the position the first new example gets, so each append to a task shuffles
 * differently but reproducibly.
 */
export function appendSplits(
  ratios: SplitCounts,
  current: SplitCounts,
  examples: ReadonlyArray<{ split?: Split | undefined }>,
  seed: number,
  firstPosition: number,
): Split[] {
  const have: SplitCounts = { ...current };
  for (const e of examples) if (e.split) have[e.split] += 1;
  const existing = total(current);
  const weights: SplitRatios = total(ratios) > 0 ? ratios : existing > 0 ? current : DEFAULT_SPLIT_RATIOS;
  const target = splitCounts(existing + examples.length, weights);
  const count = SPLITS.map((s) => have[s]);
  const labels: Split[] = [];
  const unsplit = examples.filter((e) => e.split === undefined).length;
  for (let k = 0; k < unsplit; k++) {
    // Furthest below target relative to the target, so that given splits which overshoot
    // one share leave the others in proportion; a split with no share never gains.
    const i = indexOfMax(SPLITS.map((s, j) => (target[s] > 0 ? (target[s] - count[j]!) / target[s] : Number.NEGATIVE_INFINITY)));
    labels.push(SPLITS[i]!);
    count[i]! += 1;
  }
  shuffle(labels, mulberry32((seed ^ Math.imul(firstPosition + 1, 0x9e3779b1)) >>> 0));
  let next = 0;
  return examples.map((e) => e.split ?? labels[next++]!);
}

/** The first index of the largest value: ties go to train, then val, then test. */
function indexOfMax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
