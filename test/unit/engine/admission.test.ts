import { describe, expect, it } from "vitest";
import { admissionEpsilon, isAdmitted, standardError } from "../../../src/engine";

describe("admission with tolerance", () => {
  it("uses the floor when the parent's standard error is smaller", () => {
    expect(admissionEpsilon([1, 1, 1, 1], 0.01)).toBe(0.01);
    expect(admissionEpsilon([1], 0.05)).toBe(0.05);
  });

  it("uses the standard error (sample sd / sqrt n) when it is larger", () => {
    const scores = [0, 1, 0, 1];
    const sd = Math.sqrt((4 * 0.25) / 3);
    expect(standardError(scores)).toBeCloseTo(sd / 2, 12);
    expect(admissionEpsilon(scores, 0.01)).toBeCloseTo(sd / 2, 12);
  });

  it("admits iff F(child) >= F(parent) - epsilon", () => {
    expect(isAdmitted(0.5, 0.5, 0.01)).toBe(true);
    expect(isAdmitted(0.49, 0.5, 0.01)).toBe(true);
    // 0.4 - 0.1 is 0.30000000000000004 in floats: a child at exactly the tolerance is still admitted.
    expect(isAdmitted(0.3, 0.4, 0.1)).toBe(true);
    expect(isAdmitted(0.48, 0.5, 0.01)).toBe(false);
    expect(isAdmitted(0.3, 0.5, admissionEpsilon([0, 1, 0, 1], 0.01))).toBe(true);
    expect(isAdmitted(0.2, 0.5, admissionEpsilon([0, 1, 0, 1], 0.01))).toBe(false);
  });
});
