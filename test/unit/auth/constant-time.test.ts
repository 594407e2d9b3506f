import { describe, expect, it } from "vitest";
import { constantTimeEqual, secretsMatch } from "../../../src/auth/constant-time";

const bytes = (...xs: number[]) => new Uint8Array(xs);

describe("constantTimeEqual", () => {
  it("is true only for the same bytes", () => {
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(bytes(), bytes())).toBe(true);
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(bytes(0, 2, 3), bytes(1, 2, 3))).toBe(false);
  });

  it("is false for different lengths, even when one is a prefix of the other or padded with zeros", () => {
    expect(constantTimeEqual(bytes(1, 2), bytes(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(bytes(1, 2, 0), bytes(1, 2))).toBe(false);
    expect(constantTimeEqual(bytes(), bytes(0))).toBe(false);
  });

  it("finds a difference in any position of a digest", () => {
    const digest = new Uint8Array(32).map((_, i) => i * 7);
    for (let i = 0; i < digest.length; i++) {
      const other = digest.slice();
      other[i]! ^= 0x80;
      expect(constantTimeEqual(digest, other), `byte ${i}`).toBe(false);
    }
  });
});

describe("secretsMatch", () => {
  it("matches the same secret only", async () => {
    expect(await secretsMatch("correct horse battery staple", "correct horse battery staple")).toBe(true);
    expect(await secretsMatch("correct horse battery stapl", "correct horse battery staple")).toBe(false);
    expect(await secretsMatch("", "correct horse battery staple")).toBe(false);
    expect(await secretsMatch("Correct horse battery staple", "correct horse battery staple")).toBe(false);
  });
});
