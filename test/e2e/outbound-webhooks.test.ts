/**
 * Outbound webhooks as a user sees them: a receiver on this machine (a Node HTTP server
 * in the test process) subscribes through the API, a small fine-tuning runs under
 * `wrangler dev`, and the receiver gets the run's events through the real queue, signed
 * so that the Standard Webhooks library verifies them; a failed first attempt is retried
 * by the queue, and the delivery log says what happened.
 */
import { type IncomingHttpHeaders, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSimTasks } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";
import { SepoClient } from "../../src/client/api-client";

interface Received {
  headers: Record<string, string>;
  body: string;
  answered: number;
}

const received: Received[] = [];
let server: Server;
let receiverUrl = "";
let client: SepoClient;

/** Answers 500 to the very first request (to see the queue retry it), 204 to every other. */
function startReceiver(): Promise<void> {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const answered = received.length === 0 ? 500 : 204;
      received.push({ headers: flatten(req.headers), body, answered });
      res.writeHead(answered).end(answered === 500 ? "not yet" : undefined);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sepo-hooks`;
      resolve();
    });
  });
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
}

beforeAll(async () => {
  await startReceiver();
  // A project of its own, so the other e2e files' runs do not reach this receiver.
  const admin = new SepoClient({ baseUrl: inject("apiUrl"), apiKey: inject("adminKey") });
  const project = await admin.request<{ id: string }>("POST", "/v1/projects", { name: "outbound webhooks e2e" });
  const { key } = await admin.request<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, { name: "e2e" });
  client = new SepoClient({ baseUrl: inject("apiUrl"), apiKey: key });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe("outbound webhooks through wrangler dev", () => {
  it("deliver a run's events, signed, retried after a failure, and logged", async () => {
    const sub = await client.request<{ id: string; secret: string }>("POST", "/v1/webhooks/subscriptions", { url: receiverUrl, events: ["*"], description: "e2e receiver" });
    expect(sub.secret).toMatch(/^whsec_/);

    const [task] = await createSimTasks(client, { examplesPerTask: 30, dataSeed: 3, only: ["sim-logic"] });
    const started = await client.startRun<{ runId: string }>({ kind: "finetune", taskId: task!.taskId, config: { generations: 1, childrenPerGeneration: 2, seed: 3 } });
    const run = await watchRun(client, started.runId, { intervalMs: 250, timeoutMs: 120_000 });
    expect(run.status).toBe("completed");

    // The first attempt got a 500; its retry comes after the queue's backoff (about 10 s).
    type Delivery = { id: string; eventId: string; eventType: string; status: string; attempts: number };
    const deadline = Date.now() + 90_000;
    let log: Delivery[] = [];
    for (;;) {
      log = (await client.request<{ items: Delivery[] }>("GET", "/v1/webhooks/deliveries?limit=100")).items;
      const done = log.some((d) => d.eventType === "run.finished") && log.every((d) => d.status !== "pending");
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(log.map((d) => d.status), JSON.stringify({ log, received: received.map((r) => [r.headers["webhook-id"], r.answered]) })).toEqual(log.map(() => "delivered"));
    expect(log.map((d) => d.eventType)).toEqual(expect.arrayContaining(["run.started", "generation.completed", "run.finished"]));

    const verifier = new Webhook(sub.secret);
    for (const request of received) {
      const payload = verifier.verify(request.body, request.headers) as { type: string; data: { runId: string } };
      expect(payload.data.runId).toBe(started.runId);
      expect(request.headers["content-type"]).toBe("application/json");
    }
    // Every delivery reached the receiver under its event id; the one that failed first came twice.
    const byId = new Map<string, Received[]>();
    for (const request of received) byId.set(request.headers["webhook-id"]!, [...(byId.get(request.headers["webhook-id"]!) ?? []), request]);
    expect([...byId.keys()].sort()).toEqual(log.map((d) => d.eventId).sort());
    const retried = received[0]!.headers["webhook-id"]!;
    expect(byId.get(retried)!.map((r) => r.answered)).toEqual([500, 204]);
    const entry = log.find((d) => d.eventId === retried)!;
    expect(entry.attempts).toBe(2);
    const detail = await client.request<{ attemptLog: Array<{ status: number | null; error: string | null }> }>("GET", `/v1/webhooks/deliveries/${entry.id}`);
    expect(detail.attemptLog.map((a) => [a.status, a.error])).toEqual([
      [500, "HTTP 500: not yet"],
      [204, null],
    ]);
    expect(log.filter((d) => d.eventId !== retried).every((d) => d.attempts === 1)).toBe(true);
  });
});
