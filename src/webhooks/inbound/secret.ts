/**
 * Endpoint secrets in the Standard Webhooks format: `whsec_` and base64 of 32 random
 * bytes. Standard Webhooks senders decode the base64 part into the HMAC key; GitHub uses
 * the whole string as typed into its webhook settings. Shown once; lists show a prefix.
 */

export const SECRET_PREFIX = "whsec_";
/** 256 bits: the HMAC-SHA256 key length, beyond any guessing. */
const SECRET_BYTES = 32;
/** Characters kept in clear in lists (`whsec_` and six more) so people can tell secrets apart. */
const DISPLAY_LENGTH = SECRET_PREFIX.length + 6;

export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  // Standard base64 (with + and /): the alphabet standardwebhooks' decoder expects.
  return `${SECRET_PREFIX}${btoa(binary)}`;
}

export function secretDisplayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_LENGTH);
}
