/**
 * A benchmark task pack: everything needed to turn a public data set into a
 * `POST /v1/tasks` body (examples, the Manual-CoT seed prompt, the scorer spec and the
 * default split). Packs are plain data plus one pure `parse` function, so they run in
 * Node (the CLI and bench side) and never touch the network themselves: ./load fetches
 * or reads the raw files and hands the bytes to `parse` (gunzipped in memory when they
 * are gzip, so `parse` always sees the plain published format).
 */
import type { ScorerSpec } from "../scoring/scorer-spec";
import type { SplitRatios } from "../split";

/** One example as `POST /v1/tasks` takes it; `meta` is for reports only and is never sent. */
export interface PackExample {
  input: string;
  expected: string;
  meta?: Record<string, string | number>;
}

/** A raw file a pack is built from, as published. */
export interface PackSource {
  /** The key of this file in `parse`'s `files` (e.g. "test.jsonl"). */
  name: string;
  /** The public URL it is downloaded from when no local file is given. */
  url: string;
  /** Provenance: what the file is, its format, its licence or upstream. */
  note: string;
}

/** Options of `parse`: every pack is deterministic given these. */
export interface PackParseOptions {
  /** Seeds any per-example randomness (option shuffles, sampling). */
  seed: number;
  /** Keep at most this many examples (a deterministic subset; all when absent). */
  limit?: number;
}

/**
 * The contract every pack keeps: `parse` is pure and deterministic (same bytes and
 * options, same examples in the same order), throws an Error naming the file and record
 * for malformed data, and every gold `expected` it returns scores 1 under `scorer`.
 */
export interface TaskPack {
  /** Stable id: "aime25" | "gpqa-diamond" | "sudoku" | "arc-agi-1" | "mbpp" | "mbpp-js". */
  id: string;
  name: string;
  description: string;
  /** The Manual-CoT prompt the run starts from. */
  seedPrompt: string;
  /** A parsed spec from ScorerSpecSchema (all options present, so it is also a valid input). */
  scorer: ScorerSpec;
  /** The public files, by `name`; `parse` receives them under the same names. */
  sources: PackSource[];
  /** Parses the public format(s) into examples. `files` holds raw bytes keyed by source name. */
  parse(files: Record<string, Uint8Array>, options: PackParseOptions): PackExample[];
  /** Default split ratios for the paper-style run. */
  split: SplitRatios;
  /** pass@k: answers per example (the paper scores ARC-AGI-1 pass@3); absent means 1. */
  attempts?: number;
}

/** The UTF-8 text of source `name`, or an Error saying which file is missing. */
export function sourceText(files: Record<string, Uint8Array>, name: string): string {
  const bytes = files[name];
  if (!bytes) throw new Error(`missing source file "${name}" (have: ${Object.keys(files).join(", ") || "none"})`);
  return new TextDecoder("utf-8").decode(bytes);
}

/**
 * The first `limit` examples (all when `limit` is absent). A prefix, so a smaller limit
 * always gives a subset of a larger one and runs with different limits stay comparable.
 */
export function takeLimit<T>(items: T[], limit: number | undefined): T[] {
  if (limit === undefined) return items;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  return items.slice(0, limit);
}
