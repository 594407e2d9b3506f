import { describe, expect, it } from "vitest";
import { formatDuration, reportNotes } from "../../../scripts/lib/bench/notes";
import { makeCell, makeResults } from "./builders";

describe("reportNotes", () => {
  it("labels SimLM as simulated and warns that packs score 0 on it", () => {
    const notes = reportNotes(makeResults(), ["sim-logic", "aime25"], []);
    expect(notes[0]).toMatch(/SIMULATED model/);
    expect(notes.some((n) => n.startsWith("SimLM tasks: 100 examples"))).toBe(true);
    expect(notes.some((n) => /pack tasks score 0 here/.test(n))).toBe(true);
  });

  it("groups cells that did not complete by method, status and reason", () => {
    const results = makeResults([
      makeCell({ method: "textgrad", task: "a", seed: 1, status: "skipped", score: null, note: "no method" }),
      makeCell({ method: "textgrad", task: "b", seed: 1, status: "skipped", score: null, note: "no method" }),
      makeCell({ method: "manual-cot", task: "a", seed: 1 }),
    ]);
    expect(reportNotes(results, ["a", "b"], [])).toContain("2 cell(s) TextGrad-style: skipped: no method");
  });

  it("says when cells come from more than one code version", () => {
    const results = makeResults();
    results.sessions.push({ startedAt: "t1", seconds: 60, cellsRun: 3, code: "abc" }, { startedAt: "t2", seconds: 3700, cellsRun: 1, code: "def" });
    const notes = reportNotes(results, ["a"], []);
    expect(notes).toContain("Code: abc; def (cells come from more than one code version).");
    expect(notes.at(-1)).toBe("Timing: the last invocation ran 1 cells in 1h 1m 40s; all invocations together 1h 2m 40s (wall clock, including stack start-up).");
  });

  it("formats durations", () => {
    expect(formatDuration(59)).toBe("59s");
    expect(formatDuration(61)).toBe("1m 1s");
  });
});
