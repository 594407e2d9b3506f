/**
 * Finding the JSON value a model answered with. Models wrap JSON in prose or in a
 * ```json fence, so the whole output is tried first, then fenced blocks (last first: a
 * model that corrects itself fences the correction last), then the first parseable
 * `{...}` span.
 */

export type FoundJson = { value: unknown } | null;

/** How many `{` positions are tried, so that brace-heavy prose cannot make this quadratic. */
const MAX_SPAN_STARTS = 20;

export function findJson(output: string): FoundJson {
  const whole = tryParse(output.trim());
  if (whole) return whole;
  const fences = [...output.matchAll(/```[A-Za-z]*[ \t]*\r?\n([\s\S]*?)```/g)].reverse();
  for (const fence of fences) {
    const found = tryParse(fence[1]!.trim());
    if (found) return found;
  }
  let start = output.indexOf("{");
  for (let tries = 0; start >= 0 && tries < MAX_SPAN_STARTS; tries++) {
    const end = matchingBrace(output, start);
    const found = end < 0 ? null : tryParse(output.slice(start, end + 1));
    if (found) return found;
    start = output.indexOf("{", start + 1);
  }
  return null;
}

/** Parses objects and arrays only: a bare `42` in prose is not the JSON answer. */
function tryParse(text: string): FoundJson {
  if (!/^[[{]/.test(text)) return null;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The value at a dot path ("a.b.0"); own properties only, so "constructor" is not found. */
export function readPath(value: unknown, path: string): FoundJson {
  let current = value;
  for (const segment of path.split(".")) {
    if (Array.isArray(current) && /^\d+$/.test(segment) && Number(segment) < current.length) {
      current = current[Number(segment)];
    } else if (current !== null && typeof current === "object" && !Array.isArray(current) && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return null;
    }
  }
  return { value: current };
}

/** Structural equality of JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
