/**
 * `is-json`: the whole answer is one JSON value (promptfoo's `is-json` without a schema).
 * Apps that parse the model's reply need exactly that: prose around the JSON, or a fence,
 * fails here even though json-field would dig the value out.
 */
import { z } from "zod";
import { quote } from "./feedback";
import type { Scorer } from "./scorer";

export const IsJsonSpecSchema = z.strictObject({
  type: z.literal("is-json"),
  /** Only these top-level kinds pass, e.g. ["object"]; any JSON value when absent. */
  kinds: z.array(z.enum(["object", "array", "string", "number", "boolean", "null"])).min(1).optional(),
});
export type IsJsonSpec = z.infer<typeof IsJsonSpecSchema>;

export const isJsonScorer: Scorer<IsJsonSpec> = {
  score(output, _expected, spec) {
    const text = output.trim();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const start = text.slice(0, 40);
      return { score: 0, feedback: `The answer must be JSON and nothing else; it is not (${(error as Error).message}). It starts with ${quote(start)}.` };
    }
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    if (spec.kinds && !spec.kinds.includes(kind as never)) {
      return { score: 0, feedback: `The answer is JSON but ${kind === "array" || kind === "object" ? "an" : "a"} ${kind}; it must be ${spec.kinds.join(" or ")}.` };
    }
    return { score: 1, feedback: `Valid JSON (${kind}).` };
  },
};
