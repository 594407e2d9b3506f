import { describe, expect, it } from "vitest";
import { createRng, createRun, pairedBootstrap, summarizeRun } from "../../../src/engine";
import { drive, makeInput, makeTask } from "./fake-executor";

describe("pairedBootstrap", () => {
  it("gives an interval around the mean difference that excludes 0 for a consistent gain", () => {
    const a = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 0.25
    const b = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 || i % 2 === 1 ? 1 : 0)); // 0.75
    const interval = pairedBootstrap(a, b, createRng(1), 0.95);
    expect(interval.meanDiff).toBeCloseTo(0.5);
    expect(interval.low).toBeGreaterThan(0.3);
    expect(interval.high).toBeLessThan(0.7);
  });

  it("includes 0 for a small, noisy gain, and is reproducible", () => {
    const a = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const b = [1, 1, 0, 0, 1, 1, 1, 0, 0, 1];
    const first = pairedBootstrap(a, b, createRng(7), 0.95);
    expect(first.meanDiff).toBeCloseTo(0.1);
    expect(first.low).toBeLessThan(0);
    expect(first.high).toBeGreaterThan(0);
    expect(pairedBootstrap(a, b, createRng(7), 0.95)).toEqual(first);
  });
});

describe("promotion gate in a fine-tuning run", () => {
  it("promotes a champion that is clearly better on validation", () => {
    const { state } = drive(createRun(makeInput({ config: { generations: 4 }, tasks: [makeTask({ val: 40 })] }), 0));
    const report = summarizeRun(state).report!;
    expect(report.championId).not.toBe("run_1:c0");
    expect(report.promotion).toMatchObject({ promote: true, n: 40 });
    expect(report.promotion!.ciLow).toBeGreaterThan(0);
  });

  it("keeps the live prompt when the validation gain is too small to trust", () => {
    // Two validation examples: whatever the champion does, the interval cannot exclude 0.
    const { state } = drive(createRun(makeInput({ config: { generations: 4 }, tasks: [makeTask({ val: 2 })] }), 0));
    const report = summarizeRun(state).report!;
    expect(report.promotion?.promote).toBe(false);
    expect(report.promotion?.reason).toMatch(/at least 10/);
  });
});
