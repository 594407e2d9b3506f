import { describe, expect, it } from "vitest";
import { costTable, mean, sampleSd, scoreTable, statOf } from "../../../scripts/lib/bench/stats";
import { makeCell, makeResults, roles } from "./builders";

describe("mean and sd", () => {
  it("uses the sample standard deviation (n - 1)", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(sampleSd([0.5])).toBeNull();
    expect(statOf([])).toBeNull();
  });
});

describe("scoreTable", () => {
  const cells = [
    makeCell({ method: "manual-cot", task: "a", seed: 1, score: 0.2 }),
    makeCell({ method: "manual-cot", task: "a", seed: 2, score: 0.4 }),
    makeCell({ method: "manual-cot", task: "b", seed: 1, score: 0.6 }),
    makeCell({ method: "manual-cot", task: "b", seed: 2, score: 0.8 }),
    makeCell({ method: "sepo-generalist", task: "a", seed: 1, score: 0.9 }),
    makeCell({ method: "sepo-generalist", task: "b", seed: 1, status: "failed", score: null }),
  ];
  const table = scoreTable(makeResults(cells), ["manual-cot", "sepo-generalist"], ["a", "b"], [1, 2]);

  it("aggregates each task over seeds", () => {
    const row = table.rows[0]!;
    expect(row.cells.a!.mean).toBeCloseTo(0.3);
    expect(row.cells.a!.sd).toBeCloseTo(Math.SQRT2 * 0.1);
    expect(row.cells.b!.n).toBe(2);
  });

  it("averages per seed across tasks, then over seeds", () => {
    const avg = table.rows[0]!.avg!;
    expect(avg.mean).toBeCloseTo(0.5);
    expect(avg.sd).toBeCloseTo(Math.SQRT2 * 0.1); // per-seed averages 0.4 and 0.6
  });

  it("leaves out failed cells and seeds with a missing task from the average", () => {
    const row = table.rows[1]!;
    expect(row.cells.a).toEqual({ mean: 0.9, sd: null, n: 1 });
    expect(row.cells.b).toBeNull();
    expect(row.avg).toBeNull();
  });
});

describe("costTable", () => {
  it("means fine-tuning spend per cell and lists each cell's pre-training in full", () => {
    const results = makeResults([
      makeCell({ method: "sepo-specialist", task: "a", seed: 1, finetune: roles(800, 10), pretrainKey: "sepo|b|1" }),
      makeCell({ method: "sepo-specialist", task: "c", seed: 1, finetune: roles(600, 10), pretrainKey: "sepo|b|1" }),
    ]);
    results.pretrains["sepo|b|1"] = { runId: "run_x", snapshotId: "agt_x", spent: roles(400, 20), agentFitness: null, seconds: 1 };
    const [row] = costTable(results, ["sepo-specialist"], ["a", "c"], [1]);
    expect(row!.cells).toBe(2);
    expect(row!.finetune.task.calls).toBe(700);
    expect(row!.pretrainRuns).toBe(1);
    expect(row!.pretrain!.task.calls).toBe(400);
    expect(row!.pretrain!.agent.calls).toBe(20);
  });

  it("has no pre-training for methods without one", () => {
    const [row] = costTable(makeResults([makeCell({ method: "manual-cot", task: "a", seed: 1 })]), ["manual-cot"], ["a"], [1]);
    expect(row!.pretrain).toBeNull();
    expect(row!.pretrainRuns).toBe(0);
  });
});
