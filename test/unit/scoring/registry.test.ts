import { describe, expect, it } from "vitest";
import { MAX_FEEDBACK_CHARS } from "../../../src/scoring/feedback";
import { SCORER_TYPES, scoreOutput } from "../../../src/scoring/registry";
import { type ScorerSpec, ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

describe("ScorerSpecSchema", () => {
  it("fills defaults", () => {
    expect(ScorerSpecSchema.parse({ type: "exact" })).toEqual({ type: "exact", caseSensitive: false });
    expect(ScorerSpecSchema.parse({ type: "numeric" })).toEqual({ type: "numeric", tolerance: 1e-6, relative: false });
    expect(ScorerSpecSchema.parse({ type: "choice", choices: "abcde" })).toEqual({ type: "choice", choices: "ABCDE" });
    expect(ScorerSpecSchema.parse({ type: "regex", pattern: "x" })).toEqual({ type: "regex", pattern: "x", flags: "" });
  });

  it("names an unknown option", () => {
    const result = ScorerSpecSchema.safeParse({ type: "exact", caseSensitve: true });
    expect(result.error?.issues[0]?.message).toBe('Unrecognized key: "caseSensitve"');
  });

  it("lists the known types for an unknown one", () => {
    const result = ScorerSpecSchema.safeParse({ type: "fuzzy" });
    expect(result.error?.issues[0]).toMatchObject({ path: ["type"] });
    for (const type of SCORER_TYPES) expect(result.error?.issues[0]?.message).toContain(`'${type}'`);
  });

  it("validates option values", () => {
    expect(ScorerSpecSchema.safeParse({ type: "numeric", tolerance: -1 }).success).toBe(false);
    expect(ScorerSpecSchema.safeParse({ type: "choice", choices: "AAB" }).success).toBe(false);
    expect(ScorerSpecSchema.safeParse({ type: "choice", choices: "A" }).success).toBe(false);
  });
});

describe("scoreOutput", () => {
  it("never throws: an unknown type or a broken spec scores 0 with a reason", () => {
    expect(scoreOutput({ type: "fuzzy" } as unknown as ScorerSpec, "x", "x")).toEqual({
      score: 0,
      feedback: 'Unknown scorer type "fuzzy".',
    });
    const broken = { type: "regex", pattern: "(", flags: "" } as ScorerSpec;
    const result = scoreOutput(broken, "x", "x");
    expect(result.score).toBe(0);
    expect(result.feedback).toMatch(/^The scorer failed: Invalid regular expression/);
  });

  it("tolerates non-string inputs from loosely typed callers", () => {
    const spec = ScorerSpecSchema.parse({ type: "exact" });
    expect(scoreOutput(spec, undefined as unknown as string, "x").score).toBe(0);
  });

  it("keeps feedback short however long the answer", () => {
    const spec = ScorerSpecSchema.parse({ type: "exact" });
    const result = scoreOutput(spec, `Answer: ${"word ".repeat(500)}`, "x".repeat(1000));
    expect(result.score).toBe(0);
    expect(result.feedback.length).toBeLessThanOrEqual(MAX_FEEDBACK_CHARS);
  });
});
