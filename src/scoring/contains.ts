/**
 * `contains`: the whole output contains the expected text. Meant for free-form answers
 * (a keyword, an entity name); it credits a correct value anywhere, reasoning included.
 */
import { z } from "zod";
import { quote } from "./feedback";
import type { Scorer } from "./scorer";

export const ContainsSpecSchema = z.strictObject({
  type: z.literal("contains"),
  caseSensitive: z.boolean().default(false),
});
export type ContainsSpec = z.infer<typeof ContainsSpecSchema>;

export const containsScorer: Scorer<ContainsSpec> = {
  score(output, expected, spec) {
    const fold = (text: string) => {
      const collapsed = text.normalize("NFKC").replace(/\s+/g, " ").trim();
      return spec.caseSensitive ? collapsed : collapsed.toLowerCase();
    };
    const needle = fold(expected);
    // An empty needle is in every output: that is a data error, not a success.
    if (!needle) return { score: 0, feedback: "The expected value is empty; fix the example." };
    if (fold(output).includes(needle)) return { score: 1, feedback: `The output contains ${quote(expected)}.` };
    return { score: 0, feedback: `The output does not contain ${quote(expected)}.` };
  },
};
