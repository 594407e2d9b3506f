/**
 * Outbound webhooks through the API and a real run: subscriptions (CRUD, validation, the
 * private-URL guard, project isolation), and a small fine-tuning whose events reach test
 * receivers through the real WEBHOOKS queue, signed so that the Standard Webhooks library
 * verifies them. Retries, replays and give-ups are in outbound-webhooks-consumer.test.ts.
 */
import { env, exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { WEBHOOK_SUBSCRIPTION_SCHEMAS as S } from "../../src/openapi/webhook-subscription-schemas";
import { ListDeliveriesQuerySchema } from "../../src/routes/webhook-deliveries";
import { CreateSubscriptionSchema, UpdateSubscriptionSchema } from "../../src/routes/webhook-subscriptions";
import { api, simTaskBody, uniqueSimHost } from "./support/api";
import { createProjectWithKey } from "./support/auth";
import { appRequest, receivedBy, receiverHost } from "./support/webhook-consumer";

const asKey = (key: string) => ({ "content-type": "application/json", authorization: `Bearer ${key}` });
const subscribe = (key: string, body: Record<string, unknown>) => api("POST", "/v1/webhooks/subscriptions", body, asKey(key));

describe("webhook subscriptions", () => {
  it("are created, read, listed, changed, rotated and deleted; the secret is shown only on create and rotate", async () => {
    const { key } = await createProjectWithKey("hooks crud");
    const created = await subscribe(key, { url: "https://hooks.example.com/sepo", events: ["run.finished", "run.started", "run.finished"], description: "ci" });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("location")).toBe(`/v1/webhooks/subscriptions/${created.body.id}`);
    expect(S.WebhookSubscriptionWithSecret.parse(created.body)).toEqual(created.body);
    const { secret, ...sub } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(sub).toMatchObject({ url: "https://hooks.example.com/sepo", events: ["run.finished", "run.started"], description: "ci", enabled: true });

    const read = await api("GET", `/v1/webhooks/subscriptions/${sub.id}`, undefined, asKey(key));
    expect(read).toMatchObject({ status: 200, body: sub });
    expect(JSON.stringify(read.body)).not.toContain(secret);

    const other = await subscribe(key, { url: "https://other.example.com/", events: ["*"] });
    const first = await api("GET", "/v1/webhooks/subscriptions?limit=1", undefined, asKey(key));
    expect(S.WebhookSubscriptionPage.parse(first.body)).toEqual(first.body);
    expect(first.body.items.map((s: any) => s.id)).toEqual([other.body.id]);
    const second = await api("GET", `/v1/webhooks/subscriptions?limit=1&cursor=${first.body.nextCursor}`, undefined, asKey(key));
    expect(second.body).toEqual({ items: [sub], nextCursor: null });

    const patched = await api("PATCH", `/v1/webhooks/subscriptions/${sub.id}`, { enabled: false, events: ["*"], description: "" }, asKey(key));
    expect(patched.status).toBe(200);
    expect(S.WebhookSubscription.parse(patched.body)).toEqual(patched.body);
    expect(patched.body).toMatchObject({ id: sub.id, url: sub.url, enabled: false, events: ["*"], description: "" });

    const rotated = await api("POST", `/v1/webhooks/subscriptions/${sub.id}/rotate`, undefined, asKey(key));
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    const stored = await env.DB.prepare("SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = ?").bind(sub.id).first();
    expect(stored).toEqual({ secret: rotated.body.secret, previous_secret: secret });

    const index = await api("GET", "/v1/webhooks", undefined, asKey(key));
    expect(S.WebhooksIndex.parse(index.body)).toEqual(index.body);
    expect(index.body).toMatchObject({ subscriptions: 2, deliveries: { pending: 0, delivered: 0, failed: 0 }, links: { subscriptions: "/v1/webhooks/subscriptions" } });
    expect(index.body.eventTypes).toContain("champion.promoted");

    const deleted = await api("DELETE", `/v1/webhooks/subscriptions/${sub.id}`, undefined, asKey(key));
    expect(deleted).toMatchObject({ status: 200, body: { id: sub.id } });
    expect((await api("GET", `/v1/webhooks/subscriptions/${sub.id}`, undefined, asKey(key))).status).toBe(404);
    expect((await api("DELETE", `/v1/webhooks/subscriptions/${sub.id}`, undefined, asKey(key))).status).toBe(404);
  });

  it("refuse bad input with a 400 naming the field", async () => {
    const { key } = await createProjectWithKey("hooks validation");
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ events: ["run.started"] }, "url"],
      [{ url: "https://a.example.com", events: [] }, "events"],
      [{ url: "https://a.example.com", events: ["run.exploded"] }, "events.0"],
      [{ url: "https://a.example.com", events: ["*", "run.started"] }, "events"],
      [{ url: "https://a.example.com" }, "events"],
      [{ url: "ftp://a.example.com", events: ["*"] }, "url"],
      [{ url: "https://user:pw@a.example.com", events: ["*"] }, "url"],
      [{ url: "not a url", events: ["*"] }, "url"],
      [{ url: "https://a.example.com", events: ["*"], secret: "whsec_mine" }, "(body)"],
    ];
    for (const [body, field] of cases) {
      const res = await subscribe(key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: any) => i.path), JSON.stringify(body)).toContain(field);
    }
    const sub = await subscribe(key, { url: "https://a.example.com", events: ["*"] });
    expect((await api("PATCH", `/v1/webhooks/subscriptions/${sub.body.id}`, {}, asKey(key))).status).toBe(400);
    expect((await api("PATCH", `/v1/webhooks/subscriptions/${sub.body.id}`, { enabled: "yes" }, asKey(key))).body.error.issues[0].path).toBe("enabled");
    expect((await api("POST", "/v1/webhooks/subscriptions", "{}", { "content-type": "text/plain", authorization: `Bearer ${key}` })).status).toBe(415);
    for (const query of ["status=lost", "eventType=run.exploded", "limit=0", "cursor=bogus"]) {
      expect((await api("GET", `/v1/webhooks/deliveries?${query}`, undefined, asKey(key))).status, query).toBe(400);
    }
  });

  it("refuse URLs that are not public unless ALLOW_PRIVATE_URLS is true", async () => {
    const { key } = await createProjectWithKey("hooks private");
    const strict = { ...env, ALLOW_PRIVATE_URLS: "false" };
    for (const url of ["http://127.0.0.1:9000/hook", "http://localhost/hook", "http://169.254.169.254/latest", "http://10.1.2.3/", "http://[::1]/", "http://metadata/"]) {
      const res = await appRequest(strict, key, "POST", "/v1/webhooks/subscriptions", { url, events: ["*"] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.issues[0].path).toBe("url");
    }
    const allowed = await appRequest(env, key, "POST", "/v1/webhooks/subscriptions", { url: "http://127.0.0.1:9000/hook", events: ["*"] });
    expect(allowed.status).toBe(201);
    const moved = await appRequest(strict, key, "PATCH", `/v1/webhooks/subscriptions/${allowed.body.id}`, { url: "http://192.168.1.1/hook" });
    expect(moved.status).toBe(400);
    expect((await appRequest(strict, key, "POST", "/v1/webhooks/subscriptions", { url: "https://hooks.example.com/x", events: ["*"] })).status).toBe(201);
  });

  it("of another project answer 404, like missing ones", async () => {
    const mine = await createProjectWithKey("hooks mine");
    const theirs = await createProjectWithKey("hooks theirs");
    const sub = await subscribe(mine.key, { url: "https://mine.example.com", events: ["*"] });
    const id = sub.body.id;
    const missing = await api("GET", "/v1/webhooks/subscriptions/sub_nope", undefined, asKey(theirs.key));
    for (const [method, path, body] of [
      ["GET", `/v1/webhooks/subscriptions/${id}`],
      ["PATCH", `/v1/webhooks/subscriptions/${id}`, { enabled: false }],
      ["DELETE", `/v1/webhooks/subscriptions/${id}`],
      ["POST", `/v1/webhooks/subscriptions/${id}/rotate`],
      ["POST", `/v1/webhooks/subscriptions/${id}/test`],
    ] as Array<[string, string, unknown?]>) {
      const res = await api(method, path, body, asKey(theirs.key));
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.message).toBe(missing.body.error.message.replace("sub_nope", id));
    }
    expect((await api("GET", "/v1/webhooks/subscriptions", undefined, asKey(theirs.key))).body.items).toEqual([]);
    expect((await api("GET", "/v1/webhooks", undefined, asKey(theirs.key))).body.subscriptions).toBe(0);
    // Still there, unchanged, for its own project.
    expect((await api("GET", `/v1/webhooks/subscriptions/${id}`, undefined, asKey(mine.key))).body.enabled).toBe(true);
  });
});

describe("the OpenAPI document", () => {
  it("takes the webhook routes' bodies and queries from the schemas that validate them", async () => {
    const doc: any = await (await exports.default.fetch("http://x/openapi.json")).json();
    const input = (schema: z.ZodType) => ({ ...z.toJSONSchema(schema, { io: "input" }), $schema: undefined });
    const bodyOf = (path: string, method: string) => doc.paths[path][method].requestBody.content["application/json"].schema;
    expect(bodyOf("/v1/webhooks/subscriptions", "post")).toEqual(input(CreateSubscriptionSchema));
    expect(bodyOf("/v1/webhooks/subscriptions/{id}", "patch")).toEqual(input(UpdateSubscriptionSchema));
    const params = doc.paths["/v1/webhooks/deliveries"].get.parameters;
    expect(Object.fromEntries(params.map((p: any) => [p.name, p.schema]))).toEqual(input(ListDeliveriesQuerySchema).properties);
    for (const name of Object.keys(S)) expect(doc.components.schemas[name], name).toBeDefined();
  });
});

describe("a run's events", () => {
  it("reach each subscription that listens to them, signed, once, and the delivery log says so", async () => {
    const { projectId, key } = await createProjectWithKey("hooks run");
    const everything = receiverHost("ok");
    const finishes = receiverHost("ok");
    const muted = receiverHost("ok");
    const all = await subscribe(key, { url: `http://${everything}/sepo`, events: ["*"] });
    const finished = await subscribe(key, { url: `http://${finishes}/done`, events: ["run.finished", "run.failed"] });
    const off = await subscribe(key, { url: `http://${muted}/`, events: ["*"] });
    await api("PATCH", `/v1/webhooks/subscriptions/${off.body.id}`, { enabled: false }, asKey(key));

    const host = uniqueSimHost("hooks");
    const model = { model: "simlm-task", baseUrl: `http://${host}/v1` };
    const task = await api("POST", "/v1/tasks", simTaskBody("sim-logic", { model }), asKey(key));
    const started = await api("POST", "/v1/runs", { kind: "finetune", taskId: task.body.id, agentModel: { model: "simlm-agent", baseUrl: `http://${host}/v1` }, config: { generations: 1, childrenPerGeneration: 2 } }, asKey(key));
    expect(started.status).toBe(202);
    const runId: string = started.body.runId;
    const done = await settled(async () => {
      const run = await api("GET", `/v1/runs/${runId}`, undefined, asKey(key));
      return run.status === 200 && run.body.status !== "running" ? run.body : null;
    }, 90_000);
    expect(done.status).toBe("completed");

    // The run's last events leave its outbox after it has finished: wait until the log has them, all settled.
    await settled(async () => {
      const { body } = await api("GET", "/v1/webhooks/deliveries?limit=100", undefined, asKey(key));
      const finishes = body.items.filter((d: any) => d.eventType === "run.finished");
      return finishes.length === 2 && body.items.every((d: any) => d.status !== "pending") ? body : null;
    }, 30_000);
    const received = await receivedBy(everything);
    const types = received.map((r) => JSON.parse(r.body).type);
    expect(types).toEqual(expect.arrayContaining(["run.started", "generation.completed", "run.finished"]));
    expect(types.filter((t) => t === "run.started")).toHaveLength(1);
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(received.length);
    const verifier = new Webhook(all.body.secret);
    for (const request of received) {
      expect(request).toMatchObject({ method: "POST", path: "/sepo" });
      expect(request.headers["content-type"]).toBe("application/json");
      const payload = verifier.verify(request.body, request.headers) as any;
      expect(payload).toMatchObject({ timestamp: expect.any(String), data: { projectId, runId } });
      expect(() => new Webhook(finished.body.secret).verify(request.body, request.headers)).toThrow();
    }
    const finish = received.find((r) => JSON.parse(r.body).type === "run.finished")!;
    expect(JSON.parse(finish.body).data).toMatchObject({ status: "completed", kind: "finetune", championId: done.report.championId });

    const onlyFinish = await receivedBy(finishes);
    expect(onlyFinish.map((r) => JSON.parse(r.body).type)).toEqual(["run.finished"]);
    expect(new Webhook(finished.body.secret).verify(onlyFinish[0]!.body, onlyFinish[0]!.headers)).toBeTruthy();
    expect(await receivedBy(muted)).toEqual([]);

    // The delivery log agrees: one delivered attempt per request received, none for the disabled subscription.
    const log = await api("GET", "/v1/webhooks/deliveries?limit=100", undefined, asKey(key));
    expect(S.WebhookDeliveryPage.parse(log.body)).toEqual(log.body);
    expect(log.body.items).toHaveLength(received.length + 1);
    expect(log.body.items.every((d: any) => d.status === "delivered" && d.attempts === 1 && d.lastStatus === 200 && d.subscriptionId !== off.body.id)).toBe(true);
    const times = log.body.items.map((d: any) => d.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const ofFinishes = await api("GET", `/v1/webhooks/deliveries?subscriptionId=${finished.body.id}`, undefined, asKey(key));
    expect(ofFinishes.body.items.map((d: any) => d.eventType)).toEqual(["run.finished"]);
    const starts = await api("GET", "/v1/webhooks/deliveries?eventType=run.started&status=delivered", undefined, asKey(key));
    expect(starts.body.items).toHaveLength(1);
    expect((await api("GET", "/v1/webhooks/deliveries?status=failed", undefined, asKey(key))).body.items).toEqual([]);

    // Paging walks the whole log once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api("GET", `/v1/webhooks/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`, undefined, asKey(key));
      seen.push(...page.body.items.map((d: any) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(log.body.items.map((d: any) => d.id));

    const start = starts.body.items[0];
    const detail = await api("GET", `/v1/webhooks/deliveries/${start.id}`, undefined, asKey(key));
    expect(S.WebhookDeliveryDetail.parse(detail.body)).toEqual(detail.body);
    const sent = received.find((r) => r.headers["webhook-id"] === start.eventId)!;
    expect(detail.body.payload).toEqual(JSON.parse(sent.body));
    expect(detail.body.attemptLog).toEqual([{ attempt: 1, at: expect.any(String), status: 200, error: null, durationMs: expect.any(Number) }]);
    expect((await api("GET", `/v1/webhooks/deliveries/${start.id}`)).status).toBe(404); // the default project's key
    expect((await api("POST", `/v1/webhooks/deliveries/${start.id}/retry`, undefined, asKey(key))).status).toBe(409);
  }, 150_000);
});

/** Polls `check` until it returns something other than null; throws past the deadline. */
async function settled<T>(check: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
