import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, secretDisplayPrefix } from "../../../src/webhooks/inbound/secret";

describe("generateWebhookSecret", () => {
  it("is whsec_ and standard base64 of 32 random bytes, which the standardwebhooks library takes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(() => new Webhook(secret)).not.toThrow();
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it("is shown in lists by a prefix that gives away 6 characters of the key", () => {
    const secret = generateWebhookSecret();
    expect(secretDisplayPrefix(secret)).toBe(secret.slice(0, 12));
  });
});
