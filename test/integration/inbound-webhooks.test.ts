/**
 * Inbound webhooks through the Worker's fetch handler: deliveries signed by the real
 * standardwebhooks and @octokit/webhooks-methods libraries start runs and add examples;
 * forged, stale, replayed and misaddressed ones are refused or ignored; every delivery
 * is logged; the management API keeps projects apart. Also POST /v1/tasks/:id/examples.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES } from "../../src/http/validate";
import { WEBHOOK_ENDPOINT_SCHEMAS } from "../../src/openapi/webhook-endpoint-schemas";
import { MAX_EXAMPLES } from "../../src/routes/task-input";
import { TIMESTAMP_TOLERANCE_SECONDS } from "../../src/webhooks/inbound/verify-standard";
import { api, createSimTask } from "./support/api";
import { bearer, createProjectWithKey } from "./support/auth";
import { postHook, sendGitHub, sendStandard } from "./support/hooks";

/** A task whose model always answers 429 "retry in a minute": its runs stay running, cheaply. */
const STUCK_MODEL = { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" };
const TINY = { generations: 1, childrenPerGeneration: 1 };

interface Endpoint {
  id: string;
  secret: string;
  url: string;
}

async function createEndpoint(body: Record<string, unknown>, headers?: Record<string, string>): Promise<Endpoint> {
  const res = await api("POST", "/v1/webhooks/endpoints", body, headers);
  if (res.status !== 201) throw new Error(`creating an endpoint: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function runsOf(taskId: string): Promise<string[]> {
  const res = await api("GET", `/v1/runs?taskId=${taskId}&limit=100`);
  return res.body.items.map((r: { id: string }) => r.id);
}

async function deliveries(endpointId: string, query = "limit=100"): Promise<any[]> {
  const res = await api("GET", `/v1/webhooks/endpoints/${endpointId}/deliveries?${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

let taskId: string;
let standard: Endpoint;

beforeAll(async () => {
  taskId = await createSimTask("sim-logic", { model: STUCK_MODEL });
  standard = await createEndpoint({ name: "ci", scheme: "standard" });
});

describe("managing endpoints", () => {
  it("shows the secret once, in the Standard Webhooks format, and its prefix afterwards", async () => {
    const res = await api("POST", "/v1/webhooks/endpoints", { name: "shown once", scheme: "standard" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.body.url).toBe(`http://x/hooks/${res.body.id}`);
    expect(res.headers.get("location")).toBe(`/v1/webhooks/endpoints/${res.body.id}`);
    const read = await api("GET", `/v1/webhooks/endpoints/${res.body.id}`);
    expect(read.body).toEqual({ ...res.body, secret: undefined });
    expect(read.body.secretPrefix).toBe(res.body.secret.slice(0, 12));
    const list = await api("GET", "/v1/webhooks/endpoints?limit=100");
    expect(list.body.items.map((e: Endpoint) => e.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });

  it("refuses bad bodies with a 400 naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: "x", scheme: "svix" }, "scheme"],
      [{ scheme: "standard" }, "name"],
      [{ name: "x", scheme: "github" }, "action"],
      [{ name: "x", scheme: "standard", action: { type: "run.start", data: { kind: "finetune", taskId } } }, "action"],
      [{ name: "x", scheme: "github", action: { type: "run.start", data: { kind: "finetune", taskId: "task_missing" } } }, "action.data.taskId"],
      [{ name: "x", scheme: "github", action: { type: "run.start", data: { kind: "finetune", taskId, config: { generations: -1 } } } }, "action.data.config.generations"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", "/v1/webhooks/endpoints", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });

  it("keeps each project's endpoints and logs to itself, with the 404 of a missing one", async () => {
    const other = await createProjectWithKey("inbound other");
    const as = { "content-type": "application/json", ...bearer(other.key) };
    const missing = "hook_00000000000000000000000000000000";
    for (const [method, suffix] of [["GET", ""], ["DELETE", ""], ["POST", "/rotate"], ["GET", "/deliveries"]] as const) {
      const foreign = await api(method, `/v1/webhooks/endpoints/${standard.id}${suffix}`, undefined, as);
      const absent = await api(method, `/v1/webhooks/endpoints/${missing}${suffix}`, undefined, as);
      expect(foreign.status, `${method} ${suffix}`).toBe(404);
      expect(foreign.body.error.message).toBe(absent.body.error.message.replace(missing, standard.id));
    }
    expect((await api("GET", "/v1/webhooks/endpoints", undefined, as)).body.items).toEqual([]);
    expect((await api("GET", `/v1/webhooks/endpoints/${standard.id}`)).body.revokedAt).toBeNull();

    // An endpoint acts in its own project only: the other project's tasks do not exist for it.
    const theirs = await createEndpoint({ name: "theirs", scheme: "standard" }, as);
    const res = await sendStandard(theirs, { type: "run.start", data: { kind: "finetune", taskId } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no task with id/);
  });
});

describe("Standard Webhooks deliveries", () => {
  it("start a run validated like POST /v1/runs, visible at GET /v1/runs/:id", async () => {
    const res = await sendStandard(standard, { type: "run.start", timestamp: new Date().toISOString(), data: { kind: "finetune", taskId, config: TINY } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ deliveryId: expect.stringMatching(/^hkd_/), runId: expect.stringMatching(/^run_/) });
    const run = await api("GET", `/v1/runs/${res.body.runId}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ kind: "finetune", status: "running", generations: 1 });
    const [logged] = await deliveries(standard.id, "limit=1");
    expect(logged).toMatchObject({ id: res.body.deliveryId, webhookId: res.webhookId, event: "run.start", outcome: "accepted", httpStatus: 202, action: "run.start", result: { runId: res.body.runId }, error: null });
  });

  it("append labelled examples, continuing the task's positions", async () => {
    const before = (await api("GET", `/v1/tasks/${taskId}`)).body.counts;
    const examples = [{ input: "p and q", expected: "yes" }, { input: "p or q", expected: "no", split: "test" }, { input: "not p", expected: "no" }];
    const res = await sendStandard(standard, { type: "examples.append", data: { taskId, examples } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId, added: 3 });
    const after = (await api("GET", `/v1/tasks/${taskId}`)).body.counts;
    expect(after.train + after.val + after.test).toBe(before.train + before.val + before.test + 3);
    expect(res.body.counts).toEqual(after);
    const page = await api("GET", `/v1/tasks/${taskId}/examples?limit=100`);
    const added = page.body.items.filter((e: { input: string }) => examples.some((x) => x.input === e.input));
    expect(added.map((e: { position: number }) => e.position)).toEqual([30, 31, 32]);
    expect(added[1].split).toBe("test");
  });

  it("act once per webhook-id: a replay answers duplicate and starts nothing, even when racing", async () => {
    const payload = { type: "run.start", data: { kind: "finetune", taskId, config: TINY } };
    const first = await sendStandard(standard, payload);
    expect(first.status).toBe(202);
    const runsBefore = await runsOf(taskId);
    const replay = await sendStandard(standard, payload, { id: first.webhookId });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ duplicate: true, webhookId: first.webhookId, originalDeliveryId: first.body.deliveryId });
    expect(await runsOf(taskId)).toEqual(runsBefore);

    const id = `msg_race_${crypto.randomUUID()}`;
    const raced = await Promise.all([1, 2, 3].map(() => sendStandard(standard, payload, { id })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect((await runsOf(taskId)).length).toBe(runsBefore.length + 1);
  });

  it("refuse forged, re-signed, tampered and stale deliveries with a 401, starting nothing", async () => {
    const payload = { type: "run.start", data: { kind: "finetune", taskId, config: TINY } };
    const runsBefore = await runsOf(taskId);
    const forged = await postHook(standard.id, JSON.stringify(payload), {
      "content-type": "application/json",
      "webhook-id": "msg_forged",
      "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
      "webhook-signature": `v1,${btoa("not a signature at all, 32 bytes")}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toBeNull();
    const wrongSecret = await sendStandard(standard, payload, { signWith: "whsec_" + btoa("another secret of thirty-two bytes") });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.message).toMatch(/does not match/);

    const stale = await sendStandard(standard, payload, { sentAt: new Date(Date.now() - (TIMESTAMP_TOLERANCE_SECONDS + 60) * 1000) });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toContain(`within ${TIMESTAMP_TOLERANCE_SECONDS} s`);
    const future = await sendStandard(standard, payload, { sentAt: new Date(Date.now() + (TIMESTAMP_TOLERANCE_SECONDS + 60) * 1000) });
    expect(future.status).toBe(401);
    expect(future.body.error.message).toMatch(/in the future/);

    const missing = await postHook(standard.id, JSON.stringify(payload), { "content-type": "application/json" });
    expect(missing.status).toBe(401);
    expect(await runsOf(taskId)).toEqual(runsBefore);

    // A refused delivery uses up nothing: the real one with the forged id still acts.
    const real = await sendStandard(standard, payload, { id: "msg_forged" });
    expect(real.status).toBe(202);
  });

  it("answer a verified but malformed body with a 400, and a refused action with its 4xx, leaving the id free for a retry", async () => {
    const bad = await sendStandard(standard, "{ not json");
    expect(bad.status).toBe(400);
    const unknownType = await sendStandard(standard, { type: "task.delete", data: {} });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.message).toMatch(/type must be one of/);
    const noTask = { type: "examples.append", data: { taskId: "task_missing", examples: [{ input: "a", expected: "b" }] } };
    const refused = await sendStandard(standard, noTask);
    expect(refused.status).toBe(404);
    const retried = await sendStandard(standard, noTask, { id: refused.webhookId });
    expect(retried.status).toBe(404);
    // Within a millisecond the log's order is by id: compare as sets.
    const log = await deliveries(standard.id, "limit=4");
    expect(log.map((d) => `${d.outcome} ${d.httpStatus}`).sort()).toEqual(["rejected 400", "rejected 400", "rejected 404", "rejected 404"]);
    expect(log.filter((d) => d.httpStatus === 404).map((d) => d.error)).toEqual([expect.stringMatching(/No task with id 'task_missing'/), expect.stringMatching(/No task with id 'task_missing'/)]);
    expect(log.filter((d) => d.webhookId === refused.webhookId)).toHaveLength(2);
  });

  it("refuse a body over the size limit with a 413 and log it", async () => {
    const res = await postHook(standard.id, "x".repeat(MAX_BODY_BYTES + 1), { "content-type": "application/json" });
    expect(res.status).toBe(413);
    const [logged] = await deliveries(standard.id, "limit=1");
    expect(logged).toMatchObject({ outcome: "rejected", httpStatus: 413 });
  });
});

describe("GitHub deliveries", () => {
  let github: Endpoint;
  const push = (ref: string) => ({ ref, after: crypto.randomUUID().replaceAll("-", ""), repository: { full_name: "acme/prompts" } });

  beforeAll(async () => {
    github = await createEndpoint({ name: "repo", scheme: "github", action: { type: "run.start", events: ["push"], ref: "refs/heads/main", data: { kind: "finetune", taskId, config: TINY } } });
  });

  it("acknowledge ping, start the configured run on a push to the ref, and ignore other refs and events", async () => {
    const ping = await sendGitHub(github, "ping", { zen: "Design for failure.", hook_id: 1 });
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ pong: true });
    const started = await sendGitHub(github, "push", push("refs/heads/main"));
    expect(started.status).toBe(202);
    expect((await api("GET", `/v1/runs/${started.body.runId}`)).body.status).toBe("running");
    const otherRef = await sendGitHub(github, "push", push("refs/heads/dev"));
    expect(otherRef.body).toMatchObject({ ignored: true, reason: expect.stringContaining("refs/heads/dev") });
    const otherEvent = await sendGitHub(github, "issues", { action: "opened" });
    expect(otherEvent.body).toMatchObject({ ignored: true });
    const log = await deliveries(github.id, "limit=4");
    expect(log.map((d) => `${d.event} ${d.outcome} ${d.action}`).sort()).toEqual(["issues ignored null", "ping accepted ping", "push accepted run.start", "push ignored null"]);
  });

  it("act once per delivery id, and once per signed body even under a new id", async () => {
    const body = push("refs/heads/main");
    const delivery = crypto.randomUUID();
    const first = await sendGitHub(github, "push", body, { delivery });
    expect(first.status).toBe(202);
    const runsBefore = await runsOf(taskId);
    const redelivered = await sendGitHub(github, "push", body, { delivery });
    expect(redelivered.body).toMatchObject({ duplicate: true, originalDeliveryId: first.body.deliveryId });
    const replayed = await sendGitHub(github, "push", body, { delivery: crypto.randomUUID() });
    expect(replayed.body).toMatchObject({ duplicate: true, originalDeliveryId: first.body.deliveryId });
    expect(await runsOf(taskId)).toEqual(runsBefore);
  });

  it("refuse a wrong secret or signature with a 401, and a signed delivery without its id with a 400", async () => {
    expect((await sendGitHub(github, "push", push("refs/heads/main"), { signWith: "whsec_not-the-secret" })).status).toBe(401);
    expect((await sendGitHub(github, "push", push("refs/heads/main"), { omit: ["x-hub-signature-256"] })).status).toBe(401);
    const noId = await sendGitHub(github, "push", push("refs/heads/main"), { omit: ["x-github-delivery"] });
    expect(noId.status).toBe(400);
    expect(noId.body.error.message).toMatch(/X-GitHub-Delivery/);
  });
});

describe("revoking and rotating", () => {
  it("answers a revoked endpoint like an unknown one, and logs the attempt", async () => {
    const endpoint = await createEndpoint({ name: "to revoke", scheme: "standard" });
    const revoked = await api("DELETE", `/v1/webhooks/endpoints/${endpoint.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await api("DELETE", `/v1/webhooks/endpoints/${endpoint.id}`)).body.revokedAt).toBe(revoked.body.revokedAt);
    const payload = { type: "run.start", data: { kind: "finetune", taskId } };
    const refused = await sendStandard(endpoint, payload);
    const unknown = await sendStandard({ ...endpoint, id: "hook_00000000000000000000000000000000" }, payload);
    const malformed = await sendStandard({ ...endpoint, id: "nope" }, payload);
    expect([refused.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(refused.body).toEqual(unknown.body);
    expect(refused.body).toEqual(malformed.body);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ outcome: "rejected", httpStatus: 404, error: "the endpoint is revoked" });
    expect((await api("POST", `/v1/webhooks/endpoints/${endpoint.id}/rotate`)).status).toBe(409);
  });

  it("stops the old secret at once when rotated", async () => {
    const endpoint = await createEndpoint({ name: "to rotate", scheme: "standard" });
    const rotated = await api("POST", `/v1/webhooks/endpoints/${endpoint.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.secretRotatedAt).not.toBeNull();
    const append = { type: "examples.append", data: { taskId, examples: [{ input: "rotated", expected: "yes" }] } };
    expect((await sendStandard(endpoint, append)).status).toBe(401);
    expect((await sendStandard({ id: endpoint.id, secret: rotated.body.secret }, append)).status).toBe(200);
  });
});

describe("the delivery log", () => {
  it("pages newest first and never holds a body or a secret", async () => {
    const all = await deliveries(standard.id);
    expect(all.length).toBeGreaterThan(10);
    const times = all.map((d) => d.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const outcomes = new Set(all.map((d) => d.outcome));
    for (const o of ["accepted", "duplicate", "rejected"]) expect(outcomes).toContain(o);
    const text = JSON.stringify(all);
    expect(text).not.toContain(standard.secret);
    expect(text).not.toContain("p and q");

    const first = await api("GET", `/v1/webhooks/endpoints/${standard.id}/deliveries?limit=3`);
    const second = await api("GET", `/v1/webhooks/endpoints/${standard.id}/deliveries?limit=3&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((d: { id: string }) => d.id)).toEqual(all.slice(0, 6).map((d) => d.id));
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM inbound_deliveries WHERE endpoint_id = ?1").bind(standard.id).first<{ n: number }>();
    expect(rows?.n).toBe(all.length);
  });
});

describe("POST /v1/tasks/:id/examples", () => {
  it("adds examples and answers with the counts; 404 for a missing task", async () => {
    const target = await createSimTask("sim-logic", { model: STUCK_MODEL, examples: 20 });
    const res = await api("POST", `/v1/tasks/${target}/examples`, { examples: Array.from({ length: 10 }, (_, i) => ({ input: `q${i}`, expected: `a${i}` })) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ taskId: target, added: 10, counts: (await api("GET", `/v1/tasks/${target}`)).body.counts });
    expect(res.body.counts.train + res.body.counts.val + res.body.counts.test).toBe(30);
    expect((await api("POST", "/v1/tasks/task_missing/examples", { examples: [{ input: "a", expected: "b" }] })).status).toBe(404);
  });

  it("refuses a bad body with a 400 naming the field, and more than MAX_EXAMPLES in all with a 413", async () => {
    const target = await createSimTask("sim-logic", { model: STUCK_MODEL, examples: 20 });
    const cases: Array<[unknown, string]> = [
      [{ examples: [] }, "examples"],
      [{ examples: [{ input: "a" }] }, "examples.0.expected"],
      [{ examples: [{ input: "a", expected: "b", split: "dev" }] }, "examples.0.split"],
      [{ rows: [] }, "examples"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", `/v1/tasks/${target}/examples`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const tooMany = await api("POST", `/v1/tasks/${target}/examples`, { examples: Array.from({ length: MAX_EXAMPLES - 19 }, (_, i) => ({ input: `q${i}`, expected: "a" })) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toContain(`holds 20 examples and takes at most ${MAX_EXAMPLES}: ${MAX_EXAMPLES - 20} more fit`);
    const counts = (await api("GET", `/v1/tasks/${target}`)).body.counts;
    expect(counts.train + counts.val + counts.test).toBe(20);
    const fits = await api("POST", `/v1/tasks/${target}/examples`, { examples: Array.from({ length: MAX_EXAMPLES - 20 }, (_, i) => ({ input: `q${i}`, expected: "a" })) });
    expect(fits.status).toBe(201);
  });

  it("gives every example its own position across several insert statements", async () => {
    const target = await createSimTask("sim-logic", { model: STUCK_MODEL, examples: 10 });
    // About 700 KB: more than one insert statement's chunk.
    const big = Array.from({ length: 40 }, (_, i) => ({ input: `${i} ${"x".repeat(17_000)}`, expected: "a" }));
    expect((await api("POST", `/v1/tasks/${target}/examples`, { examples: big })).status).toBe(201);
    expect((await api("POST", `/v1/tasks/${target}/examples`, { examples: [{ input: "last", expected: "a" }] })).status).toBe(201);
    const { results } = await env.DB.prepare("SELECT position FROM examples WHERE task_id = ?1 ORDER BY position").bind(target).all<{ position: number }>();
    expect(results.map((r) => r.position)).toEqual(Array.from({ length: 51 }, (_, i) => i));
  });

  it("cannot add to another project's task", async () => {
    const other = await createProjectWithKey("examples other");
    const res = await api("POST", `/v1/tasks/${taskId}/examples`, { examples: [{ input: "a", expected: "b" }] }, { "content-type": "application/json", ...bearer(other.key) });
    expect(res.status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("describes the answers these routes really give", async () => {
    const doc: any = await (await exports.default.fetch("http://x/openapi.json")).json();
    const check = (path: string, method: string, res: { status: number; body: unknown }) => {
      const response = doc.paths[path]?.[method]?.responses?.[res.status];
      expect(response, `${method} ${path} ${res.status}`).toBeDefined();
      const name: string = (response.$ref ? doc.components.responses[response.$ref.split("/").pop()] : response).content["application/json"].schema.$ref.split("/").pop();
      const schema = (WEBHOOK_ENDPOINT_SCHEMAS as Record<string, z.ZodType>)[name];
      if (schema) expect(schema.parse(res.body), `${method} ${path} ${res.status}`).toEqual(res.body);
    };
    expect(doc.paths["/hooks/{endpointId}"].post.security).toEqual([]);
    expect(doc.paths["/v1/tasks/{id}/examples"].get).toBeDefined();
    const created = await api("POST", "/v1/webhooks/endpoints", { name: "doc", scheme: "standard" });
    check("/v1/webhooks/endpoints", "post", created);
    check("/v1/webhooks/endpoints", "get", await api("GET", "/v1/webhooks/endpoints"));
    check("/v1/webhooks/endpoints/{id}", "get", await api("GET", `/v1/webhooks/endpoints/${created.body.id}`));
    check("/hooks/{endpointId}", "post", await sendStandard(created.body, { type: "run.start", data: { kind: "finetune", taskId, config: TINY } }));
    const appended = await sendStandard(created.body, { type: "examples.append", data: { taskId, examples: [{ input: "doc", expected: "yes" }] } });
    check("/hooks/{endpointId}", "post", appended);
    check("/hooks/{endpointId}", "post", await sendStandard(created.body, { type: "examples.append", data: { taskId, examples: [{ input: "doc", expected: "yes" }] } }, { id: appended.webhookId }));
    check("/hooks/{endpointId}", "post", await sendStandard(created.body, "{", {}));
    check("/v1/webhooks/endpoints/{id}/deliveries", "get", await api("GET", `/v1/webhooks/endpoints/${created.body.id}/deliveries`));
    check("/v1/tasks/{id}/examples", "post", await api("POST", `/v1/tasks/${taskId}/examples`, { examples: [{ input: "doc2", expected: "yes" }] }));
    check("/v1/webhooks/endpoints/{id}/rotate", "post", await api("POST", `/v1/webhooks/endpoints/${created.body.id}/rotate`));
    check("/v1/webhooks/endpoints/{id}", "delete", await api("DELETE", `/v1/webhooks/endpoints/${created.body.id}`));
  });
});
