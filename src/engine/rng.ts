/**
 * A seeded pseudo-random generator whose whole state is one number, so it lives inside
 * the run state and a run resumed from storage draws exactly what it would have drawn.
 * The generator is mulberry32: small, fast, and good enough for selection and sampling.
 */
import { z } from "zod";

export const RngStateSchema = z.object({ a: z.number().int().min(0).max(0xffffffff) });
/** The generator's state; `nextFloat` advances it in place. */
export type RngState = z.infer<typeof RngStateSchema>;

/**
 * Creates a generator from an integer seed. Seeds beyond 32 bits are folded in rather
 * than truncated, so 1 and 2^32 + 1 give different runs.
 */
export function createRng(seed: number): RngState {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return { a: (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0 };
}

/** A float in [0, 1); advances `rng`. */
export function nextFloat(rng: RngState): number {
  rng.a = (rng.a + 0x6d2b79f5) >>> 0;
  let t = rng.a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** An integer in [0, n); advances `rng`. */
export function nextInt(rng: RngState, n: number): number {
  return Math.min(n - 1, Math.floor(nextFloat(rng) * n));
}

/**
 * `k` distinct items drawn uniformly (a partial Fisher-Yates shuffle), in draw order.
 * Asking for more items than exist returns all of them, shuffled.
 */
export function sampleWithoutReplacement<T>(rng: RngState, items: readonly T[], k: number): T[] {
  const pool = items.slice();
  const take = Math.min(k, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + nextInt(rng, pool.length - i);
    const picked = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = picked;
  }
  return pool.slice(0, take);
}
