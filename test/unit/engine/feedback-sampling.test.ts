import { describe, expect, it } from "vitest";
import { createRng, sampleFailures, sampleFeedback } from "../../../src/engine";

function scored(scores: (number | null)[]) {
  return { candidateId: "c", exampleIds: scores.map((_, i) => `e${i}`), scores };
}
const scoreOf = (s: ReturnType<typeof scored>, exampleId: string) => s.scores[Number(exampleId.slice(1))];

describe("feedback sampling", () => {
  it("draws failures and successes 1:1", () => {
    const s = scored(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0.5)));
    const refs = sampleFeedback(createRng(1), s, 8);
    expect(refs).toHaveLength(8);
    expect(refs.filter((r) => scoreOf(s, r.exampleId)! < 1)).toHaveLength(4);
    expect(new Set(refs.map((r) => r.exampleId)).size).toBe(8);
    expect(refs.every((r) => r.candidateId === "c")).toBe(true);
  });

  it("gives the odd slot to failures", () => {
    const s = scored(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    const refs = sampleFeedback(createRng(1), s, 5);
    expect(refs.filter((r) => scoreOf(s, r.exampleId) === 0)).toHaveLength(3);
  });

  it("fills a short side from the other", () => {
    const s = scored([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const refs = sampleFeedback(createRng(2), s, 8);
    expect(refs.filter((r) => scoreOf(s, r.exampleId) === 1)).toHaveLength(2);
    expect(refs.filter((r) => scoreOf(s, r.exampleId) === 0)).toHaveLength(6);
    const few = scored([0, 1, 1, 1, 1, 1]);
    expect(sampleFeedback(createRng(2), few, 4).filter((r) => scoreOf(few, r.exampleId) === 0)).toHaveLength(1);
  });

  it("never shows unscored examples and returns all when fewer exist", () => {
    const s = scored([null, 0, null, 1]);
    expect(sampleFeedback(createRng(3), s, 16).map((r) => r.exampleId).sort()).toEqual(["e1", "e3"]);
  });

  it("is deterministic by seed", () => {
    const s = scored(Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
    expect(sampleFeedback(createRng(7), s, 6)).toEqual(sampleFeedback(createRng(7), s, 6));
    expect(sampleFeedback(createRng(7), s, 6)).not.toEqual(sampleFeedback(createRng(8), s, 6));
  });

  it("samples up to max failures for track records", () => {
    const s = scored([0, 0.5, 1, 0, 1, 0, 0]);
    const refs = sampleFailures(createRng(1), s, 4);
    expect(refs).toHaveLength(4);
    expect(refs.every((r) => scoreOf(s, r.exampleId)! < 1)).toBe(true);
  });
});
