import { describe, expect, it } from "vitest";
import { assignSplits, DEFAULT_SPLIT_RATIOS, mulberry32, splitCounts } from "../../src/split";

const count = (labels: string[]) => ({
  train: labels.filter((s) => s === "train").length,
  val: labels.filter((s) => s === "val").length,
  test: labels.filter((s) => s === "test").length,
});

describe("mulberry32", () => {
  it("is deterministic per seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe("splitCounts", () => {
  it("follows the ratios with largest-remainder rounding", () => {
    expect(splitCounts(100, DEFAULT_SPLIT_RATIOS)).toEqual({ train: 50, val: 25, test: 25 });
    expect(splitCounts(10, DEFAULT_SPLIT_RATIOS)).toEqual({ train: 5, val: 3, test: 2 });
    expect(splitCounts(7, { train: 0.6, val: 0.2, test: 0.2 })).toEqual({ train: 4, val: 2, test: 1 });
  });

  it("gives every positive-ratio split at least one example from n = 3", () => {
    expect(splitCounts(3, { train: 0.98, val: 0.01, test: 0.01 })).toEqual({ train: 1, val: 1, test: 1 });
    for (let n = 3; n < 60; n++) {
      const c = splitCounts(n, { train: 0.9, val: 0.05, test: 0.05 });
      expect(c.train + c.val + c.test).toBe(n);
      expect(Math.min(c.train, c.val, c.test)).toBeGreaterThanOrEqual(1);
    }
  });

  it("leaves a zero-ratio split empty and handles tiny n", () => {
    expect(splitCounts(10, { train: 0.8, val: 0.2, test: 0 })).toEqual({ train: 8, val: 2, test: 0 });
    expect(splitCounts(0, DEFAULT_SPLIT_RATIOS)).toEqual({ train: 0, val: 0, test: 0 });
    expect(splitCounts(1, DEFAULT_SPLIT_RATIOS)).toEqual({ train: 1, val: 0, test: 0 });
    expect(splitCounts(2, DEFAULT_SPLIT_RATIOS)).toEqual({ train: 1, val: 1, test: 0 });
  });
});

describe("assignSplits", () => {
  it("is deterministic given the seed and differs across seeds", () => {
    const a = assignSplits(200, DEFAULT_SPLIT_RATIOS, 7);
    expect(assignSplits(200, DEFAULT_SPLIT_RATIOS, 7)).toEqual(a);
    expect(assignSplits(200, DEFAULT_SPLIT_RATIOS, 8)).not.toEqual(a);
  });

  it("assigns exactly the counts of splitCounts, shuffled", () => {
    const labels = assignSplits(1000, { train: 0.7, val: 0.2, test: 0.1 }, 1);
    expect(labels).toHaveLength(1000);
    expect(count(labels)).toEqual({ train: 700, val: 200, test: 100 });
    // Shuffled, not blocked: the first 700 are not all train.
    expect(labels.slice(0, 700).every((s) => s === "train")).toBe(false);
  });

  it("never leaves a split empty for n >= 3 whatever the seed", () => {
    for (let seed = 0; seed < 50; seed++) {
      const c = count(assignSplits(3 + (seed % 5), DEFAULT_SPLIT_RATIOS, seed));
      expect(Math.min(c.train, c.val, c.test)).toBeGreaterThanOrEqual(1);
    }
  });

  it("accepts negative and large seeds", () => {
    expect(count(assignSplits(20, DEFAULT_SPLIT_RATIOS, -5))).toEqual({ train: 10, val: 5, test: 5 });
    expect(assignSplits(20, DEFAULT_SPLIT_RATIOS, 2 ** 40)).toHaveLength(20);
  });
});
