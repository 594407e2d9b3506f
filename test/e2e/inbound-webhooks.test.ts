/**
 * Inbound webhooks against `wrangler dev`: a delivery signed by the real standardwebhooks
 * library starts a small run that completes on SimLM, a replay of it does nothing, and
 * a forged one is refused; the endpoint's log shows all three. A GitHub endpoint checks
 * X-Hub-Signature-256 in the Worker as bundled by wrangler.
 */
import { sign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { createSimTasks } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";

const apiUrl = inject("apiUrl");
const client = new SepoClient({ baseUrl: apiUrl, apiKey: inject("apiKey") });
const CONFIG = { generations: 1, childrenPerGeneration: 1, seed: 3 };

interface CreatedEndpoint {
  id: string;
  url: string;
  secret: string;
}

async function deliver(endpoint: CreatedEndpoint, payload: unknown, id: string, secret = endpoint.secret) {
  const body = JSON.stringify(payload);
  const now = new Date();
  const res = await fetch(endpoint.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, now, body),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

let taskId: string;
let endpoint: CreatedEndpoint;

beforeAll(async () => {
  const [task] = await createSimTasks(client, { examplesPerTask: 16, dataSeed: 11, only: ["sim-classify"] });
  taskId = task!.taskId;
  endpoint = await client.request<CreatedEndpoint>("POST", "/v1/webhooks/endpoints", { name: "e2e", scheme: "standard" });
});

describe("an inbound webhook over HTTP", () => {
  it("starts a run that completes, acts once per webhook-id, and refuses a forgery", async () => {
    expect(endpoint.url).toBe(`${apiUrl}/hooks/${endpoint.id}`);
    const payload = { type: "run.start", data: { kind: "finetune", taskId, config: CONFIG } };
    const id = `msg_e2e_${Date.now()}`;
    const started = await deliver(endpoint, payload, id);
    expect(started.status).toBe(202);
    const run = await watchRun(client, started.body.runId as string, { intervalMs: 250, timeoutMs: 180_000 });
    expect(run.status).toBe("completed");
    expect((run as RunSummary).generations).toBe(1);

    const replay = await deliver(endpoint, payload, id);
    expect(replay).toEqual({ status: 200, body: expect.objectContaining({ duplicate: true, originalDeliveryId: started.body.deliveryId }) });
    const forged = await deliver(endpoint, payload, `msg_e2e_forged_${Date.now()}`, `whsec_${btoa("not this endpoint's secret, 32 b")}`);
    expect(forged.status).toBe(401);
    const runs = await client.listRuns<{ items: Array<{ id: string }> }>({ taskId });
    expect(runs.items.map((r) => r.id)).toEqual([started.body.runId]);

    const log = await client.request<{ items: Array<{ outcome: string; httpStatus: number }> }>("GET", `/v1/webhooks/endpoints/${endpoint.id}/deliveries`);
    expect(log.items.map((d) => `${d.outcome} ${d.httpStatus}`).sort()).toEqual(["accepted 202", "duplicate 200", "rejected 401"]);
  });

  it("adds examples to the task", async () => {
    const before = await client.getTask<{ counts: Record<string, number> }>(taskId);
    const res = await deliver(endpoint, { type: "examples.append", data: { taskId, examples: [{ input: "a new case", expected: "A" }, { input: "another", expected: "B" }] } }, `msg_e2e_add_${Date.now()}`);
    expect(res.status).toBe(200);
    expect(res.body.added).toBe(2);
    const after = await client.getTask<{ counts: Record<string, number> }>(taskId);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(after.counts)).toBe(total(before.counts) + 2);
  });

  it("checks GitHub's signature in the bundled Worker", async () => {
    const github = await client.request<CreatedEndpoint>("POST", "/v1/webhooks/endpoints", {
      name: "e2e github",
      scheme: "github",
      action: { type: "run.start", events: ["push"], data: { kind: "finetune", taskId, config: CONFIG } },
    });
    const ping = async (secret: string) => {
      const body = JSON.stringify({ zen: "Approachable is better than simple.", hook_id: 7 });
      const headers = { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": crypto.randomUUID(), "x-hub-signature-256": await sign(secret, body) };
      return (await fetch(github.url, { method: "POST", headers, body })).status;
    };
    expect(await ping(github.secret)).toBe(200);
    expect(await ping(`${github.secret}x`)).toBe(401);
  });
});
