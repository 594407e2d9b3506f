import { describe, expect, it } from "vitest";
import { createRng, nextFloat, nextInt, sampleWithoutReplacement } from "../../../src/engine";

describe("rng", () => {
  it("is deterministic by seed and differs across seeds", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => nextFloat(rng));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw(2 ** 32 + 1));
  });

  it("resumes bit-for-bit from a JSON copy of its state", () => {
    const rng = createRng(9);
    for (let i = 0; i < 10; i++) nextFloat(rng);
    const copy = JSON.parse(JSON.stringify(rng));
    expect(Array.from({ length: 20 }, () => nextFloat(copy))).toEqual(Array.from({ length: 20 }, () => nextFloat(rng)));
  });

  it("draws roughly uniform integers in range", () => {
    const rng = createRng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[nextInt(rng, 4)]! += 1;
    for (const c of counts) expect(Math.abs(c / 40_000 - 0.25)).toBeLessThan(0.01);
  });

  it("samples distinct items without replacement", () => {
    const rng = createRng(5);
    const picked = sampleWithoutReplacement(rng, [1, 2, 3, 4, 5, 6], 4);
    expect(new Set(picked).size).toBe(4);
    expect(sampleWithoutReplacement(rng, [1, 2], 5).sort()).toEqual([1, 2]);
  });
});
