import { describe, expect, it } from "vitest";
import { scoreOutput } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

const spec = (raw: unknown) => ScorerSpecSchema.parse(raw);

describe("is-json scorer", () => {
  it("passes an answer that is one JSON value and nothing else", () => {
    expect(scoreOutput(spec({ type: "is-json" }), ' {"a": [1, 2]}\n', "").score).toBe(1);
    expect(scoreOutput(spec({ type: "is-json" }), "42", "").score).toBe(1);
  });

  it("fails prose, fences and truncated JSON with feedback saying why", () => {
    for (const output of ['Here it is: {"a": 1}', '```json\n{"a": 1}\n```', '{"a": ', ""]) {
      const result = scoreOutput(spec({ type: "is-json" }), output, "");
      expect(result.score).toBe(0);
      expect(result.feedback).toContain("must be JSON and nothing else");
    }
  });

  it("restricts the top-level kind when asked", () => {
    const objects = spec({ type: "is-json", kinds: ["object"] });
    expect(scoreOutput(objects, '{"a": 1}', "").score).toBe(1);
    const array = scoreOutput(objects, "[1]", "");
    expect(array.score).toBe(0);
    expect(array.feedback).toContain("an array; it must be object");
  });

  it("refuses unknown options and kinds", () => {
    expect(ScorerSpecSchema.safeParse({ type: "is-json", schema: {} }).success).toBe(false);
    expect(ScorerSpecSchema.safeParse({ type: "is-json", kinds: ["date"] }).success).toBe(false);
  });
});
