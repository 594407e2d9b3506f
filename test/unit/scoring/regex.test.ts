import { describe, expect, it } from "vitest";
import { hasNestedQuantifier, MAX_REGEX_INPUT_CHARS } from "../../../src/scoring/regex";
import { scoreOutput } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

function issues(spec: unknown) {
  const result = ScorerSpecSchema.safeParse(spec);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("regex scorer", () => {
  const yesNo = ScorerSpecSchema.parse({ type: "regex", pattern: "^Answer: (yes|no)$", flags: "mi" });

  it("matches the whole output, line anchors included", () => {
    expect(scoreOutput(yesNo, "The sky is blue.\nanswer: YES", "ignored")).toEqual({
      score: 1,
      feedback: 'The output matches "/^Answer: (yes|no)$/mi".',
    });
    expect(scoreOutput(yesNo, "Answer: maybe", "").score).toBe(0);
  });

  it("tests only the tail of a very long output", () => {
    const spec = ScorerSpecSchema.parse({ type: "regex", pattern: "^START" });
    const long = `START${"x".repeat(MAX_REGEX_INPUT_CHARS)}`;
    expect(scoreOutput(spec, long, "").score).toBe(0);
    expect(scoreOutput(ScorerSpecSchema.parse({ type: "regex", pattern: "END$" }), `${long}END`, "").score).toBe(1);
  });

  it("refuses a pattern that does not compile, naming the field", () => {
    expect(issues({ type: "regex", pattern: "(unclosed" })).toEqual([
      expect.stringMatching(/^pattern: pattern does not compile: /),
    ]);
  });

  it("refuses stateful or unknown flags", () => {
    expect(issues({ type: "regex", pattern: "a", flags: "g" })).toEqual(["flags: flags may only contain i, m, s and u"]);
    expect(issues({ type: "regex", pattern: "a", flags: "ii" })).toEqual(["flags: flags must not repeat"]);
  });

  it("refuses long patterns and nested quantifiers", () => {
    expect(issues({ type: "regex", pattern: "a".repeat(501) })).toHaveLength(1);
    expect(issues({ type: "regex", pattern: "^(a+)+$" })[0]).toMatch(/^pattern: .*exponential time/);
  });
});

describe("hasNestedQuantifier", () => {
  it.each(["(a+)+", "(a*)*", "(\\w+\\s?)*", "((ab)+c)*", "(?:x|y+){2,}", "([a-z]+)+$"])("flags %s", (pattern) => {
    expect(hasNestedQuantifier(pattern)).toBe(true);
  });

  it.each(["^Answer: (yes|no)$", "(ab)+", "a+b*", "(\\d+)", "[(+]+", "\\(a+\\)+", "(a+){2}", "(a?)+"])("allows %s", (pattern) => {
    expect(hasNestedQuantifier(pattern)).toBe(false);
  });
});
