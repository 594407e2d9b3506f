import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cellKey, gridCells, isCellDone, loadResults, pendingCells, recordCell, saveResults, settingsConflicts } from "../../../scripts/lib/bench/results-store";
import { makeCell, makeResults } from "./builders";

describe("resume bookkeeping", () => {
  const grid = gridCells(["manual-cot", "sepo-generalist"], ["a", "b"], [1, 2]);

  it("lists the grid seed-major, so a partial run covers every method early", () => {
    expect(grid).toHaveLength(8);
    expect(grid.slice(0, 4).every((c) => c.seed === 1)).toBe(true);
    expect(grid[0]).toEqual({ method: "manual-cot", task: "a", seed: 1 });
    expect(grid[1]).toEqual({ method: "sepo-generalist", task: "a", seed: 1 });
  });

  it("skips completed cells on resume and retries failed and skipped ones", () => {
    const results = makeResults([
      makeCell({ method: "manual-cot", task: "a", seed: 1 }),
      makeCell({ method: "manual-cot", task: "b", seed: 1, status: "failed", score: null }),
      makeCell({ method: "sepo-generalist", task: "a", seed: 1, status: "skipped", score: null }),
    ]);
    expect(isCellDone(results, "manual-cot", "a", 1)).toBe(true);
    expect(isCellDone(results, "manual-cot", "b", 1)).toBe(false);
    const pending = pendingCells(results, grid, true);
    expect(pending).toHaveLength(7);
    expect(pending).not.toContainEqual({ method: "manual-cot", task: "a", seed: 1 });
    expect(pendingCells(results, grid, false)).toHaveLength(8);
  });

  it("a recorded cell replaces the earlier attempt", () => {
    const results = makeResults([makeCell({ method: "manual-cot", task: "a", seed: 1, status: "failed", score: null })]);
    recordCell(results, makeCell({ method: "manual-cot", task: "a", seed: 1, score: 0.7 }));
    expect(results.cells[cellKey("manual-cot", "a", 1)]!.score).toBe(0.7);
    expect(Object.keys(results.cells)).toHaveLength(1);
  });

  it("names the settings that changed, which make finished cells incomparable", () => {
    const a = makeResults().settings;
    expect(settingsConflicts(a, { ...a })).toEqual([]);
    expect(settingsConflicts(a, { ...a, budgetTaskCalls: 500, examplesPerTask: 60 })).toEqual(['budgetTaskCalls: "auto" -> 500', "examplesPerTask: 100 -> 60"]);
  });

  it("round-trips through disk with sorted keys", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bench-")), "out", "results.json");
    const results = makeResults([makeCell({ method: "textgrad", task: "b", seed: 2 }), makeCell({ method: "manual-cot", task: "a", seed: 1 })]);
    saveResults(path, results);
    expect(loadResults(path)).toEqual(results);
    const keys = Object.keys(JSON.parse(readFileSync(path, "utf8")).cells);
    expect(keys).toEqual(["manual-cot|a|1", "textgrad|b|2"]);
    expect(loadResults(join(path, "..", "missing.json"))).toBeNull();
  });
});
