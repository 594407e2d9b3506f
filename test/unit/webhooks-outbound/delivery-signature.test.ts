import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ROTATION_GRACE_MS, SECRET_PREFIX, USER_AGENT, deliveryHeaders, generateSecret, signingSecrets } from "../../../src/webhooks/delivery-signature";

const secretA = generateSecret((bytes) => bytes.fill(1));
const secretB = generateSecret((bytes) => bytes.fill(2));
const payload = JSON.stringify({ type: "run.started", timestamp: "2026-05-01T12:00:00.000Z", data: { runId: "run_1" } });

describe("generateSecret", () => {
  it("is whsec_ and the base64 of 32 random bytes", () => {
    const secret = generateSecret();
    expect(secret.startsWith(SECRET_PREFIX)).toBe(true);
    expect(atob(secret.slice(SECRET_PREFIX.length))).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    expect(secretA).toBe(`whsec_${btoa(String.fromCharCode(...new Array(32).fill(1)))}`);
  });
});

describe("deliveryHeaders", () => {
  it("are the Standard Webhooks headers, and the library verifies them", () => {
    const timestamp = new Date();
    const headers = deliveryHeaders({ msgId: "evt_1_started", timestamp, payload, secrets: [secretA] });
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": "evt_1_started",
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secretA).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it("do not verify with another secret, another body or another id", () => {
    const headers = deliveryHeaders({ msgId: "evt_1_started", timestamp: new Date(), payload, secrets: [secretA] });
    expect(() => new Webhook(secretB).verify(payload, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secretA).verify(payload.replace("run_1", "run_2"), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secretA).verify(payload, { ...headers, "webhook-id": "evt_other" })).toThrow(WebhookVerificationError);
  });

  it("carry one signature per secret, so old and new secrets both verify during a rotation", () => {
    const headers = deliveryHeaders({ msgId: "evt_x", timestamp: new Date(), payload, secrets: [secretB, secretA] });
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(secretA).verify(payload, headers)).toBeTruthy();
    expect(new Webhook(secretB).verify(payload, headers)).toBeTruthy();
  });
});

describe("signingSecrets", () => {
  const now = 1_000_000;
  it("adds the previous secret only until its grace period ends", () => {
    expect(signingSecrets({ secret: secretB, previousSecret: null, previousSecretExpiresAt: null }, now)).toEqual([secretB]);
    expect(signingSecrets({ secret: secretB, previousSecret: secretA, previousSecretExpiresAt: now + ROTATION_GRACE_MS }, now)).toEqual([secretB, secretA]);
    expect(signingSecrets({ secret: secretB, previousSecret: secretA, previousSecretExpiresAt: now }, now)).toEqual([secretB]);
  });
});
