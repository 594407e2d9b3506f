import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generateWebhookSecret } from "../../../src/webhooks/inbound/secret";
import { TIMESTAMP_TOLERANCE_SECONDS, verifyStandardDelivery } from "../../../src/webhooks/inbound/verify-standard";

const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);
const body = JSON.stringify({ type: "run.start", data: { kind: "finetune", taskId: "task_1" } });

/** Headers as a Standard Webhooks sender makes them, with the real library. */
function signed(secret: string, payload = body, sentAt = new Date(NOW), id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W") {
  const signature = new Webhook(secret).sign(id, sentAt, payload);
  return new Headers({ "webhook-id": id, "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)), "webhook-signature": signature });
}

describe("verifyStandardDelivery", () => {
  const secret = generateWebhookSecret();
  // The library checks the time against Date.now() itself: keep both clocks on NOW.
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  it("accepts a delivery the standardwebhooks library signed, and returns its id", () => {
    expect(verifyStandardDelivery(secret, body, signed(secret), NOW)).toEqual({ ok: true, webhookId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" });
  });

  it("accepts any matching signature among several (a sender mid-rotation sends two)", () => {
    const headers = signed(secret);
    const other = new Webhook(generateWebhookSecret()).sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", new Date(NOW), body);
    headers.set("webhook-signature", `${other} ${headers.get("webhook-signature")}`);
    expect(verifyStandardDelivery(secret, body, headers, NOW).ok).toBe(true);
  });

  it("refuses another secret's signature, a changed body, and a changed id", () => {
    expect(verifyStandardDelivery(secret, body, signed(generateWebhookSecret()), NOW)).toMatchObject({ ok: false, reason: /does not match/ });
    expect(verifyStandardDelivery(secret, body.replace("task_1", "task_2"), signed(secret), NOW)).toMatchObject({ ok: false, reason: /does not match/ });
    const headers = signed(secret);
    headers.set("webhook-id", "msg_other");
    expect(verifyStandardDelivery(secret, body, headers, NOW)).toMatchObject({ ok: false, webhookId: "msg_other" });
  });

  it("refuses timestamps outside the tolerance either way, naming it, and accepts those just inside", () => {
    const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000);
    const stale = verifyStandardDelivery(secret, body, signed(secret, body, at(-TIMESTAMP_TOLERANCE_SECONDS - 1)), NOW);
    expect(stale).toMatchObject({ ok: false, reason: expect.stringContaining(`${TIMESTAMP_TOLERANCE_SECONDS + 1} s old`) });
    expect((stale as { reason: string }).reason).toContain(`within ${TIMESTAMP_TOLERANCE_SECONDS} s`);
    const future = verifyStandardDelivery(secret, body, signed(secret, body, at(TIMESTAMP_TOLERANCE_SECONDS + 1)), NOW);
    expect(future).toMatchObject({ ok: false, reason: expect.stringContaining("in the future") });
    expect(verifyStandardDelivery(secret, body, signed(secret, body, at(-TIMESTAMP_TOLERANCE_SECONDS + 1)), NOW).ok).toBe(true);
    expect(verifyStandardDelivery(secret, body, signed(secret, body, at(TIMESTAMP_TOLERANCE_SECONDS - 1)), NOW).ok).toBe(true);
  });

  it("keeps the tolerance at or below the library's own five minutes", () => {
    expect(TIMESTAMP_TOLERANCE_SECONDS).toBeLessThanOrEqual(5 * 60);
  });

  it("refuses missing headers and a timestamp that is not Unix seconds", () => {
    const headers = signed(secret);
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      const missing = new Headers(headers);
      missing.delete(name);
      expect(verifyStandardDelivery(secret, body, missing, NOW)).toMatchObject({ ok: false, reason: /need the headers/ });
    }
    const iso = new Headers(headers);
    iso.set("webhook-timestamp", new Date(NOW).toISOString());
    expect(verifyStandardDelivery(secret, body, iso, NOW)).toMatchObject({ ok: false, reason: /Unix seconds/ });
  });

  it("refuses an over-long id and keeps only its start for the log", () => {
    const id = "x".repeat(300);
    const result = verifyStandardDelivery(secret, body, signed(secret, body, new Date(NOW), id), NOW);
    expect(result).toMatchObject({ ok: false, reason: /at most 255/ });
    expect(result.webhookId).toHaveLength(255);
  });
});
