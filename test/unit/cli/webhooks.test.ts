import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi, type RecordedRequest, Reply } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const T = "2026-01-01T00:00:00.000Z";
const SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";

const sub = (overrides: Record<string, unknown> = {}) => ({ id: "whsub_1", url: "https://hooks.example.com/sepo", events: ["run.finished"], description: "", enabled: true, createdAt: T, updatedAt: T, ...overrides });
const delivery = (overrides: Record<string, unknown> = {}) => ({
  id: "whdel_1",
  subscriptionId: "whsub_1",
  eventId: "evt_1",
  eventType: "run.finished",
  status: "failed",
  attempts: 3,
  lastStatus: 500,
  lastError: "HTTP 500",
  nextAttemptAt: null,
  createdAt: T,
  deliveredAt: null,
  ...overrides,
});
const endpoint = (overrides: Record<string, unknown> = {}) => ({
  id: "whep_1",
  name: "ci",
  scheme: "standard",
  action: null,
  secretPrefix: "whsec_abcdef",
  createdAt: T,
  secretRotatedAt: null,
  revokedAt: null,
  url: "http://api.test/hooks/whep_1",
  ...overrides,
});

function webhookApi() {
  return fakeApi({
    "GET /v1/webhooks": { subscriptions: 2, deliveries: { pending: 1, delivered: 9, failed: 2 }, eventTypes: ["run.started", "run.finished"], links: {} },
    "POST /v1/webhooks/subscriptions": (req: RecordedRequest) => new Reply(201, { ...sub(req.body as Record<string, unknown>), secret: SECRET }),
    "GET /v1/webhooks/subscriptions": { items: [sub(), sub({ id: "whsub_2", events: ["*"], enabled: false })], nextCursor: "c2" },
    "GET /v1/webhooks/subscriptions/:id": (_: RecordedRequest, p: Record<string, string>) => sub({ id: p.id, description: "prod" }),
    "PATCH /v1/webhooks/subscriptions/:id": (req: RecordedRequest, p: Record<string, string>) => sub({ id: p.id, ...(req.body as object) }),
    "DELETE /v1/webhooks/subscriptions/:id": (_: RecordedRequest, p: Record<string, string>) => sub({ id: p.id }),
    "POST /v1/webhooks/subscriptions/:id/rotate": (_: RecordedRequest, p: Record<string, string>) => ({ ...sub({ id: p.id }), secret: SECRET }),
    "POST /v1/webhooks/subscriptions/:id/test": (_: RecordedRequest, p: Record<string, string>) => new Reply(202, delivery({ id: "whdel_t", subscriptionId: p.id, eventType: "webhook.test", status: "pending", attempts: 0, lastStatus: null, lastError: null })),
    "GET /v1/webhooks/deliveries": { items: [delivery(), delivery({ id: "whdel_2", status: "delivered", lastStatus: 200, lastError: null, attempts: 1 })], nextCursor: null },
    "GET /v1/webhooks/deliveries/:id": (_: RecordedRequest, p: Record<string, string>) => ({
      ...delivery({ id: p.id }),
      payload: { type: "run.finished", timestamp: T, data: { runId: "run_1" } },
      attemptLog: [
        { attempt: 1, at: T, status: null, error: "timeout after 10000 ms", durationMs: 10000 },
        { attempt: 2, at: T, status: 500, error: "HTTP 500", durationMs: 12 },
      ],
    }),
    "POST /v1/webhooks/deliveries/:id/retry": (_: RecordedRequest, p: Record<string, string>) => new Reply(202, delivery({ id: p.id, status: "pending" })),
    "POST /v1/webhooks/endpoints": (req: RecordedRequest) => new Reply(201, { ...endpoint(req.body as Record<string, unknown>), secret: SECRET }),
    "GET /v1/webhooks/endpoints": { items: [endpoint(), endpoint({ id: "whep_2", name: "gh", scheme: "github", revokedAt: T })], nextCursor: null },
    "GET /v1/webhooks/endpoints/:id": (_: RecordedRequest, p: Record<string, string>) => endpoint({ id: p.id }),
    "DELETE /v1/webhooks/endpoints/:id": (_: RecordedRequest, p: Record<string, string>) => endpoint({ id: p.id, revokedAt: T }),
    "POST /v1/webhooks/endpoints/:id/rotate": (_: RecordedRequest, p: Record<string, string>) => ({ ...endpoint({ id: p.id }), secret: SECRET }),
    "GET /v1/webhooks/endpoints/:id/deliveries": {
      items: [{ id: "inb_1", endpointId: "whep_1", webhookId: "msg_1", event: "run.start", receivedAt: T, outcome: "accepted", httpStatus: 202, action: "run.start", result: { runId: "run_1" }, error: null }],
      nextCursor: null,
    },
  });
}

describe("sepo webhooks: subscriptions", () => {
  it("subscribes with the events, prints the secret once with the id, and --json gives the API's answer", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "subscribe", "https://hooks.example.com/sepo", "--events", "run.finished, champion.promoted", "--description", "prod"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/v1/webhooks/subscriptions", body: { url: "https://hooks.example.com/sepo", events: ["run.finished", "champion.promoted"], description: "prod" } });
    expect(r.stdout).toContain("subscribed whsub_1 to run.finished, champion.promoted\n");
    expect(r.stdout).toContain(`secret   ${SECRET}\n`);
    const json = await runCli(["webhooks", "subscribe", "https://x.test", "--events", "all", "--json"], { fetch: api.fetch });
    expect(api.requests[1]!.body).toEqual({ url: "https://x.test", events: ["*"] });
    expect(JSON.parse(json.stdout)).toMatchObject({ id: "whsub_1", secret: SECRET, events: ["*"] });
  });

  it("needs --events (exit 2), and passes the API's refusal of a URL through (exit 1)", async () => {
    const api = fakeApi({ "POST /v1/webhooks/subscriptions": apiError(400, "Invalid request body: url: resolves to a private address") });
    const missing = await runCli(["webhooks", "subscribe", "https://x.test"], { fetch: api.fetch });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--events is required");
    expect(api.requests).toHaveLength(0);
    const refused = await runCli(["webhooks", "subscribe", "http://10.0.0.1/x", "--events", "run.failed"], { fetch: api.fetch });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("url: resolves to a private address");
  });

  it("shows the overview, a list with its next-page hint, and one subscription", async () => {
    const api = webhookApi();
    const status = await runCli(["webhooks", "status"], { fetch: api.fetch });
    expect(status.stdout).toContain("deliveries     1 pending, 9 delivered, 2 failed (see: sepo webhooks deliveries --status failed)");
    const list = await runCli(["webhooks", "list", "--limit", "2"], { fetch: api.fetch });
    expect(api.requests[1]!.query).toEqual({ limit: "2" });
    expect(list.stdout).toMatch(/whsub_2\s+no\s+all events\s+/);
    expect(list.stderr).toBe("more: sepo webhooks list --cursor c2\n");
    const one = await runCli(["webhooks", "get", "whsub_7"], { fetch: api.fetch });
    expect(one.stdout).toContain("whsub_7  enabled\nurl          https://hooks.example.com/sepo\nevents       run.finished\ndescription  prod\n");
  });

  it("updates only the fields given, and --disable/--enable", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "update", "whsub_1", "--events", "run.failed", "--disable"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "PATCH", path: "/v1/webhooks/subscriptions/whsub_1", body: { events: ["run.failed"], enabled: false } });
    expect(r.stdout).toBe("updated whsub_1: disabled, run.failed -> https://hooks.example.com/sepo\n");
    await runCli(["webhooks", "update", "whsub_1", "--enable"], { fetch: api.fetch });
    expect(api.requests[1]!.body).toEqual({ enabled: true });
  });

  it("refuses an update with nothing to change or both --enable and --disable (exit 2)", async () => {
    const api = webhookApi();
    expect((await runCli(["webhooks", "update", "whsub_1"], { fetch: api.fetch })).stderr).toContain("nothing to change");
    expect((await runCli(["webhooks", "update", "whsub_1", "--enable", "--disable"], { fetch: api.fetch })).code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it("deletes, rotates (printing the new secret) and sends a test", async () => {
    const api = webhookApi();
    expect((await runCli(["webhooks", "delete", "whsub_1"], { fetch: api.fetch })).stdout).toBe("deleted subscription whsub_1 (https://hooks.example.com/sepo)\n");
    const rotated = await runCli(["webhooks", "rotate", "whsub_1"], { fetch: api.fetch });
    expect(rotated.stdout).toContain(`secret   ${SECRET}\n`);
    expect(rotated.stdout).toContain("the old one also signs for 24 hours");
    const test = await runCli(["webhooks", "test", "whsub_1"], { fetch: api.fetch });
    expect(test.stdout).toBe("queued test delivery whdel_t to whsub_1\nfollow it: sepo webhooks delivery whdel_t\n");
    expect(api.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      "DELETE /v1/webhooks/subscriptions/whsub_1",
      "POST /v1/webhooks/subscriptions/whsub_1/rotate",
      "POST /v1/webhooks/subscriptions/whsub_1/test",
    ]);
  });

  it("exits 1 with the API's message when testing a disabled subscription", async () => {
    const api = fakeApi({ "POST /v1/webhooks/subscriptions/:id/test": apiError(409, "Subscription 'whsub_1' is disabled; enable it first.", "conflict") });
    const r = await runCli(["webhooks", "test", "whsub_1"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sepo: error: POST /v1/webhooks/subscriptions/whsub_1/test -> 409: Subscription 'whsub_1' is disabled; enable it first.\n");
  });
});

describe("sepo webhooks: deliveries", () => {
  it("filters the log by status, subscription and event type", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "deliveries", "--status", "failed", "--subscription", "whsub_1", "--event", "run.finished"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.query).toEqual({ status: "failed", subscriptionId: "whsub_1", eventType: "run.finished" });
    expect(r.stdout.split("\n")[0]).toMatch(/^id\s+event\s+status\s+attempts\s+last\s+created\s+subscription$/);
    expect(r.stdout).toMatch(/whdel_1\s+run\.finished\s+failed\s+3\s+500\s+/);
  });

  it("shows one delivery with its attempts and payload, and retries it", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "delivery", "whdel_1"], { fetch: api.fetch });
    expect(r.stdout).toContain("whdel_1  run.finished  failed\n");
    expect(r.stdout).toMatch(/  1\s+2026-01-01T00:00:00.000Z\s+-\s+10000\s+timeout after 10000 ms/);
    expect(r.stdout).toContain('payload:\n  {\n    "type": "run.finished",');
    const retried = await runCli(["webhooks", "retry", "whdel_1"], { fetch: api.fetch });
    expect(retried.stdout).toBe("delivery whdel_1 is pending again\nfollow it: sepo webhooks delivery whdel_1\n");
    expect(api.requests[1]).toMatchObject({ method: "POST", path: "/v1/webhooks/deliveries/whdel_1/retry" });
  });

  it("exits 1 when a delivery cannot be retried", async () => {
    const api = fakeApi({ "POST /v1/webhooks/deliveries/:id/retry": apiError(409, "Delivery 'whdel_2' is delivered; only a failed delivery can be retried.", "conflict") });
    const r = await runCli(["webhooks", "retry", "whdel_2"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("only a failed delivery can be retried");
  });
});

describe("sepo webhooks endpoint", () => {
  it("creates a standard endpoint and prints its full URL and the secret", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "endpoint", "create", "ci"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/v1/webhooks/endpoints", body: { name: "ci", scheme: "standard" } });
    expect(r.stdout).toContain('created endpoint whep_1 "ci" (standard)\nurl      http://api.test/hooks/whep_1\n');
    expect(r.stdout).toContain(`secret   ${SECRET}\n`);
  });

  it("builds a github endpoint's action from --task, --events and --ref, or takes --action from a file", async () => {
    const api = webhookApi();
    const r = await runCli(["webhooks", "endpoint", "create", "gh", "--scheme", "github", "--task", "task_1", "--events", "push,release", "--ref", "refs/heads/main"], { fetch: api.fetch });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]!.body).toEqual({
      name: "gh",
      scheme: "github",
      action: { type: "run.start", events: ["push", "release"], ref: "refs/heads/main", data: { kind: "finetune", taskId: "task_1" } },
    });
    const cwd = tempDir();
    const action = { type: "run.start", data: { kind: "finetune", taskId: "task_2", config: { generations: 2 } } };
    writeFileSync(join(cwd, "action.json"), JSON.stringify(action));
    const fromFile = await runCli(["webhooks", "endpoint", "create", "gh2", "--scheme", "github", "--action", "@action.json"], { cwd, fetch: api.fetch });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(api.requests[1]!.body).toEqual({ name: "gh2", scheme: "github", action });
  });

  it.each([
    [["webhooks", "endpoint"], "missing endpoint command"],
    [["webhooks", "endpoint", "frob"], 'unknown command "webhooks endpoint frob"'],
    [["webhooks", "endpoint", "create", "x", "--scheme", "gitlab"], "--scheme must be standard or github"],
    [["webhooks", "endpoint", "create", "x", "--task", "t"], "are for --scheme github"],
    [["webhooks", "endpoint", "create", "x", "--scheme", "github"], "a github endpoint needs --task <id>"],
    [["webhooks", "endpoint", "create", "x", "--scheme", "github", "--task", "t", "--action", "{}"], "give --action or --task"],
  ])("exits 2 for %j without calling the API", async (argv, message) => {
    const api = webhookApi();
    const r = await runCli(argv, { fetch: api.fetch });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(api.requests).toHaveLength(0);
  });

  it("exits 1 on --action that is not JSON", async () => {
    const r = await runCli(["webhooks", "endpoint", "create", "x", "--scheme", "github", "--action", "{nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--action is not valid JSON");
  });

  it("lists, shows, revokes, rotates and lists what an endpoint received", async () => {
    const api = webhookApi();
    const list = await runCli(["webhooks", "endpoint", "list"], { fetch: api.fetch });
    expect(list.stdout).toMatch(/whep_2\s+gh\s+github\s+whsec_abcdef…\s+2026-01-01T00:00:00.000Z\s+2026-01-01T00:00:00.000Z\s+http:\/\/api.test\/hooks\/whep_1/);
    expect(list.stdout).not.toContain(SECRET);
    const one = await runCli(["webhooks", "endpoint", "get", "whep_1"], { fetch: api.fetch });
    expect(one.stdout).toContain("secret    whsec_abcdef… (rotated never)");
    const revoked = await runCli(["webhooks", "endpoint", "revoke", "whep_1"], { fetch: api.fetch });
    expect(revoked.stdout).toBe('revoked endpoint whep_1 "ci"; deliveries to http://api.test/hooks/whep_1 are refused from now on\n');
    const rotated = await runCli(["webhooks", "endpoint", "rotate", "whep_1", "--json"], { fetch: api.fetch });
    expect(JSON.parse(rotated.stdout).secret).toBe(SECRET);
    const received = await runCli(["webhooks", "endpoint", "deliveries", "whep_1"], { fetch: api.fetch });
    expect(received.stdout).toMatch(/inb_1\s+2026-01-01T00:00:00.000Z\s+run\.start\s+accepted\s+202\s+run\.start\s+-/);
    expect(api.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      "GET /v1/webhooks/endpoints",
      "GET /v1/webhooks/endpoints/whep_1",
      "DELETE /v1/webhooks/endpoints/whep_1",
      "POST /v1/webhooks/endpoints/whep_1/rotate",
      "GET /v1/webhooks/endpoints/whep_1/deliveries",
    ]);
  });

  it("prints the endpoint commands' help", async () => {
    const r = await runCli(["webhooks", "endpoint", "create", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("sepo webhooks endpoint create <name> [--scheme standard|github]");
  });
});
