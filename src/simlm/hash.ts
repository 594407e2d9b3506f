/**
 * Deterministic hashing and a small seeded RNG for SimLM. Pure: no Math.random, no
 * clock, so the same request to the same SimLM seed always gets the same answer, in Node
 * and in workerd alike.
 */

/** Separates hashed parts, so ("ab", "c") and ("a", "bc") hash differently. */
const SEP = "\u0001";

/** FNV-1a, 32 bit, over UTF-16 code units: fast, and good enough once finalized. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finalizer: FNV alone leaves the low bits poorly mixed for short inputs. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of the parts, in order. */
export function hashOf(...parts: Array<string | number>): number {
  return fmix32(fnv1a(parts.join(SEP)));
}

/** A deterministic draw in [0, 1) from the parts. */
export function unitOf(...parts: Array<string | number>): number {
  return hashOf(...parts) / 4294967296;
}

/** A seeded stream of draws (mulberry32). Not cryptographic; only reproducible. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A draw in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen item; undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }

  /** An index drawn with probability proportional to its (non-negative) weight. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] ?? 0;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** An RNG seeded by hashing the parts. */
export function rngOf(...parts: Array<string | number>): Rng {
  return new Rng(hashOf(...parts));
}
