/**
 * The order in which a GPQA item shows its four options. The CSV always lists the
 * correct answer first, so an unshuffled prompt would make "A" always right. The order
 * comes from (seed, record id), not from a position in the file, so one item keeps its
 * letters when the file is filtered, limited or reordered, and a run is reproducible.
 */
import { mulberry32 } from "../../split";

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a short id. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A permutation of 0..n-1 (Fisher-Yates) determined by `seed` and `id`: entry k is the
 * index of the original option shown at position k.
 */
export function optionOrder(seed: number, id: string, n = 4): number[] {
  const random = mulberry32(fnv1a(`${seed >>> 0}:${id}`));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
