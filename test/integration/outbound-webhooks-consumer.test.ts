/**
 * The outbound webhook consumer, one message at a time (support/webhook-consumer.ts): a
 * failing receiver is retried with backoff and every attempt logged, Retry-After and
 * redirects, the give-up and the manual retry, replays delivered once, disabled
 * subscriptions, test pings, rotation, and messages that cannot be handled.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { WEBHOOK_SUBSCRIPTION_SCHEMAS as S } from "../../src/openapi/webhook-subscription-schemas";
import { MAX_ATTEMPTS } from "../../src/webhooks/delivery-backoff";
import type { WebhookEventMessage } from "../../src/webhooks/queue-message";
import { createProjectWithKey } from "./support/auth";
import { appRequest, consume, deliveryRow, drain, makeDue, receivedBy, receiverHost, recordingQueue } from "./support/webhook-consumer";

/** A project with one subscription to `host`, and a consumer environment whose queue the test reads. */
async function setup(host: string, events: string[] = ["*"]) {
  const { projectId, key } = await createProjectWithKey("hooks consumer");
  const recorder = recordingQueue();
  const sub = await appRequest(recorder.env, key, "POST", "/v1/webhooks/subscriptions", { url: `http://${host}/in`, events });
  expect(sub.status).toBe(201);
  const call = (method: string, path: string, body?: unknown) => appRequest(recorder.env, key, method, path, body);
  return { projectId, key, sub: sub.body, ...recorder, call };
}

let eventCount = 0;
function budgetEvent(projectId: string, overrides: Partial<WebhookEventMessage> = {}): WebhookEventMessage {
  eventCount += 1;
  return { kind: "event", eventId: `evt_budget_${projectId}_${eventCount}`, type: "budget.threshold", at: Date.now(), projectId, data: { scope: "project", threshold: 0.8 }, ...overrides };
}

/** Fans one event out and returns the single `deliver` message it enqueued. */
async function fanOut(t: Awaited<ReturnType<typeof setup>>, event = budgetEvent(t.projectId)) {
  expect(await consume(event, t.env)).toEqual({ acked: true });
  const [deliver, ...more] = drain(t.sent);
  expect(more).toEqual([]);
  expect(deliver).toMatchObject({ kind: "deliver", deliveryId: expect.stringMatching(/^dlv_/) });
  return deliver as { kind: "deliver"; deliveryId: string };
}

describe("the webhook consumer", () => {
  it("retries a failing receiver with backoff under the same webhook-id, and logs every attempt", async () => {
    const host = receiverHost("fail-2");
    const t = await setup(host);
    const deliver = await fanOut(t);

    const first = await consume(deliver, t.env, 1);
    expect(first.retryDelay).toBeGreaterThanOrEqual(8);
    expect(first.retryDelay).toBeLessThanOrEqual(12);
    expect(await deliveryRow(deliver.deliveryId)).toMatchObject({ status: "pending", attempts: 1, last_status: 500, last_error: "HTTP 500: scripted failure 1 of 2", claimed_until: null });

    // Redelivered before its time (a duplicate message): nothing is sent, it waits for the backoff.
    const early = await consume(deliver, t.env, 1);
    expect(early.retryDelay).toBeGreaterThanOrEqual(7);
    expect(await receivedBy(host)).toHaveLength(1);

    await makeDue(deliver.deliveryId);
    const second = await consume(deliver, t.env, 2);
    expect(second.retryDelay).toBeGreaterThanOrEqual(24);
    expect(second.retryDelay).toBeLessThanOrEqual(36);
    await makeDue(deliver.deliveryId);
    expect(await consume(deliver, t.env, 3)).toEqual({ acked: true });

    const received = await receivedBy(host);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([received[0]!.headers["webhook-id"]]));
    for (const r of received) expect(new Webhook(t.sub.secret).verify(r.body, r.headers)).toMatchObject({ type: "budget.threshold", data: { projectId: t.projectId, threshold: 0.8 } });

    const detail = await t.call("GET", `/v1/webhooks/deliveries/${deliver.deliveryId}`);
    expect(S.WebhookDeliveryDetail.parse(detail.body)).toEqual(detail.body);
    expect(detail.body).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null, deliveredAt: expect.any(String) });
    expect(detail.body.attemptLog.map((a: any) => [a.attempt, a.status, a.error])).toEqual([
      [1, 500, "HTTP 500: scripted failure 1 of 2"],
      [2, 500, "HTTP 500: scripted failure 2 of 2"],
      [3, 200, null],
    ]);
    // A redelivered message of a delivered delivery sends nothing.
    expect(await consume(deliver, t.env, 4)).toEqual({ acked: true });
    expect(await receivedBy(host)).toHaveLength(3);
  });

  it("gives up after the last attempt; a manual retry starts a new round, once", async () => {
    const host = receiverHost("status-500");
    const t = await setup(host);
    const deliver = await fanOut(t);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect((await consume(deliver, t.env, attempt)).retryDelay).toBeGreaterThan(0);
      await makeDue(deliver.deliveryId);
    }
    expect(await consume(deliver, t.env, MAX_ATTEMPTS)).toEqual({ acked: true });
    expect(await receivedBy(host)).toHaveLength(MAX_ATTEMPTS);
    const failed = await t.call("GET", `/v1/webhooks/deliveries/${deliver.deliveryId}`);
    expect(failed.body).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatus: 500, lastError: "HTTP 500: scripted status 500", nextAttemptAt: null });
    expect((await t.call("GET", "/v1/webhooks/deliveries?status=failed")).body.items.map((d: any) => d.id)).toEqual([deliver.deliveryId]);
    expect((await t.call("GET", "/v1/webhooks")).body.deliveries).toEqual({ pending: 0, delivered: 0, failed: 1 });

    const retried = await t.call("POST", `/v1/webhooks/deliveries/${deliver.deliveryId}/retry`);
    expect(retried.status).toBe(202);
    expect(S.WebhookDelivery.parse(retried.body)).toEqual(retried.body);
    expect(retried.body).toMatchObject({ status: "pending", attempts: MAX_ATTEMPTS });
    expect(drain(t.sent)).toEqual([{ kind: "deliver", deliveryId: deliver.deliveryId }]);
    expect((await t.call("POST", `/v1/webhooks/deliveries/${deliver.deliveryId}/retry`)).status).toBe(409);
    // The new round begins at the first wait again, not at the longest.
    const again = await consume(deliver, t.env, 1);
    expect(again.retryDelay).toBeLessThanOrEqual(12);
    expect(await deliveryRow(deliver.deliveryId)).toMatchObject({ attempts: MAX_ATTEMPTS + 1, attempt_limit: 2 * MAX_ATTEMPTS, status: "pending" });
  });

  it("waits as long as Retry-After asks on 429, and treats a redirect as a failure without following it", async () => {
    const limited = await setup(receiverHost("status-429-after-600"));
    expect((await consume(await fanOut(limited), limited.env)).retryDelay).toBe(600);

    const redirect = await setup(receiverHost("redirect"));
    const deliver = await fanOut(redirect);
    expect((await consume(deliver, redirect.env)).retryDelay).toBeGreaterThan(0);
    expect(await deliveryRow(deliver.deliveryId)).toMatchObject({ last_status: 302, last_error: "HTTP 302: redirect to http://hooks-ok.receiver/moved not followed; subscribe the final URL" });
    expect((await receivedBy("hooks-ok.receiver")).filter((r) => r.path === "/moved")).toEqual([]);
  });

  it("delivers a replayed event once per subscription", async () => {
    const host = receiverHost("ok");
    const t = await setup(host);
    const event = budgetEvent(t.projectId);
    await consume(event, t.env);
    await consume({ ...event }, t.env);
    const messages = drain(t.sent);
    const ids = new Set(messages.map((m) => (m as { deliveryId: string }).deliveryId));
    expect(ids.size).toBe(1);
    for (const message of messages) expect(await consume(message, t.env)).toEqual({ acked: true });
    expect(await receivedBy(host)).toHaveLength(1);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ?").bind(event.eventId).first("n");
    expect(rows).toBe(1);
    // Once attempted, a further replay enqueues nothing at all.
    await consume({ ...event }, t.env);
    expect(drain(t.sent)).toEqual([]);
  });

  it("sends only the types a subscription listens to, and nothing to another project's", async () => {
    const host = receiverHost("ok");
    const t = await setup(host, ["run.finished"]);
    const neighbour = await setup(receiverHost("ok"));
    expect(await consume(budgetEvent(t.projectId), t.env)).toEqual({ acked: true });
    expect(drain(t.sent)).toEqual([]);
    const runId = `run_${crypto.randomUUID().replaceAll("-", "")}`;
    await env.DB.prepare("INSERT INTO runs (id, project_id, kind, status, task_ids, config, created_at, updated_at) VALUES (?, ?, 'finetune', 'completed', '[]', '{}', 1, 1)")
      .bind(runId, t.projectId)
      .run();
    const finished: WebhookEventMessage = { kind: "event", eventId: `evt_${runId.slice(4)}_finished`, type: "run.finished", at: Date.now(), runId, data: { runId, status: "completed" } };
    const deliver = await fanOut(t, finished);
    expect(await consume(deliver, t.env)).toEqual({ acked: true });
    const [request] = await receivedBy(host);
    expect(request?.headers["webhook-id"]).toBe(finished.eventId);
    expect(JSON.parse(request!.body)).toMatchObject({ type: "run.finished", data: { projectId: t.projectId, runId } });
    expect((await neighbour.call("GET", "/v1/webhooks/deliveries")).body.items).toEqual([]);
  });

  it("fails pending deliveries of a disabled subscription and creates none for it; a retry waits until it is enabled", async () => {
    const host = receiverHost("ok");
    const t = await setup(host);
    const deliver = await fanOut(t);
    await t.call("PATCH", `/v1/webhooks/subscriptions/${t.sub.id}`, { enabled: false });
    expect(await consume(deliver, t.env)).toEqual({ acked: true });
    expect(await deliveryRow(deliver.deliveryId)).toMatchObject({ status: "failed", attempts: 0, last_error: expect.stringContaining("disabled") });
    expect(await consume(budgetEvent(t.projectId), t.env)).toEqual({ acked: true });
    expect(drain(t.sent)).toEqual([]);
    expect((await t.call("POST", `/v1/webhooks/deliveries/${deliver.deliveryId}/retry`)).status).toBe(409);
    expect((await t.call("POST", `/v1/webhooks/subscriptions/${t.sub.id}/test`)).status).toBe(409);
    await t.call("PATCH", `/v1/webhooks/subscriptions/${t.sub.id}`, { enabled: true });
    expect((await t.call("POST", `/v1/webhooks/deliveries/${deliver.deliveryId}/retry`)).status).toBe(202);
    expect(await consume(drain(t.sent)[0], t.env)).toEqual({ acked: true });
    expect(await receivedBy(host)).toHaveLength(1);
    // Deleting the subscription deletes its log.
    await t.call("DELETE", `/v1/webhooks/subscriptions/${t.sub.id}`);
    expect((await t.call("GET", `/v1/webhooks/deliveries/${deliver.deliveryId}`)).status).toBe(404);
    expect(await consume(deliver, t.env)).toEqual({ acked: true });
  });

  it("sends a signed test ping; after a rotation both secrets verify", async () => {
    const host = receiverHost("ok");
    const t = await setup(host);
    const rotated = await t.call("POST", `/v1/webhooks/subscriptions/${t.sub.id}/rotate`);
    const ping = await t.call("POST", `/v1/webhooks/subscriptions/${t.sub.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.headers.get("location")).toBe(`/v1/webhooks/deliveries/${ping.body.id}`);
    expect(ping.body).toMatchObject({ eventType: "webhook.test", status: "pending", subscriptionId: t.sub.id });
    expect(await consume(drain(t.sent)[0], t.env)).toEqual({ acked: true });
    const [request] = await receivedBy(host);
    expect(request!.headers["webhook-id"]).toBe(ping.body.eventId);
    expect(new Webhook(rotated.body.secret).verify(request!.body, request!.headers)).toMatchObject({ type: "webhook.test", data: { subscriptionId: t.sub.id } });
    expect(new Webhook(t.sub.secret).verify(request!.body, request!.headers)).toMatchObject({ type: "webhook.test" });
    expect((await t.call("GET", `/v1/webhooks/deliveries?eventType=webhook.test`)).body.items.map((d: any) => d.status)).toEqual(["delivered"]);
  });

  it("refuses to send to a URL the settings no longer allow", async () => {
    const t = await setup(receiverHost("ok").replace(".receiver", ".local"));
    const deliver = await fanOut(t);
    expect(await consume(deliver, { ...t.env, ALLOW_PRIVATE_URLS: "false" })).toEqual({ acked: true });
    expect(await deliveryRow(deliver.deliveryId)).toMatchObject({ status: "failed", attempts: 0, last_error: expect.stringMatching(/^the URL is refused: it must point at a public host/) });
  });

  it("re-enqueues a pending delivery whose queue message was lost, when the next event comes", async () => {
    const host = receiverHost("ok");
    const t = await setup(host, ["budget.threshold"]);
    const lost = await fanOut(t);
    // Its message never comes back (a local queue restarted): ten minutes later it is still pending and unclaimed.
    await env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?").bind(Date.now() - 10 * 60_000, lost.deliveryId).run();
    expect(await consume(budgetEvent(t.projectId, { type: "run.started" }), t.env)).toEqual({ acked: true });
    expect(drain(t.sent)).toEqual([lost]);
    // Marked due now, so the next sweep does not send it again while this message is on its way.
    expect(await consume(budgetEvent(t.projectId, { type: "run.started" }), t.env)).toEqual({ acked: true });
    expect(drain(t.sent)).toEqual([]);
    expect(await consume(lost, t.env)).toEqual({ acked: true });
    expect(await receivedBy(host)).toHaveLength(1);
  });

  it("drops what it cannot read, and an event of an unknown run after a few tries", async () => {
    const { env: testEnv, sent } = recordingQueue();
    expect(await consume({ kind: "nope" }, testEnv)).toEqual({ acked: true });
    expect(await consume({ kind: "deliver" }, testEnv)).toEqual({ acked: true });
    expect(await consume({ kind: "event", eventId: "evt_x", type: "run.started", at: 1, data: {} }, testEnv)).toEqual({ acked: true });
    expect(await consume({ kind: "deliver", deliveryId: "dlv_gone" }, testEnv)).toEqual({ acked: true });
    const orphan = { kind: "event", eventId: "evt_orphan", type: "run.started", at: 1, runId: "run_unknown", data: {} };
    expect(await consume(orphan, testEnv, 1)).toEqual({ acked: false, retryDelay: 5 });
    expect(await consume(orphan, testEnv, 3)).toEqual({ acked: true });
    expect(sent).toEqual([]);
  });
});
