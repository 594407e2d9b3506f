/**
 * What a model's token usage cost. Prices are user configuration (providers change them
 * and self-hosted models have none), so there is deliberately no table of defaults here.
 */
import { z } from "zod";
import type { Usage } from "../engine/jobs";

/** US dollars per million tokens, as providers quote them. */
export const ModelPriceSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative().finite(),
  outputPerMTok: z.number().nonnegative().finite(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** Cost in US dollars; 0 when no price is configured (unknown is shown as free, not as an error). */
export function costUsd(usage: Pick<Usage, "promptTokens" | "completionTokens">, price?: ModelPrice): number {
  if (!price) return 0;
  return (usage.promptTokens * price.inputPerMTok + usage.completionTokens * price.outputPerMTok) / 1_000_000;
}
