import { describe, expect, it } from "vitest";
import { findJson, readPath } from "../../../src/scoring/find-json";
import { scoreOutput } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

const label = ScorerSpecSchema.parse({ type: "json-field", path: "label" });

describe("json-field scorer", () => {
  it.each([
    ['{"label": "positive", "confidence": 0.9}', "positive"],
    ['Here is my classification:\n```json\n{"label": "Positive"}\n```\nHope that helps.', "positive"],
    ['I think {"label": "positive"} fits best.', "positive"],
    ['Draft: ```json\n{"label": "negative"}\n```\nCorrected:\n```json\n{"label": "positive"}\n```', "positive"],
    ['Set {x} aside. {"note": "a } in a string", "label": "positive"}', "positive"],
  ])("reads the field from %j", (output, expected) => {
    expect(scoreOutput(label, output, expected).score).toBe(1);
  });

  it("compares JSON-looking expectations structurally", () => {
    const items = ScorerSpecSchema.parse({ type: "json-field", path: "result.items" });
    const output = '{"result": {"items": [{"b": 2, "a": 1}, 3]}}';
    expect(scoreOutput(items, output, '[{"a": 1, "b": 2}, 3]').score).toBe(1);
    expect(scoreOutput(items, output, "[3]").score).toBe(0);
  });

  it("matches primitives as text, so 42 equals \"42\" and indexes work", () => {
    const first = ScorerSpecSchema.parse({ type: "json-field", path: "answers.0" });
    expect(scoreOutput(first, '{"answers": ["42", 7]}', "42").score).toBe(1);
    expect(scoreOutput(first, '{"answers": [42]}', "42").score).toBe(1);
    expect(scoreOutput(first, '{"answers": [true]}', "true").score).toBe(1);
  });

  it("explains wrong values, missing fields and missing JSON", () => {
    expect(scoreOutput(label, '{"label": "negative"}', "positive")).toEqual({
      score: 0,
      feedback: 'Expected label = "positive", got "\'negative\'".',
    });
    expect(scoreOutput(label, '{"class": "x"}', "x").feedback).toBe('The JSON answer has no field "label".');
    expect(scoreOutput(label, "positive", "positive").feedback).toBe("No JSON found in the output; answer with a JSON object.");
  });

  it("refuses a malformed path when the spec is parsed", () => {
    expect(ScorerSpecSchema.safeParse({ type: "json-field", path: "a..b" }).success).toBe(false);
    expect(ScorerSpecSchema.safeParse({ type: "json-field" }).success).toBe(false);
  });
});

describe("findJson and readPath", () => {
  it("ignores prose braces and bare numbers", () => {
    expect(findJson("42")).toBeNull();
    expect(findJson("use {braces} wisely")).toBeNull();
  });

  it("reads own properties only", () => {
    expect(readPath({ a: {} }, "a.constructor")).toBeNull();
    expect(readPath({ a: [1, 2] }, "a.5")).toBeNull();
    expect(readPath({ a: [1, { b: null }] }, "a.1.b")).toEqual({ value: null });
  });
});
