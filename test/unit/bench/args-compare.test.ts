import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "../../../scripts/lib/bench/args";
import { compareResults } from "../../../scripts/lib/bench/compare";
import { METHOD_IDS } from "../../../scripts/lib/bench/methods";
import { makeCell, makeResults } from "./builders";

const SIM = ["sim-a", "sim-b"];

describe("parseBenchArgs", () => {
  it("defaults to every method, the sim pool, five seeds, resume on, two at a time", () => {
    const a = parseBenchArgs([], SIM);
    expect(a).toMatchObject({ methods: [...METHOD_IDS], tasks: SIM, seeds: [1, 2, 3, 4, 5], resume: true, concurrency: 2, budgetTaskCalls: null, url: null });
  });

  it("reads lists, repeated key=value flags and prices", () => {
    const a = parseBenchArgs(["--methods", "sepo-generalist,manual-cot", "--tasks", "sim,aime25", "--seeds", "2,1", "--from-file", "aime25=/d/aime", "--price", "m=1.5:6", "--no-resume", "--budget-task-calls", "400"], SIM);
    expect(a.methods).toEqual(["manual-cot", "sepo-generalist"]); // table order, not flag order
    expect(a.tasks).toEqual(["sim-a", "sim-b", "aime25"]);
    expect(a.seeds).toEqual([2, 1]);
    expect(a.fromFile).toEqual({ aime25: "/d/aime" });
    expect(a.prices).toEqual({ m: { inputPerMTok: 1.5, outputPerMTok: 6 } });
    expect(a.resume).toBe(false);
    expect(a.budgetTaskCalls).toBe(400);
  });

  it("freezes the working tree unless told to take HEAD", () => {
    expect(parseBenchArgs([], SIM).source).toBe("tree");
    expect(parseBenchArgs(["--source", "head"], SIM).source).toBe("head");
    expect(() => parseBenchArgs(["--source", "main"], SIM)).toThrow(/tree" or "head/);
  });

  it("rejects unknown methods and bad numbers", () => {
    expect(() => parseBenchArgs(["--methods", "dspy"], SIM)).toThrow(/unknown method/);
    expect(() => parseBenchArgs(["--concurrency", "0"], SIM)).toThrow(/positive integer/);
    expect(() => parseBenchArgs(["--price", "m=1"], SIM)).toThrow(/IN:OUT/);
    expect(() => parseBenchArgs(["--bogus"], SIM)).toThrow();
  });
});

describe("compareResults", () => {
  it("compares cells completed in both and reports any difference", () => {
    const a = makeResults([makeCell({ method: "manual-cot", task: "a", seed: 1 }), makeCell({ method: "manual-cot", task: "b", seed: 1 })]);
    const b = makeResults([makeCell({ method: "manual-cot", task: "a", seed: 1, runId: "run_other", seconds: 9 }), makeCell({ method: "textgrad", task: "a", seed: 1 })]);
    expect(compareResults(a, b)).toEqual({ compared: 1, mismatches: [] });
    b.cells["manual-cot|a|1"]!.score = 0.51;
    expect(compareResults(a, b).mismatches).toHaveLength(1);
  });
});
