import { describe, expect, it } from "vitest";
import type { Split } from "../../../src/engine/types";
import { appendSplits, type SplitCounts } from "../../../src/routes/append-splits";
import { assignSplits, splitCounts } from "../../../src/split";

const unsplit = (n: number) => Array.from({ length: n }, () => ({}));
const tally = (splits: Split[], start: SplitCounts = { train: 0, val: 0, test: 0 }) => {
  const counts = { ...start };
  for (const s of splits) counts[s] += 1;
  return counts;
};

describe("appendSplits", () => {
  it("keeps a task at the proportions it was created with when examples arrive one at a time", () => {
    const created = { train: 20, val: 15, test: 15 }; // created at 0.4 / 0.3 / 0.3
    let counts: SplitCounts = created;
    for (let i = 0; i < 250; i++) {
      counts = tally(appendSplits(created, counts, unsplit(1), 7, 50 + i), counts);
      const target = splitCounts(51 + i, { train: 0.4, val: 0.3, test: 0.3 });
      for (const s of ["train", "val", "test"] as const) expect(Math.abs(counts[s] - target[s]), `${s} after ${51 + i}`).toBeLessThanOrEqual(1);
    }
    expect(counts).toEqual({ train: 120, val: 90, test: 90 });
  });

  it("gives a batch what creating the task with it would have given, in counts", () => {
    const created = tally(assignSplits(40, { train: 0.5, val: 0.25, test: 0.25 }, 3));
    const after = tally(appendSplits(created, created, unsplit(60), 3, 40), created);
    expect(after).toEqual(splitCounts(100, { train: 0.5, val: 0.25, test: 0.25 }));
  });

  it("keeps a given split and counts it towards the proportions", () => {
    const counts = { train: 2, val: 1, test: 1 };
    const examples = [{ split: "test" as const }, {}, {}, { split: "test" as const }];
    const splits = appendSplits(counts, counts, examples, 0, 4);
    expect(splits[0]).toBe("test");
    expect(splits[3]).toBe("test");
    // Target for 8 at 0.5/0.25/0.25 is 4/2/2; test is over it, so the other two keep train:val at 2:1.
    expect([splits[1], splits[2]].sort()).toEqual(["train", "val"]);
  });

  it("is reproducible, and shuffles differently for each append", () => {
    const counts = { train: 50, val: 25, test: 25 };
    expect(appendSplits(counts, counts, unsplit(40), 9, 100)).toEqual(appendSplits(counts, counts, unsplit(40), 9, 100));
    const orders = new Set([100, 140, 180].map((first) => appendSplits(counts, counts, unsplit(40), 9, first).join(",")));
    expect(orders.size).toBe(3);
    expect(appendSplits(counts, counts, unsplit(40), 9, 100)).not.toEqual(appendSplits(counts, counts, unsplit(40), 10, 100));
  });

  it("never adds to a split the task was created without", () => {
    const counts = { train: 6, val: 4, test: 0 };
    expect(appendSplits(counts, counts, unsplit(25), 1, 10)).not.toContain("test");
  });

  it("falls back to the current counts, then to the default ratios", () => {
    const none = { train: 0, val: 0, test: 0 };
    expect(tally(appendSplits(none, { train: 3, val: 3, test: 0 }, unsplit(4), 1, 6))).toEqual({ train: 2, val: 2, test: 0 });
    expect(tally(appendSplits(none, none, unsplit(8), 1, 0))).toEqual({ train: 4, val: 2, test: 2 });
  });
});
