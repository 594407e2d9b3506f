import { describe, expect, it } from "vitest";
import { scoreOutput } from "../../../src/scoring/registry";
import { type ScorerSpecInput, ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

/** Scores through the schema, as the service does, so defaults apply. */
function score(spec: ScorerSpecInput, output: string, expected: string) {
  return scoreOutput(ScorerSpecSchema.parse(spec), output, expected);
}

const GSM_STYLE = [
  "Natalia sold 48 clips in April.",
  "In May she sold half as many: 48 / 2 = 24.",
  "Altogether: 48 + 24 = 72.",
  "Answer: 72",
].join("\n");

describe("exact", () => {
  it.each([
    ["Answer: Paris", "Paris"],
    ["The capital is Paris.\nAnswer: paris.", "Paris"],
    ['Answer: "Paris"', "Paris"],
    ["**Answer:** **Paris**", "Paris"],
    ["Answer:   New   York  City", "new york city"],
    ["Reasoning...\n\\boxed{Paris}", "Paris"],
    ["Thinking it over, the answer is Paris.", "Paris"],
    ["Paris", " Paris. "],
  ])("accepts %j for %j", (output, expected) => {
    expect(score({ type: "exact" }, output, expected).score).toBe(1);
  });

  it("says what it read and where, when wrong", () => {
    expect(score({ type: "exact" }, "Hmm.\nAnswer: Lyon", "Paris")).toEqual({
      score: 0,
      feedback: 'Expected "Paris", got "Lyon" (from "Answer: Lyon").',
    });
  });

  it("compares case when asked to", () => {
    expect(score({ type: "exact", caseSensitive: true }, "Answer: paris", "Paris").score).toBe(0);
    expect(score({ type: "exact", caseSensitive: true }, "Answer: Paris", "Paris").score).toBe(1);
  });

  it("asks for an Answer line when the output is blank", () => {
    expect(score({ type: "exact" }, "  \n", "Paris")).toEqual({
      score: 0,
      feedback: 'No final answer found; end with "Answer: <value>".',
    });
  });
});

describe("numeric", () => {
  it.each([
    [GSM_STYLE, "72"],
    ["The total cost is $1,234.\nAnswer: $1,234", "1234"],
    ["Answer: 1234", "1,234"],
    ["Answer: 72 clips", "72"],
    ["Answer: -5", "-5"],
    ["Answer: 0.75", "3/4"],
    ["Answer: 3/4", "0.75"],
    ["$$\\boxed{\\frac{3}{4}}$$", "0.75"],
    ["So she has 18 left.\n\\boxed{18}.", "18"],
    ["Answer: x = 12", "12"],
    ["Therefore the answer is **72**.", "72"],
    ["She has 3 bags with 24 each, so 72 in total.", "72"],
    ["Answer: 50%", "50"],
  ])("accepts %j for %j", (output, expected) => {
    expect(score({ type: "numeric" }, output, expected).score).toBe(1);
  });

  it("gives the extracted and expected values when wrong", () => {
    expect(score({ type: "numeric" }, "48 + 23 = 71\nAnswer: 71", "72")).toEqual({
      score: 0,
      feedback: 'Expected 72, got 71 (from "Answer: 71").',
    });
  });

  it("applies absolute and relative tolerances", () => {
    expect(score({ type: "numeric" }, "Answer: 3.1416", "3.14159").score).toBe(0);
    expect(score({ type: "numeric", tolerance: 1e-3 }, "Answer: 3.1416", "3.14159").score).toBe(1);
    expect(score({ type: "numeric", tolerance: 0.01, relative: true }, "Answer: 1005", "1000").score).toBe(1);
    expect(score({ type: "numeric", tolerance: 0.01, relative: true }, "Answer: 1011", "1000").score).toBe(0);
    expect(score({ type: "numeric", tolerance: 0.01, relative: true }, "Answer: 0.005", "0").score).toBe(1);
  });

  it("explains a final answer without a number", () => {
    const result = score({ type: "numeric" }, "Answer: I cannot tell", "7");
    expect(result.score).toBe(0);
    expect(result.feedback).toBe('No number in the final answer "Answer: I cannot tell"; end with "Answer: <number>".');
  });

  it("blames the example when the expected value is not a number", () => {
    expect(score({ type: "numeric" }, "Answer: 7", "seven").feedback).toMatch(/not a number; fix the example/);
  });
});

describe("choice", () => {
  it.each([
    ["Answer: B", "B"],
    ["Answer: (B)", "B"],
    ["Answer: b", "B"],
    ["Answer: B) Mitochondria", "B"],
    ["**Answer: C.** Because the others are wrong.", "C"],
    ["Answer: [D]", "D"],
    ["After weighing the options, the answer is **B**.", "B"],
    ["The answer is (A) since it is larger.", "A"],
    ["Let me compare A and C.\nA careful look shows C is right.\nSo I pick C.", "C"],
    ["\\boxed{D}", "D"],
    ["Answer: Option B", "B"],
    ["Answer: B", "(b)"],
  ])("accepts %j for %j", (output, expected) => {
    expect(score({ type: "choice" }, output, expected).score).toBe(1);
  });

  it("scores a different letter 0 with both letters in the feedback", () => {
    expect(score({ type: "choice" }, "It must be the enzyme.\nAnswer: C", "B")).toEqual({
      score: 0,
      feedback: 'Expected B, got C (from "Answer: C").',
    });
  });

  it("ignores letters outside the choices", () => {
    expect(score({ type: "choice" }, "Answer: E", "A").feedback).toBe(
      'No choice letter (one of ABCD) in "Answer: E"; end with "Answer: <letter>".',
    );
    expect(score({ type: "choice", choices: "abcdefghij" }, "Answer: E", "E").score).toBe(1);
  });

  it("blames the example when the expected letter is not a choice", () => {
    expect(score({ type: "choice" }, "Answer: A", "Z").feedback).toMatch(/not one of ABCD; fix the example/);
  });
});

describe("contains", () => {
  it("finds the expected text anywhere, ignoring case and spacing", () => {
    expect(score({ type: "contains" }, "The culprit was   Colonel\nMustard, clearly.", "colonel mustard").score).toBe(1);
    expect(score({ type: "contains", caseSensitive: true }, "colonel mustard", "Colonel Mustard").score).toBe(0);
  });

  it("says what was missing", () => {
    expect(score({ type: "contains" }, "No idea.", "Mustard")).toEqual({
      score: 0,
      feedback: 'The output does not contain "Mustard".',
    });
  });

  it("does not credit an empty expected value", () => {
    expect(score({ type: "contains" }, "anything", "  ").score).toBe(0);
  });
});
