/** `json-field`: one field of the JSON the model answered with equals the expected value. */
import { z } from "zod";
import { quote } from "./feedback";
import { findJson, jsonEqual, readPath } from "./find-json";
import { normalizeAnswer } from "./normalize";
import type { Scorer } from "./scorer";

export const JsonFieldSpecSchema = z.strictObject({
  type: z.literal("json-field"),
  /** A dot path into the answer: "label", "result.items.0.name". */
  path: z
    .string()
    .max(200)
    .regex(/^[^.]+(\.[^.]+)*$/, 'path must be dot-separated keys or indexes, like "a.b.0"'),
});
export type JsonFieldSpec = z.infer<typeof JsonFieldSpecSchema>;

export const jsonFieldScorer: Scorer<JsonFieldSpec> = {
  score(output, expected, spec) {
    const json = findJson(output);
    if (!json) return { score: 0, feedback: "No JSON found in the output; answer with a JSON object." };
    const field = readPath(json.value, spec.path);
    if (!field) return { score: 0, feedback: `The JSON answer has no field ${quote(spec.path)}.` };
    const shown = JSON.stringify(field.value) ?? "undefined";
    if (matches(field.value, expected)) return { score: 1, feedback: `Correct: ${spec.path} = ${quote(shown)}.` };
    return { score: 0, feedback: `Expected ${spec.path} = ${quote(expected)}, got ${quote(shown)}.` };
  },
};

/**
 * Expected JSON text ("[1,2]", "true") compares structurally; anything else, and any
 * primitive field, compares as normalized text, so "42" matches 42 and "Yes" matches "yes".
 */
function matches(actual: unknown, expected: string): boolean {
  try {
    if (jsonEqual(actual, JSON.parse(expected) as unknown)) return true;
  } catch {
    // Not JSON: plain text such as Paris; compared below.
  }
  if (actual !== null && typeof actual === "object") return false;
  return normalizeAnswer(String(actual)) === normalizeAnswer(expected);
}
