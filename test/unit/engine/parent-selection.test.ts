import { describe, expect, it } from "vitest";
import { createRng, selectionProbabilities, selectParents, type SelectionMember } from "../../../src/engine";

/** The method's formula, written out independently of the implementation. */
function expected(members: SelectionMember[], lambda: number, top: number): number[] {
  const sorted = members.map((m) => m.fitness).sort((a, b) => b - a);
  const topK = sorted.slice(0, top);
  const mid = topK.reduce((a, b) => a + b, 0) / topK.length;
  const w = members.map((m) => (1 / (1 + Math.exp(-lambda * (m.fitness - mid)))) / (1 + m.children));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

const options = { lambda: 10, top: 3 };

describe("DGM parent selection", () => {
  const members: SelectionMember[] = [
    { fitness: 0.9, children: 0 },
    { fitness: 0.5, children: 3 },
    { fitness: 0.2, children: 0 },
    { fitness: 0.7, children: 1 },
    { fitness: 0.85, children: 2 },
  ];

  it("computes P(i) = s_i h_i / sum s_j h_j with a_mid = mean of the top-3", () => {
    const p = selectionProbabilities(members, options);
    const e = expected(members, 10, 3);
    p.forEach((x, i) => expect(x).toBeCloseTo(e[i]!, 12));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("empirical frequencies over many seeded draws match P(i)", () => {
    const draws = 200_000;
    const picks = selectParents(createRng(11), members, draws, options);
    const freq = members.map((_, i) => picks.filter((x) => x === i).length / draws);
    const e = expected(members, 10, 3);
    freq.forEach((f, i) => expect(Math.abs(f - e[i]!)).toBeLessThan(0.005));
  });

  it("more children lower the probability (h_i = 1 / (1 + n_i))", () => {
    const p = selectionProbabilities(
      [
        { fitness: 0.6, children: 0 },
        { fitness: 0.6, children: 4 },
      ],
      options,
    );
    expect(p[0]! / p[1]!).toBeCloseTo(5, 10);
  });

  it("a member at a_mid gets s = 1/2; the top parameter moves a_mid", () => {
    const two: SelectionMember[] = [
      { fitness: 1, children: 0 },
      { fitness: 0, children: 0 },
    ];
    // top = 1: a_mid = 1, so s = [0.5, 1/(1+e^10)]
    const p = selectionProbabilities(two, { lambda: 10, top: 1 });
    const s1 = 0.5;
    const s2 = 1 / (1 + Math.exp(10));
    expect(p[0]).toBeCloseTo(s1 / (s1 + s2), 12);
    // top = 2: a_mid = 0.5, symmetric sigmoid
    const q = selectionProbabilities(two, { lambda: 10, top: 2 });
    expect(q[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 12);
  });

  it("is deterministic for a seed", () => {
    expect(selectParents(createRng(1), members, 10, options)).toEqual(selectParents(createRng(1), members, 10, options));
  });
});
