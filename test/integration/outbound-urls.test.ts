/**
 * User-supplied model base URLs as a deployed Worker sees them (ALLOW_PRIVATE_URLS
 * "false"): a task's `model.baseUrl` and a run's `agentModel.baseUrl` must be public
 * http(s) addresses, refused with a 400 naming the field otherwise, before anything is
 * stored or started. The rest of the suite runs with "true" (SimLM's hosts are not public).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createSimTask, runTableCounts, simTaskBody } from "./support/api";
import { withAuth } from "./support/auth";

// The service's own endpoint is public here: naming it is always accepted (see the third test).
const deployed = { ...env, ALLOW_PRIVATE_URLS: "false", OPENAI_BASE_URL: "https://api.openai.com/v1" };

async function post(path: string, body: unknown, environment: typeof env = deployed): Promise<{ status: number; body: any }> {
  const request = new Request(`http://x${path}`, { method: "POST", headers: await withAuth({ "content-type": "application/json" }), body: JSON.stringify(body) });
  const res = await createApp().fetch(request, environment);
  return { status: res.status, body: await res.json() };
}

const taskCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM tasks").first<number>("n")) ?? 0;

const PRIVATE = [
  "http://127.0.0.1:8788/v1",
  "http://localhost:8788/v1",
  "http://169.254.169.254/latest/meta-data",
  "http://0x7f000001/v1",
  "http://2130706433/v1",
  "http://10.0.0.7/v1",
  "http://192.168.1.10:11434/v1",
  "http://[::1]:8000/v1",
  "http://[::ffff:127.0.0.1]/v1",
  "http://[fd00::1]/v1",
  "http://metadata.google.internal/v1",
  "http://vllm/v1",
];

describe("model base URLs when deployed", () => {
  it("POST /v1/tasks refuses a private model.baseUrl with a 400 naming it, and stores nothing", async () => {
    const before = await taskCount();
    for (const baseUrl of PRIVATE) {
      const res = await post("/v1/tasks", simTaskBody("sim-logic", { model: { model: "m", baseUrl } }));
      expect(res.status, baseUrl).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.issues, baseUrl).toEqual([{ path: "model.baseUrl", message: expect.stringMatching(/^must point at a public (address|host)/) }]);
      expect(res.body.error.message).toMatch(/^Invalid request body: model\.baseUrl: /);
    }
    expect(await taskCount()).toBe(before);
  });

  it("POST /v1/tasks refuses credentials in the URL even where private addresses are allowed", async () => {
    for (const environment of [deployed, { ...env, ALLOW_PRIVATE_URLS: "true" }]) {
      const res = await post("/v1/tasks", simTaskBody("sim-logic", { model: { model: "m", baseUrl: "https://user:secret@api.example.com/v1" } }), environment);
      expect(res.status).toBe(400);
      expect(res.body.error.issues[0]).toMatchObject({ path: "model.baseUrl", message: expect.stringMatching(/credentials/) });
    }
  });

  it("POST /v1/tasks accepts a public base URL, and the service's own OPENAI_BASE_URL even when it is private", async () => {
    const publicUrl = await post("/v1/tasks", simTaskBody("sim-logic", { model: { model: "m", baseUrl: "https://llm.example.com/v1" } }));
    expect(publicUrl.status).toBe(201);
    expect(publicUrl.body.model).toEqual({ model: "m", baseUrl: "https://llm.example.com/v1" });
    const service = { ...deployed, OPENAI_BASE_URL: "http://127.0.0.1:8788/v1" };
    expect((await post("/v1/tasks", simTaskBody("sim-logic", { model: { model: "m", baseUrl: "http://127.0.0.1:8788/v1/" } }), service)).status).toBe(201);
    expect((await post("/v1/tasks", simTaskBody("sim-logic", { model: { model: "m", baseUrl: "http://127.0.0.1:8789/v1" } }), service)).status).toBe(400);
  });

  it("POST /v1/runs refuses a private agentModel.baseUrl (a dry run too), and starts nothing", async () => {
    const taskId = await createSimTask("sim-logic");
    const before = await runTableCounts();
    for (const baseUrl of PRIVATE) {
      for (const path of ["/v1/runs", "/v1/runs?dryRun=true"]) {
        const res = await post(path, { kind: "finetune", taskId, agentModel: { model: "a", baseUrl } });
        expect(res.status, `${path} ${baseUrl}`).toBe(400);
        expect(res.body.error.issues, baseUrl).toEqual([{ path: "agentModel.baseUrl", message: expect.stringMatching(/^must point at a public (address|host)/) }]);
      }
    }
    expect(await runTableCounts()).toEqual(before);
    const estimate = await post("/v1/runs?dryRun=true", { kind: "finetune", taskId, agentModel: { model: "a", baseUrl: "https://api.example.com/v1" } });
    expect(estimate.status).toBe(200);
  });
});
