/**
 * Access control through the Worker's fetch handler: every /v1 route needs a key, a key
 * sees only its project, keys are stored as hashes and shown once, and the admin API
 * takes the admin key only.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { hashApiKey } from "../../src/auth/api-key";
import { snapshotIdFor, historyStatements } from "../../src/storage/run-history";
import { prepareAll } from "../../src/storage/sql-statement";
import { api, createSimTask, simTaskBody } from "./support/api";
import { adminRequest, bearer, createKey, createProjectWithKey } from "./support/auth";

/** A task whose model always answers 429 "retry in a minute": its runs stay running, cheaply. */
const STUCK_MODEL = { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" };
const json = { "content-type": "application/json" };

/** A request with exactly these headers (no test key added). */
async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await exports.default.fetch(`http://x${path}`, { method, headers: body === undefined ? headers : { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const isJson = res.headers.get("content-type")?.includes("json") ?? false;
  return { status: res.status, headers: res.headers, text, body: isJson && text ? JSON.parse(text) : null };
}

/** The app's routes, with every `:param` filled in. */
function routes(filter: (path: string) => boolean): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const route of createApp().routes) {
    if (route.method === "ALL" || !filter(route.path)) continue;
    const path = route.path.replace(/:[A-Za-z]+/g, "x1");
    if (seen.has(`${route.method} ${path}`)) continue;
    seen.add(`${route.method} ${path}`);
    out.push({ method: route.method, path });
  }
  return out;
}
const isAdminPath = (path: string) => path === "/v1/projects" || path.startsWith("/v1/projects/");
const projectRoutes = routes((path) => path.startsWith("/v1/") && !isAdminPath(path));
const adminRoutes = routes(isAdminPath);

describe("without a valid key", () => {
  let revoked: string;
  beforeAll(async () => {
    const created = await createKey("default", "to revoke");
    expect((await adminRequest("DELETE", `/v1/projects/default/keys/${created.id}`)).status).toBe(200);
    revoked = created.key;
  });

  it("the app has the routes this test walks", () => {
    const listed = projectRoutes.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(expect.arrayContaining(["POST /v1/tasks", "GET /v1/tasks/x1/prompt", "POST /v1/runs", "GET /v1/runs/x1/candidates/x1", "GET /v1/agents/x1"]));
    expect(adminRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["POST /v1/projects", "DELETE /v1/projects/x1/keys/x1"]));
  });

  it("every /v1 route answers 401 with WWW-Authenticate and reveals nothing", async () => {
    const wrong = `sk_${"A".repeat(43)}`;
    const credentials: Array<[string, Record<string, string>]> = [
      ["no key", {}],
      ["an unknown key", bearer(wrong)],
      ["a revoked key", bearer(revoked)],
      ["another scheme", { authorization: `Basic ${btoa("user:pass")}` }],
      ["an empty bearer", { authorization: "Bearer " }],
      ["a token that is not a key", bearer("hunter2")],
    ];
    for (const { method, path } of [...projectRoutes, ...adminRoutes]) {
      for (const [label, headers] of credentials) {
        const res = await raw(method, path, headers);
        expect(res.status, `${method} ${path} with ${label}`).toBe(401);
        expect(res.body.error.code).toBe("unauthorized");
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      }
    }
    // An unknown key and a revoked one are refused in the same words.
    const unknown = await raw("GET", "/v1/tasks", bearer(wrong));
    expect((await raw("GET", "/v1/tasks", bearer(revoked))).body).toEqual(unknown.body);
    expect(unknown.text).not.toContain(wrong);
  });

  it("leaves the public routes public", async () => {
    for (const path of ["/", "/health", "/dashboard", "/dashboard/assets/main.js"]) expect((await raw("GET", path)).status, path).toBe(200);
    expect((await raw("GET", "/openapi.json")).status).not.toBe(401);
  });
});

describe("a key sees only its project", () => {
  let a: { projectId: string; key: string };
  let b: { projectId: string; key: string };
  let taskId: string;
  let runId: string;
  let snapshotId: string;
  const as = (key: string, method: string, path: string, body?: unknown) => api(method, path, body, { ...json, ...bearer(key) });

  beforeAll(async () => {
    a = await createProjectWithKey("team a");
    b = await createProjectWithKey("team b");
    const task = await as(a.key, "POST", "/v1/tasks", simTaskBody("sim-logic", { model: STUCK_MODEL }));
    expect(task.status).toBe(201);
    taskId = task.body.id;
    const run = await as(a.key, "POST", "/v1/runs", { kind: "finetune", taskId, config: { generations: 1 } });
    expect(run.status).toBe(202);
    runId = run.body.runId;
    snapshotId = `agt_${crypto.randomUUID().replaceAll("-", "")}`;
    await env.DB.prepare("INSERT INTO agent_snapshots (id, run_id, candidate_id, text, fitness, lineage, created_at, project_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(snapshotId, runId, `${runId}:c0`, "Team A's agent.", 0.2, "[]", Date.now(), a.projectId)
      .run();
  });

  it("reads its own task, run, candidates, prompts and snapshot", async () => {
    for (const path of [`/v1/tasks/${taskId}`, `/v1/tasks/${taskId}/examples`, `/v1/tasks/${taskId}/prompt`, `/v1/tasks/${taskId}/prompts`, `/v1/runs/${runId}`, `/v1/runs/${runId}/candidates`, `/v1/runs/${runId}/candidates/${runId}:c0`, `/v1/agents/${snapshotId}`]) {
      expect((await as(a.key, "GET", path)).status, path).toBe(200);
    }
  });

  it("gets the 404 of a missing resource for another project's, and changes nothing", async () => {
    const foreign: Array<[string, string, string]> = [
      ["GET", `/v1/tasks/${taskId}`, "/v1/tasks/task_missing"],
      ["GET", `/v1/tasks/${taskId}/examples`, "/v1/tasks/task_missing/examples"],
      ["GET", `/v1/tasks/${taskId}/prompt`, "/v1/tasks/task_missing/prompt"],
      ["GET", `/v1/tasks/${taskId}/prompts`, "/v1/tasks/task_missing/prompts"],
      ["GET", `/v1/runs/${runId}`, `/v1/runs/run_${"0".repeat(32)}`],
      ["POST", `/v1/runs/${runId}/cancel`, `/v1/runs/run_${"0".repeat(32)}/cancel`],
      ["GET", `/v1/runs/${runId}/candidates`, `/v1/runs/run_${"0".repeat(32)}/candidates`],
      ["GET", `/v1/runs/${runId}/candidates/${runId}:c0`, `/v1/runs/run_${"0".repeat(32)}/candidates/x:c0`],
      ["GET", `/v1/agents/${snapshotId}`, "/v1/agents/agt_missing"],
    ];
    for (const [method, path, missingPath] of foreign) {
      const res = await as(b.key, method, path);
      const missing = await as(b.key, method, missingPath);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      // Worded like the missing one, with only the id differing.
      const id = (p: string) => p.split("/")[3]!;
      expect(res.body.error.message).toBe(missing.body.error.message.replace(id(missingPath), id(path)));
    }
    expect((await as(a.key, "GET", `/v1/runs/${runId}`)).body.status).toBe("running");
  });

  it("cannot start a run on another project's task or snapshot: the 400 of an unknown one", async () => {
    const onTask = await as(b.key, "POST", "/v1/runs", { kind: "finetune", taskId });
    expect(onTask.status).toBe(400);
    expect(onTask.body.error.message).toContain(`no task with id '${taskId}'`);
    const own = await createSimTaskAs(b.key);
    const onSnapshot = await as(b.key, "POST", "/v1/runs", { kind: "finetune", taskId: own, agentSnapshotId: snapshotId });
    expect(onSnapshot.status).toBe(400);
    expect(onSnapshot.body.error.message).toContain(`no agent snapshot with id '${snapshotId}'`);
    const latest = await as(b.key, "POST", "/v1/runs", { kind: "finetune", taskId: own, agentSnapshotId: "latest" });
    expect(latest.status).toBe(400);
    expect(latest.body.error.message).toContain("there is no prompt-agent snapshot yet");
    expect((await as(a.key, "POST", "/v1/runs?dryRun=true", { kind: "finetune", taskId, agentSnapshotId: "latest" })).status).toBe(200);
  });

  it("lists only its own tasks, runs and snapshots", async () => {
    const ids = async (key: string, path: string) => (await as(key, "GET", path)).body.items.map((item: { id: string }) => item.id);
    expect(await ids(a.key, "/v1/tasks?limit=100")).toContain(taskId);
    expect(await ids(a.key, "/v1/runs?limit=100")).toContain(runId);
    expect(await ids(a.key, "/v1/agents?limit=100")).toContain(snapshotId);
    for (const path of ["/v1/tasks?limit=100", "/v1/runs?limit=100", `/v1/runs?taskId=${taskId}`, "/v1/agents?limit=100"]) {
      const seen = await ids(b.key, path);
      expect(seen, path).not.toContain(taskId);
      expect(seen, path).not.toContain(runId);
      expect(seen, path).not.toContain(snapshotId);
    }
    // The test file's key is of the project 'default', which sees neither.
    expect((await api("GET", "/v1/tasks?limit=100")).body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
  });

  it("gives a run's agent snapshot the run's project", async () => {
    const statements = historyStatements(runId, [{ type: "snapshot.created", at: Date.now(), snapshotKind: "prompt-agent", agentCandidateId: `${runId}:c0`, text: "evolved", fitness: 0.3, lineage: [`${runId}:c0`] }]);
    await env.DB.batch(prepareAll(env.DB, statements));
    const row = await env.DB.prepare("SELECT project_id FROM agent_snapshots WHERE id = ?").bind(snapshotIdFor(runId)).first<{ project_id: string }>();
    expect(row?.project_id).toBe(a.projectId);
    expect((await as(a.key, "GET", `/v1/agents/${snapshotIdFor(runId)}`)).status).toBe(200);
    expect((await as(b.key, "GET", `/v1/agents/${snapshotIdFor(runId)}`)).status).toBe(404);
  });

  it("a project key may not name another project; the admin key may name any", async () => {
    expect((await api("GET", "/v1/tasks", undefined, { ...bearer(b.key), "x-sepo-project": a.projectId })).status).toBe(403);
    expect((await api("GET", "/v1/tasks", undefined, { ...bearer(b.key), "x-sepo-project": b.projectId })).status).toBe(200);
    const admin = bearer(env.ADMIN_API_KEY!);
    expect((await api("GET", `/v1/tasks/${taskId}`, undefined, { ...admin, "x-sepo-project": a.projectId })).status).toBe(200);
    expect((await api("GET", `/v1/tasks/${taskId}`, undefined, { ...admin, "x-sepo-project": b.projectId })).status).toBe(404);
    expect((await api("GET", "/v1/tasks", undefined, { ...admin, "x-sepo-project": "proj_nope" })).status).toBe(404);
    const unnamed = await api("GET", "/v1/tasks", undefined, admin);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.message).toContain("x-sepo-project");
    await as(a.key, "POST", `/v1/runs/${runId}/cancel`);
  });

  async function createSimTaskAs(key: string): Promise<string> {
    const res = await as(key, "POST", "/v1/tasks", simTaskBody("sim-arithmetic", { model: STUCK_MODEL }));
    expect(res.status).toBe(201);
    return res.body.id;
  }
});

describe("API keys", () => {
  it("are shown once, stored only as a hash, and listed by prefix", async () => {
    const project = await (await adminRequest("POST", "/v1/projects", { name: "keys" })).json<{ id: string }>();
    const res = await adminRequest("POST", `/v1/projects/${project.id}/keys`, { name: "ci" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = await res.json<any>();
    expect(created).toMatchObject({ projectId: project.id, name: "ci", revokedAt: null, lastUsedAt: null });
    expect(created.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 8));
    expect(created).not.toHaveProperty("hash");

    // No row of any table holds the key; its row holds the SHA-256 hash.
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), name).not.toContain(created.key.slice(3));
    }
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(row?.hash).toBe(await hashApiKey(created.key));

    // Never again: not in lists, nor in the project.
    for (const path of [`/v1/projects/${project.id}/keys`, "/v1/projects?limit=100", `/v1/projects/${project.id}`]) {
      const text = await (await adminRequest("GET", path)).text();
      expect(text, path).not.toContain(created.key.slice(3));
      expect(text, path).not.toContain(String(row?.hash));
    }
    const listed = await (await adminRequest("GET", `/v1/projects/${project.id}/keys`)).json<any>();
    expect(listed.items).toEqual([{ id: created.id, projectId: project.id, name: "ci", prefix: created.prefix, createdAt: created.createdAt, revokedAt: null, lastUsedAt: null }]);

    // Using the key records when, and works until it is revoked.
    expect((await raw("GET", "/v1/tasks", bearer(created.key))).status).toBe(200);
    const used = await (await adminRequest("GET", `/v1/projects/${project.id}/keys`)).json<any>();
    expect(used.items[0].lastUsedAt).toEqual(expect.any(String));
    const revoked = await (await adminRequest("DELETE", `/v1/projects/${project.id}/keys/${created.id}`)).json<any>();
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect((await raw("GET", "/v1/tasks", bearer(created.key))).status).toBe(401);
    // Revoking again keeps the first time; another project's path does not find the key.
    expect((await (await adminRequest("DELETE", `/v1/projects/${project.id}/keys/${created.id}`)).json<any>()).revokedAt).toBe(revoked.revokedAt);
    expect((await adminRequest("DELETE", `/v1/projects/default/keys/${created.id}`)).status).toBe(404);
    expect((await adminRequest("DELETE", `/v1/projects/${project.id}/keys/key_nope`)).status).toBe(404);
  });
});

describe("the admin API", () => {
  it("creates and lists projects, and validates what it is sent", async () => {
    const created = await adminRequest("POST", "/v1/projects", { name: "  Research  " });
    expect(created.status).toBe(201);
    const project = await created.json<any>();
    expect(project).toMatchObject({ id: expect.stringMatching(/^proj_[0-9a-f]{32}$/), name: "Research" });
    expect(created.headers.get("location")).toBe(`/v1/projects/${project.id}`);
    const listed = await (await adminRequest("GET", "/v1/projects?limit=100")).json<any>();
    expect(listed.items.map((p: any) => p.id)).toEqual(expect.arrayContaining([project.id, "default"]));
    expect((await adminRequest("GET", `/v1/projects/${project.id}`)).status).toBe(200);
    expect((await adminRequest("GET", "/v1/projects/proj_nope")).status).toBe(404);
    expect((await adminRequest("POST", "/v1/projects/proj_nope/keys", { name: "x" })).status).toBe(404);
    expect((await adminRequest("GET", "/v1/projects/proj_nope/keys")).status).toBe(404);
    const bad = await adminRequest("POST", "/v1/projects", { name: "" });
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).error.issues[0].path).toBe("name");
    expect((await adminRequest("POST", `/v1/projects/${project.id}/keys`, { label: "x" })).status).toBe(400);
  });

  it("refuses project keys with 403 on every admin route", async () => {
    const { key } = await createProjectWithKey("not an admin");
    for (const { method, path } of adminRoutes) {
      const res = await raw(method, path, bearer(key), method === "POST" ? { name: "x" } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
  });

  it("answers 503 while ADMIN_API_KEY is unset or too short, and never opens", async () => {
    const app = createApp();
    const { key } = await createProjectWithKey("still works");
    for (const adminKey of [undefined, "", "short"]) {
      const configured = { ...env, ADMIN_API_KEY: adminKey };
      for (const headers of [{}, bearer(env.ADMIN_API_KEY!), bearer(adminKey ?? "")]) {
        const res = await app.request("/v1/projects", { headers }, configured);
        expect(res.status).toBe(503);
        expect((await res.json<any>()).error.message).toContain("ADMIN_API_KEY");
      }
      // Project keys keep working; a too-short admin key is not accepted anywhere.
      expect((await app.request("/v1/tasks", { headers: bearer(key) }, configured)).status).toBe(200);
      if (adminKey) expect((await app.request("/v1/tasks", { headers: { ...bearer(adminKey), "x-sepo-project": "default" } }, configured)).status).toBe(401);
    }
  });
});

describe("createSimTask (support/api.ts)", () => {
  it("creates tasks in the project 'default', the test file's key's", async () => {
    const id = await createSimTask("sim-logic");
    const row = await env.DB.prepare("SELECT project_id FROM tasks WHERE id = ?").bind(id).first<{ project_id: string }>();
    expect(row?.project_id).toBe("default");
  });
});
