/**
 * Project budgets: the /v1/budget API, the reservation each run takes when it starts
 * (refused with 409 when it does not fit, also under concurrent starts), its release
 * when the run finishes, and the minute check's `budget.threshold` alerts.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkProjectBudgets } from "../../src/budgets/check-project-budgets";
import { tryReserve } from "../../src/storage/budget-repo";
import { type WebhookQueueMessage, WebhookQueueMessageSchema } from "../../src/webhooks/queue-message";
import { simTaskBody, uniqueSimHost } from "./support/api";
import { bearer, createProjectWithKey } from "./support/auth";

/** A request with `key`, JSON in and out. */
async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const init: RequestInit = { method, headers: { ...bearer(key), ...(body === undefined ? {} : { "content-type": "application/json" }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await exports.default.fetch(`http://x${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A project with a key and one simulated task whose model is `host` (a 429 host keeps runs waiting). */
async function projectWithTask(host = "status-429-after-60.fault"): Promise<{ projectId: string; key: string; taskId: string }> {
  const { projectId, key } = await createProjectWithKey("budget test");
  const task = await call(key, "POST", "/v1/tasks", simTaskBody("sim-logic", { model: { model: "simlm-task", baseUrl: `http://${host}/v1` } }));
  expect(task.status).toBe(201);
  return { projectId, key, taskId: task.body.id };
}

/** A run row and one settled job of it, straight into D1 (as the run's history writes them). */
async function settled(projectId: string, o: { calls: number; tokens?: number; usd?: number; at: number; runId?: string; status?: string }) {
  const runId = o.runId ?? `run_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare(`INSERT OR IGNORE INTO runs (id, project_id, kind, status, task_ids, config, created_at, updated_at) VALUES (?, ?, 'finetune', ?, '[]', '{}', ?, ?)`)
    .bind(runId, projectId, o.status ?? "completed", o.at, o.at)
    .run();
  await env.DB.prepare(`INSERT INTO usage_ledger (job_id, run_id, role, model, calls, prompt_tokens, completion_tokens, usd, created_at) VALUES (?, ?, 'task', 'm', ?, ?, 0, ?, ?)`)
    .bind(crypto.randomUUID(), runId, o.calls, o.tokens ?? 0, o.usd ?? 0, o.at)
    .run();
  return runId;
}

const finetune = (taskId: string, budget?: Record<string, number>) => ({ kind: "finetune", taskId, config: { generations: 1, ...(budget ? { budget } : {}) } });
const runCount = async (projectId: string) => (await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE project_id = ?").bind(projectId).first<number>("n")) ?? 0;

describe("/v1/budget", () => {
  it("sets, reads, replaces and removes the project's budget; 404 while there is none", async () => {
    const { key } = await createProjectWithKey("budget api");
    expect((await call(key, "GET", "/v1/budget")).status).toBe(404);
    const set = await call(key, "PUT", "/v1/budget", { limits: { calls: 1000, usd: 5 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      limits: { calls: 1000, tokens: null, usd: 5 },
      period: "month",
      periodKey: expect.stringMatching(/^\d{4}-\d{2}$/),
      spent: { calls: 0, tokens: 0, usd: 0 },
      reserved: { calls: 0, tokens: 0, usd: 0 },
      remaining: { calls: 1000, tokens: null, usd: 5 },
      activeRuns: 0,
      thresholdsReached: [],
      alerts: [],
    });
    expect(Date.parse(set.body.periodEnd) - Date.parse(set.body.periodStart)).toBeGreaterThanOrEqual(28 * 86_400_000);
    const replaced = await call(key, "PUT", "/v1/budget", { limits: { tokens: 50_000 }, period: "total" });
    expect(replaced.body).toMatchObject({ limits: { calls: null, tokens: 50_000, usd: null }, period: "total", periodKey: "total", periodStart: null, periodEnd: null });
    expect((await call(key, "GET", "/v1/budget")).body).toEqual(replaced.body);
    expect((await call(key, "DELETE", "/v1/budget")).status).toBe(204);
    expect((await call(key, "GET", "/v1/budget")).status).toBe(404);
    expect((await call(key, "DELETE", "/v1/budget")).status).toBe(404);
  });

  it("refuses bad bodies with a 400 naming the field", async () => {
    const { key } = await createProjectWithKey("budget bodies");
    const cases: Array<[unknown, string]> = [
      [{}, "limits"],
      [{ limits: {} }, "limits"],
      [{ limits: { calls: 0 } }, "limits.calls"],
      [{ limits: { calls: 1.5 } }, "limits.calls"],
      [{ limits: { usd: -1 } }, "limits.usd"],
      [{ limits: { tokens: "many" } }, "limits.tokens"],
      [{ limits: { dollars: 5 } }, "limits"],
      [{ limits: { calls: 10 }, period: "week" }, "period"],
      [{ limits: { calls: 10 }, extra: true }, "(body)"],
    ];
    for (const [body, path] of cases) {
      const res = await call(key, "PUT", "/v1/budget", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: any) => i.path), JSON.stringify(body)).toContain(path);
    }
  });

  it("needs a project key, and each project sees only its own budget and spending", async () => {
    expect((await exports.default.fetch("http://x/v1/budget")).status).toBe(401);
    const a = await createProjectWithKey("budget a");
    const b = await createProjectWithKey("budget b");
    await call(a.key, "PUT", "/v1/budget", { limits: { calls: 100 } });
    await settled(a.projectId, { calls: 30, at: Date.now() });
    await settled(b.projectId, { calls: 7, at: Date.now() });
    expect((await call(a.key, "GET", "/v1/budget")).body.spent.calls).toBe(30);
    expect((await call(b.key, "GET", "/v1/budget")).status).toBe(404);
    await call(b.key, "PUT", "/v1/budget", { limits: { calls: 100 } });
    expect((await call(b.key, "GET", "/v1/budget")).body.spent.calls).toBe(7);
  });

  it("counts the current month only for a monthly budget, everything for a total one", async () => {
    const { projectId, key } = await createProjectWithKey("budget periods");
    const now = new Date();
    const lastMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1;
    await settled(projectId, { calls: 40, tokens: 4000, usd: 0.4, at: lastMonth });
    await settled(projectId, { calls: 5, tokens: 500, usd: 0.05, at: Date.now() });
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100 }, period: "month" });
    expect((await call(key, "GET", "/v1/budget")).body).toMatchObject({ spent: { calls: 5, tokens: 500 }, remaining: { calls: 95 } });
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100 }, period: "total" });
    expect((await call(key, "GET", "/v1/budget")).body).toMatchObject({ spent: { calls: 45, tokens: 4500 }, remaining: { calls: 55 }, thresholdsReached: [] });
  });
});

describe("runs against the project's budget", () => {
  it("a run without caps gets what is left; a second one is refused (409) while the first holds it; finishing releases it", async () => {
    const { projectId, key, taskId } = await projectWithTask();
    await settled(projectId, { calls: 20, at: Date.now() });
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100, tokens: 500_000 } });

    const first = await call(key, "POST", "/v1/runs", finetune(taskId));
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.budget.limits).toEqual({ maxCalls: 80, maxTokens: 500_000 });
    const held = (await call(key, "GET", "/v1/budget")).body;
    expect(held).toMatchObject({ activeRuns: 1, remaining: { calls: 0, tokens: 0 } });
    expect(held.reserved.calls + held.spent.calls).toBe(100);

    const runsBefore = await runCount(projectId);
    const second = await call(key, "POST", "/v1/runs", finetune(taskId));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("conflict");
    expect(second.body.error.issues[0].path).toBe("config.budget.maxCalls");
    expect(second.body.error.message).toMatch(/0 calls left this month/);
    expect(await runCount(projectId)).toBe(runsBefore);

    expect((await call(key, "POST", `/v1/runs/${first.body.runId}/cancel`)).body.status).toBe("cancelled");
    const released = (await call(key, "GET", "/v1/budget")).body;
    expect(released).toMatchObject({ activeRuns: 0, reserved: { calls: 0, tokens: 0, usd: 0 } });
    expect(released.remaining.calls).toBe(100 - released.spent.calls);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM budget_reservations WHERE run_id = ?").bind(first.body.runId).first("n")).toBe(0);
    // What the first run left is free again.
    const third = await call(key, "POST", "/v1/runs", finetune(taskId, { maxCalls: 10 }));
    expect(third.status).toBe(202);
    await call(key, "POST", `/v1/runs/${third.body.runId}/cancel`);
  });

  it("refuses a cap larger than what is left, naming it, and writes nothing", async () => {
    const { projectId, key, taskId } = await projectWithTask();
    await call(key, "PUT", "/v1/budget", { limits: { calls: 50 } });
    const res = await call(key, "POST", "/v1/runs", finetune(taskId, { maxCalls: 51 }));
    expect(res.status).toBe(409);
    expect(res.body.error.issues).toEqual([{ path: "config.budget.maxCalls", message: expect.stringMatching(/^is 51 but the project's budget has 50 calls left/) }]);
    expect(await runCount(projectId)).toBe(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM budget_reservations WHERE project_id = ?").bind(projectId).first("n")).toBe(0);
  });

  it("with a USD limit, needs a price for every model of the run (400), and counts the run's USD cap", async () => {
    const { key, taskId } = await projectWithTask();
    await call(key, "PUT", "/v1/budget", { limits: { usd: 2 } });
    const unpriced = await call(key, "POST", "/v1/runs", finetune(taskId));
    expect(unpriced.status).toBe(400);
    expect(unpriced.body.error.issues[0]).toEqual({ path: "config.prices", message: expect.stringMatching(/'simlm-agent'.*'simlm-task'|'simlm-task'.*'simlm-agent'/) });
    const prices = { "simlm-task": { inputPerMTok: 1, outputPerMTok: 2 }, "simlm-agent": { inputPerMTok: 1, outputPerMTok: 2 } };
    const run = await call(key, "POST", "/v1/runs", { ...finetune(taskId, { maxUsd: 0.5 }), config: { generations: 1, budget: { maxUsd: 0.5 }, prices } });
    expect(run.status).toBe(202);
    expect((await call(key, "GET", "/v1/budget")).body).toMatchObject({ reserved: { usd: 0.5 }, remaining: { usd: 1.5 } });
    await call(key, "POST", `/v1/runs/${run.body.runId}/cancel`);
  });

  it("concurrent starts never reserve more than the budget", async () => {
    const { key, taskId } = await projectWithTask();
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100 } });
    const results = await Promise.all(Array.from({ length: 6 }, () => call(key, "POST", "/v1/runs", finetune(taskId, { maxCalls: 30 }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 409, 409, 409]);
    const budget = (await call(key, "GET", "/v1/budget")).body;
    expect(budget.activeRuns).toBe(3);
    expect(budget.reserved.calls + budget.spent.calls).toBeLessThanOrEqual(100);
    for (const r of results.filter((r) => r.status === 202)) await call(key, "POST", `/v1/runs/${r.body.runId}/cancel`);
  });

  it("the reservation itself is conditional: six made from the same read, only those that fit are kept", async () => {
    const { projectId, key } = await createProjectWithKey("budget atomic");
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100, tokens: 1000 } });
    const now = Date.now();
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    // Every caller saw 100 calls left; the statements alone decide.
    const kept = await Promise.all(
      Array.from({ length: 6 }, (_, i) => tryReserve(env.DB, { runId: `run_atomic${i}`, projectId, caps: { calls: 30, tokens: 100, usd: null }, monthStart, now })),
    );
    expect(kept.filter(Boolean)).toHaveLength(3);
    // A limited dimension without a cap never fits, and a project without a budget holds nothing.
    expect(await tryReserve(env.DB, { runId: "run_atomic_nocap", projectId, caps: { calls: 1, tokens: null, usd: null }, monthStart, now })).toBe(false);
    const other = await createProjectWithKey("budget none");
    expect(await tryReserve(env.DB, { runId: "run_atomic_none", projectId: other.projectId, caps: { calls: 1, tokens: 1, usd: 1 }, monthStart, now })).toBe(false);
    expect((await call(key, "GET", "/v1/budget")).body).toMatchObject({ activeRuns: 3, reserved: { calls: 90, tokens: 300 }, remaining: { calls: 10, tokens: 700 } });
  });

  it("a run that completes spends within what it held, and the project's spending is its ledger", async () => {
    const host = uniqueSimHost("budget");
    const { key, taskId } = await projectWithTask(host);
    await call(key, "PUT", "/v1/budget", { limits: { calls: 60 } });
    const started = await call(key, "POST", "/v1/runs", finetune(taskId));
    expect(started.status).toBe(202);
    expect(started.body.budget.limits.maxCalls).toBe(60);
    let run: any;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      run = (await call(key, "GET", `/v1/runs/${started.body.runId}`)).body;
      if (run.status !== "running") break;
    }
    expect(run.status).toBe("completed");
    const budget = (await call(key, "GET", "/v1/budget")).body;
    expect(budget.spent.calls).toBe(run.budget.spent.calls);
    expect(budget.spent.calls).toBeGreaterThan(0);
    expect(budget.spent.calls).toBeLessThanOrEqual(60);
    expect(budget).toMatchObject({ activeRuns: 0, reserved: { calls: 0 }, remaining: { calls: 60 - run.budget.spent.calls } });
  }, 90_000);
});

describe("checkProjectBudgets", () => {
  const queue = () => {
    const sent: WebhookQueueMessage[] = [];
    let failing = false;
    const WEBHOOKS = {
      send: async (message: WebhookQueueMessage) => {
        if (failing) throw new Error("queue unavailable");
        sent.push(message);
      },
    } as unknown as Queue<WebhookQueueMessage>;
    return { sent, WEBHOOKS, fail: (on: boolean) => (failing = on) };
  };

  it("sends one budget.threshold event per period and threshold reached, and none again", async () => {
    const { projectId, key } = await createProjectWithKey("budget alerts");
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100, usd: 10 } });
    const q = queue();
    const now = Date.now();
    const month = new Date(now).toISOString().slice(0, 7);
    await settled(projectId, { calls: 49, usd: 1, at: now });
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, now);
    expect(q.sent.filter((m) => m.kind === "event" && m.projectId === projectId)).toEqual([]);

    await settled(projectId, { calls: 33, usd: 1, at: now }); // 82 calls: 50 % and 80 % at once
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, now + 60_000);
    const mine = () => q.sent.filter((m) => m.kind === "event" && m.projectId === projectId);
    expect(mine()).toEqual([50, 80].map((pct) => ({
      kind: "event",
      eventId: `evt_budget_${projectId}_${month}_${pct}`,
      type: "budget.threshold",
      at: now + 60_000,
      projectId,
      data: { scope: "project", threshold: pct / 100, dimension: "calls", spent: { calls: 82, tokens: 0, usd: 2 }, limits: { calls: 100, tokens: null, usd: 10 }, period: month },
    })));

    // What the webhook consumer reads back off the queue.
    for (const message of mine()) expect(WebhookQueueMessageSchema.parse(message)).toEqual(message);
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, now + 120_000);
    expect(mine()).toHaveLength(2);
    const view = (await call(key, "GET", "/v1/budget")).body;
    expect(view.thresholdsReached).toEqual([0.5, 0.8]);
    expect(view.alerts.map((a: any) => [a.threshold, a.sent])).toEqual([[0.5, true], [0.8, true]]);

    await settled(projectId, { calls: 0, usd: 8, at: now }); // USD is now the most spent: 100 %
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, now + 180_000);
    expect(mine().at(-1)).toMatchObject({ eventId: `evt_budget_${projectId}_${month}_100`, data: { threshold: 1, dimension: "usd" } });
    expect(mine()).toHaveLength(3);
  });

  it("retries an alert whose send failed, with the same event id and data", async () => {
    const { projectId, key } = await createProjectWithKey("budget alert retry");
    await call(key, "PUT", "/v1/budget", { limits: { tokens: 1000 }, period: "total" });
    await settled(projectId, { calls: 1, tokens: 600, at: Date.now() });
    const q = queue();
    q.fail(true);
    const t0 = Date.now();
    await expect(checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, t0)).rejects.toThrow(/could not be sent/);
    expect((await call(key, "GET", "/v1/budget")).body.alerts).toMatchObject([{ threshold: 0.5, dimension: "tokens", sent: false }]);
    q.fail(false);
    await settled(projectId, { calls: 1, tokens: 100, at: Date.now() }); // spending moved on; the alert says what it was
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: q.WEBHOOKS }, t0 + 60_000);
    const mine = q.sent.filter((m) => m.kind === "event" && m.projectId === projectId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ eventId: `evt_budget_${projectId}_total_50`, at: t0, data: { spent: { tokens: 600 }, period: "total" } });
  });

  it("forgets reservations of runs that finished or never appeared", async () => {
    const { projectId, key } = await createProjectWithKey("budget prune");
    await call(key, "PUT", "/v1/budget", { limits: { calls: 100 } });
    const now = Date.now();
    const finished = await settled(projectId, { calls: 5, at: now, status: "completed" });
    const running = await settled(projectId, { calls: 5, at: now, status: "running" });
    const insert = (runId: string, at: number) =>
      env.DB.prepare("INSERT INTO budget_reservations (run_id, project_id, max_calls, created_at) VALUES (?, ?, 30, ?)").bind(runId, projectId, at).run();
    await insert(finished, now);
    await insert(running, now);
    await insert("run_neverstarted", now - 11 * 60_000);
    await insert("run_juststarting", now);
    // Counted: the running one (30 - 5) and the one still starting (30).
    expect((await call(key, "GET", "/v1/budget")).body).toMatchObject({ activeRuns: 2, reserved: { calls: 55 }, spent: { calls: 10 }, remaining: { calls: 35 } });
    await checkProjectBudgets({ DB: env.DB, WEBHOOKS: queue().WEBHOOKS }, now);
    const left = await env.DB.prepare("SELECT run_id FROM budget_reservations WHERE project_id = ? ORDER BY run_id").bind(projectId).all<{ run_id: string }>();
    expect(left.results.map((r) => r.run_id).sort()).toEqual([running, "run_juststarting"].sort());
  });
});
