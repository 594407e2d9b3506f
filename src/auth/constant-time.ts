/**
 * Comparing secrets without leaking, through the time a comparison takes, how much of a
 * guess was right. `===` on strings stops at the first differing character.
 */

/**
 * Whether two byte strings are equal, in time that depends only on their lengths (never
 * on where they differ). Callers compare digests, whose length is public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** SHA-256 of a string's UTF-8 bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Whether `given` is the secret `expected`. Both are hashed first, so the comparison
 * runs over two equal-length digests and reveals neither the secret's length nor any
 * common prefix.
 */
export async function secretsMatch(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  return constantTimeEqual(a, b);
}
