/**
 * Project API keys: `sk_` and 32 random bytes in base64url. Only the SHA-256 hash is
 * stored; with 256 bits of entropy a key cannot be guessed from its hash, so no slow KDF
 * is needed, and an equal hash can be looked up through an index.
 */
import { sha256 } from "./constant-time";

export const API_KEY_PREFIX = "sk_";
/** Characters of a key kept in clear (`sk_` and five more) so people can tell keys apart. */
export const DISPLAY_PREFIX_LENGTH = 8;
const KEY_PATTERN = /^sk_[A-Za-z0-9_-]{43}$/;

/** A new key. Shown to its creator once and never stored. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${API_KEY_PREFIX}${base64Url(bytes)}`;
}

/** Whether a token has the shape of a key this service issues (saves a lookup for anything else). */
export function isApiKeyShaped(token: string): boolean {
  return KEY_PATTERN.test(token);
}

/** What is stored for a key: SHA-256, lowercase hex. */
export async function hashApiKey(key: string): Promise<string> {
  return toHex(await sha256(key));
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
