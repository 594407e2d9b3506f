/**
 * `tasks create` inputs other than promptfoo: a JSON task body, or examples (a JSONL
 * file or a JSON list) completed by flags. The API validates the result; checks here
 * only point at what the API cannot: a line number, a missing flag.
 */
import { InputError, UsageError } from "./cli-error";

export type TaskFile = { kind: "body"; body: Record<string, unknown> } | { kind: "examples"; examples: unknown[] };

/** `.jsonl` / `.ndjson`: one example per line; otherwise JSON: a task body, or a list of examples. */
export function parseTaskFile(path: string, text: string): TaskFile {
  if (/\.(jsonl|ndjson)$/i.test(path)) return { kind: "examples", examples: parseJsonl(path, text) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON (${(error as Error).message}); a file of one example per line should end in .jsonl`);
  }
  if (Array.isArray(parsed)) return { kind: "examples", examples: parsed };
  if (!parsed || typeof parsed !== "object") throw new InputError(`${path} must hold a task object (or a list of examples)`);
  return { kind: "body", body: parsed as Record<string, unknown> };
}

export function parseJsonl(path: string, text: string): unknown[] {
  const examples: unknown[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${path} line ${i + 1} is not valid JSON: ${(error as Error).message}`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new InputError(`${path} line ${i + 1} must be an object like {"input": "...", "expected": "..."}`);
    }
    examples.push(value);
  }
  if (examples.length === 0) throw new InputError(`${path} holds no examples`);
  return examples;
}

/** `--scorer exact` or `--scorer '{"type":"regex","pattern":"^yes$"}'`. */
export function parseScorerFlag(value: string): Record<string, unknown> {
  if (!value.trim().startsWith("{")) {
    if (!/^[a-z][a-z0-9-]*$/.test(value)) throw new UsageError(`--scorer must be a scorer type such as exact, or a JSON object`);
    return { type: value };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(`--scorer is not valid JSON: ${value}`);
  }
  if (!parsed || typeof parsed !== "object" || typeof (parsed as { type?: unknown }).type !== "string") {
    throw new UsageError('--scorer JSON needs a "type", e.g. {"type":"exact"}');
  }
  return parsed as Record<string, unknown>;
}

/** `--split 0.6,0.2,0.2`: train, val and test fractions. */
export function parseSplitFlag(value: string): { train: number; val: number; test: number } {
  const parts = value.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) throw new UsageError("--split takes three fractions train,val,test, e.g. 0.6,0.2,0.2");
  return { train: parts[0]!, val: parts[1]!, test: parts[2]! };
}

export function parseIntFlag(name: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be an integer`);
  return Number(value);
}
