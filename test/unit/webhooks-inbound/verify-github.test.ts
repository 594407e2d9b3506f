import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret } from "../../../src/webhooks/inbound/secret";
import { verifyGitHubDelivery } from "../../../src/webhooks/inbound/verify-github";

const body = JSON.stringify({ ref: "refs/heads/main", after: "0".repeat(40) });
const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

async function signed(secret: string, payload = body) {
  return new Headers({ "x-hub-signature-256": await sign(secret, payload), "x-github-event": "push", "x-github-delivery": DELIVERY });
}

describe("verifyGitHubDelivery", () => {
  const secret = generateWebhookSecret();

  it("accepts a body @octokit/webhooks-methods signed with the whole secret, and returns X-GitHub-Delivery", async () => {
    expect(await verifyGitHubDelivery(secret, body, await signed(secret))).toEqual({ ok: true, webhookId: DELIVERY });
  });

  it("refuses another secret, a changed body, and the secret without its whsec_ prefix", async () => {
    expect(await verifyGitHubDelivery(secret, body, await signed(generateWebhookSecret()))).toMatchObject({ ok: false, reason: /does not match/ });
    expect(await verifyGitHubDelivery(secret, `${body} `, await signed(secret))).toMatchObject({ ok: false, reason: /does not match/ });
    expect(await verifyGitHubDelivery(secret, body, await signed(secret.slice("whsec_".length)))).toMatchObject({ ok: false });
  });

  it("refuses a missing, SHA-1 or malformed signature header before hashing", async () => {
    const headers = await signed(secret);
    const without = new Headers(headers);
    without.delete("x-hub-signature-256");
    expect(await verifyGitHubDelivery(secret, body, without)).toMatchObject({ ok: false, reason: /need X-Hub-Signature-256/, webhookId: DELIVERY });
    for (const bad of ["sha1=" + "a".repeat(40), headers.get("x-hub-signature-256")!.toUpperCase(), "sha256=zz", `${headers.get("x-hub-signature-256")}00`]) {
      const wrong = new Headers(headers);
      wrong.set("x-hub-signature-256", bad);
      expect(await verifyGitHubDelivery(secret, body, wrong), bad).toMatchObject({ ok: false, reason: /64 lowercase hex/ });
    }
  });

  it("refuses an empty body instead of letting the library throw", async () => {
    const headers = await signed(secret);
    expect(await verifyGitHubDelivery(secret, "", headers)).toMatchObject({ ok: false, reason: /empty body/ });
  });
});
