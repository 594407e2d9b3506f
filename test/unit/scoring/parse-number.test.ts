import { describe, expect, it } from "vitest";
import { findNumbers, parseNumber, pickAnswerNumber } from "../../../src/scoring/parse-number";

describe("parseNumber", () => {
  it.each([
    ["42", 42],
    ["  -7 ", -7],
    ["−3", -3],
    ["1,234", 1234],
    ["1,234,567.89", 1234567.89],
    ["3.14", 3.14],
    [".5", 0.5],
    ["3/4", 0.75],
    ["-3/4", -0.75],
    ["\\frac{1}{8}", 0.125],
    ["-\\dfrac{1}{2}", -0.5],
    ["$42", 42],
    ["$1,000$", 1000],
    ["50%", 50],
    ["1e-3", 0.001],
    ["**42**.", 42],
  ])("reads %j as %d", (text, value) => {
    expect(parseNumber(text)).toBeCloseTo(value, 12);
  });

  it.each(["", "abc", "1 and 2", "x2"])("refuses %j", (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe("findNumbers", () => {
  it("treats a minus between numbers as subtraction, not a sign", () => {
    expect(findNumbers("5-3 = -2").map((t) => t.value)).toEqual([5, 3, -2]);
  });

  it("does not read digits glued to letters or dates as fractions", () => {
    expect(findNumbers("H2O on 12/25/2020").map((t) => t.value)).toEqual([12, 25, 2020]);
  });
});

describe("pickAnswerNumber", () => {
  it.each([
    ["42 apples (6 * 7)", true, 42],
    ["x = 12", true, 12],
    ["3 + 4 = 7", true, 7],
    ["There were 3 boxes of 14, so 42", false, 42],
  ])("picks from %j", (answer, explicit, value) => {
    expect(pickAnswerNumber(answer, explicit)?.value).toBe(value);
  });
});
