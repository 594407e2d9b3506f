/**
 * Turning D1 column values into API values. Stored JSON is a trust boundary too (older
 * versions, hand edits): a column that no longer parses yields the fallback and a
 * warning, so one corrupt row cannot take down a whole list.
 */
import type { z } from "zod";

export function parseJsonColumn<S extends z.ZodType, F>(
  text: string | null,
  schema: S,
  fallback: F,
  where: string,
): z.infer<S> | F {
  if (text === null) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    console.warn(`unreadable JSON in ${where}`);
    return fallback;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    console.warn(`unexpected JSON shape in ${where}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return fallback;
  }
  return parsed.data;
}

/** Epoch milliseconds as stored -> the ISO 8601 string the API shows. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
