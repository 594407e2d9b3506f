import { describe, expect, it } from "vitest";
import { extractAnswer } from "../../../src/scoring/extract-answer";

describe("extractAnswer", () => {
  it.each([
    ["reasoning then an Answer line", "6 * 7 = 42, so the total is 42.\nAnswer: 42", "42", "answer-line"],
    ["the last of several Answer lines", "Answer: 41\nWait, I mis-added.\nAnswer: 42", "42", "answer-line"],
    ["markdown bold around the label", "Let me think.\n**Answer:** 42", "42", "answer-line"],
    ["a label alone, value on the next line", "Work...\n**Final Answer:**\n\n  B  \n", "B", "answer-line"],
    ["a full-width colon", "答案\nAnswer：7", "7", "answer-line"],
    ["a boxed value inside the Answer line", "Final answer: $\\boxed{\\frac{3}{4}}$", "\\frac{3}{4}", "answer-line"],
    ["a boxed value", "So x = 12.\n\\[\\boxed{12}\\]\nThat is it.", "12", "boxed"],
    ["a boxed value after an Answer line", "Answer: 41\nHmm, recheck: \\boxed{42}", "42", "boxed"],
    ["an Answer line after a box", "\\boxed{41}\nActually:\nAnswer: 42", "42", "answer-line"],
    ["'the answer is'", "Considering all options...\nThe answer is **B**.", "B", "answer-is"],
    ["the last line as a fallback", "Some reasoning.\n\nParis\n\n", "Paris", "last-line"],
  ])("reads %s", (_name, output, answer, source) => {
    expect(extractAnswer(output)).toMatchObject({ answer, source });
  });

  it("keeps the line the answer came from for feedback", () => {
    expect(extractAnswer("x\n  Answer: 41  \n")?.context).toBe("Answer: 41");
  });

  it("returns null for blank output", () => {
    expect(extractAnswer("")).toBeNull();
    expect(extractAnswer("  \n\n \t")).toBeNull();
  });

  it("skips an unbalanced box", () => {
    expect(extractAnswer("\\boxed{7}\n\\boxed{8")).toMatchObject({ answer: "7", source: "boxed" });
  });
});
