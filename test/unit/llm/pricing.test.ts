import { describe, expect, it } from "vitest";
import { costUsd, ModelPriceSchema } from "../../../src/llm/pricing";

describe("costUsd", () => {
  it("prices tokens per million", () => {
    const price = ModelPriceSchema.parse({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(costUsd({ promptTokens: 1_000_000, completionTokens: 500_000 }, price)).toBeCloseTo(0.45, 12);
    expect(costUsd({ promptTokens: 1200, completionTokens: 300 }, price)).toBeCloseTo(0.00036, 12);
  });

  it("is 0 without a configured price", () => {
    expect(costUsd({ promptTokens: 1000, completionTokens: 1000 })).toBe(0);
  });

  it("refuses negative or unknown price fields", () => {
    expect(ModelPriceSchema.safeParse({ inputPerMTok: -1, outputPerMTok: 1 }).success).toBe(false);
    expect(ModelPriceSchema.safeParse({ inputPerMTok: 1, outputPerMTok: 1, currency: "EUR" }).success).toBe(false);
  });
});
