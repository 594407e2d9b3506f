/**
 * The dashboard's operations pages in headless Chromium, on a project of their own: the
 * webhooks page (subscriptions, the delivery log with filters and paging, a delivery's
 * payload and attempts, Retry on a failed one, inbound endpoints and their log), the
 * task page's prompt controls (promote, roll back, pin, unpin, each confirmed, checked
 * through the API) with the task's schedule, and the budget card on the runs list.
 *
 * The receiver is a Node server in this process. A delivery fails for good only after
 * ten attempts over hours, so the failed one is made the cheap way the service allows:
 * its first attempt gets a 500, and its subscription is disabled before the retry, which
 * then fails without an attempt; enabled again, the Retry button delivers it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-stack";
import { createSimTasks } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";
import { SepoClient } from "../../src/client/api-client";
import { type Browser, CHROMIUM_PATH, launchBrowser, screenshotDir } from "./support/browser";
import { type FlakyReceiver, startFlakyReceiver, until } from "./support/flaky-receiver";

const apiUrl = inject("apiUrl");
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) console.warn(`dashboard ops e2e SKIPPED: no Chromium at ${CHROMIUM_PATH}; install it with \`apt-get install -y chromium\`.`);

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastError: string | null;
}
interface PromptHistory {
  liveVersion: number;
  pinned: boolean;
  items: Array<{ version: number; text: string }>;
}

describe.skipIf(!hasChromium)("the dashboard's operations pages in headless Chromium", () => {
  let client: SepoClient;
  let receiver: FlakyReceiver;
  let browser: Browser;
  let page: Page;
  let shots = "";
  let taskId = "";
  const secrets: string[] = [];
  const shoot = (name: string, fullPage = true) => page.screenshot({ path: join(shots, name), fullPage });
  const deliveries = async () => (await client.request<{ items: Delivery[] }>("GET", "/v1/webhooks/deliveries?limit=100")).items;
  const open = async (hash: string) => {
    await page.goto(`${apiUrl}/dashboard#${hash}`);
    await page.locator("main h1").first().waitFor();
  };

  beforeAll(async () => {
    receiver = await startFlakyReceiver(1);
    // A project of its own, so counts and logs hold only this file's doings.
    const admin = new SepoClient({ baseUrl: apiUrl, apiKey: inject("adminKey") });
    const project = await admin.request<{ id: string }>("POST", "/v1/projects", { name: "dashboard ops e2e" });
    const { key } = await admin.request<{ key: string }>("POST", `/v1/projects/${project.id}/keys`, { name: "dashboard" });
    client = new SepoClient({ baseUrl: apiUrl, apiKey: key });
    await client.request("PUT", "/v1/budget", { limits: { calls: 100_000, tokens: 50_000_000 }, period: "month" });
    taskId = (await createSimTasks(client, { examplesPerTask: 30, dataSeed: 3, only: ["sim-logic"] }))[0]!.taskId;
    await client.request("PUT", `/v1/tasks/${taskId}/schedule`, { cron: "0 3 * * *", agent: null, config: { generations: 1, childrenPerGeneration: 2, seed: 5 } });

    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${apiUrl}/health`);
    await page.evaluate(`localStorage.setItem("sepo.apiKey", ${JSON.stringify(key)})`);
    shots = screenshotDir(ROOT);
    console.log(`dashboard ops screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  it("shows outbound deliveries, filters and pages them, opens one, and retries a failed one", async () => {
    const sub = await client.request<{ id: string; secret: string }>("POST", "/v1/webhooks/subscriptions", { url: receiver.url, events: ["*"], description: "dashboard e2e receiver" });
    secrets.push(sub.secret);
    // Test pings first, so the log is longer than the dashboard's page (20) and the run's events are on its first page.
    const pings = 20;
    for (let i = 0; i < pings; i++) await client.request("POST", `/v1/webhooks/subscriptions/${sub.id}/test`);
    const run = await client.startRun<{ runId: string }>({ kind: "finetune", taskId, config: { generations: 1, childrenPerGeneration: 2, seed: 3 } });
    expect((await watchRun(client, run.runId, { intervalMs: 250, timeoutMs: 120_000 })).status).toBe("completed");
    // The first request's first attempt got the 500; the queue's retry comes about 10 s later.
    const settled = (log: Delivery[]) => log.length > pings && log.some((d) => d.eventType === "run.finished") && log.every((d) => d.status === "delivered");
    const log = await until(() => deliveries(), settled, "the pings and the run's deliveries");
    expect(log.filter((d) => d.attempts === 2)).toHaveLength(1);

    // One that fails: a 500, then its subscription is disabled before the retry.
    receiver.failNext = 1;
    const ping = await client.request<Delivery>("POST", `/v1/webhooks/subscriptions/${sub.id}/test`);
    await until(() => client.request<Delivery>("GET", `/v1/webhooks/deliveries/${ping.id}`), (d) => d.attempts === 1, "the failed first attempt");
    await client.request("PATCH", `/v1/webhooks/subscriptions/${sub.id}`, { enabled: false });
    const failed = await until(() => client.request<Delivery>("GET", `/v1/webhooks/deliveries/${ping.id}`), (d) => d.status === "failed", "the delivery to fail", 60_000);
    expect(failed.lastError).toContain("disabled");
    await client.request("PATCH", `/v1/webhooks/subscriptions/${sub.id}`, { enabled: true });
    const total = (await deliveries()).length;

    await open("/webhooks");
    const counts = page.locator(".webhook-counts");
    await expect.poll(() => counts.locator('[data-status="failed"] .big').textContent()).toBe("1");
    expect(await counts.locator('[data-status="delivered"] .big').textContent()).toBe(String(total - 1));
    expect(await page.locator(".subscriptions tbody tr").textContent()).toContain(receiver.url);

    const rows = page.locator("table.deliveries tbody tr");
    await expect.poll(() => rows.count()).toBe(20);
    expect(await rows.first().getAttribute("data-id")).toBe(ping.id);
    await page.locator(".pager button.older").click();
    await expect.poll(() => rows.count()).toBe(total - 20);
    await page.locator(".pager button.newer").click();
    await expect.poll(() => rows.count()).toBe(20);

    await page.locator('select[name="eventType"]').selectOption("run.finished");
    await expect.poll(() => rows.locator("code").allTextContents()).toEqual(["run.finished"]);
    await page.locator('select[name="eventType"]').selectOption("");
    await page.locator('select[name="status"]').selectOption("failed");
    // Row counts alone would also match the previous filter's table: wait for the failed one.
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")))).toEqual([ping.id]);

    await rows.first().click();
    const panel = page.locator("#delivery-panel");
    await expect.poll(() => panel.locator("h2 .pill").textContent()).toBe("failed");
    expect(await panel.locator(".delivery-error").textContent()).toContain("the subscription is disabled");
    expect(await panel.locator("table.attempts tbody tr").count()).toBe(1);
    expect(await panel.locator("table.attempts tbody tr td").nth(2).textContent()).toBe("HTTP 500");
    const payload = JSON.parse((await panel.locator("pre.payload").textContent())!);
    expect(payload).toMatchObject({ type: "webhook.test", data: { subscriptionId: sub.id } });
    await page.locator('select[name="status"]').selectOption("");
    await expect.poll(() => rows.count()).toBe(20);

    // Inbound: one accepted delivery and one forgery, as the endpoint's log shows them.
    const endpoint = await client.request<{ id: string; url: string; secret: string }>("POST", "/v1/webhooks/endpoints", { name: "data pipeline", scheme: "standard" });
    secrets.push(endpoint.secret);
    const inbound = async (secret: string, id: string) => {
      const body = JSON.stringify({ type: "examples.append", data: { taskId, examples: [{ input: "added by a webhook", expected: "yes" }] } });
      const now = new Date();
      const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, now, body) };
      return (await fetch(endpoint.url, { method: "POST", headers, body })).status;
    };
    expect(await inbound(endpoint.secret, "msg_dashboard_1")).toBe(200);
    expect(await inbound(`whsec_${btoa("not this endpoint's secret, 32 b")}`, "msg_dashboard_2")).toBe(401);
    await page.reload();
    const pingRow = page.locator(`table.deliveries tbody tr[data-id="${ping.id}"]`);
    const inboundRows = page.locator(`.endpoint[data-id="${endpoint.id}"] table.inbound-log tbody tr`);
    await expect.poll(() => inboundRows.count()).toBe(2);
    expect(await inboundRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-outcome")).sort())).toEqual(["accepted", "rejected"]);
    await pingRow.click();
    await expect.poll(() => panel.locator("h2 .pill").textContent()).toBe("failed");
    await shoot("webhooks.png");

    // Nothing secret anywhere in the page: not a secret, not even its prefix.
    const html = await page.content();
    for (const secret of secrets) expect(html).not.toContain(secret.slice(0, 12));

    await panel.locator("button.retry").click();
    await expect.poll(() => panel.locator("h2 .pill").textContent(), { timeout: 30_000 }).toBe("delivered");
    expect(await panel.locator(".notice").textContent()).toContain("Queued again");
    expect(await panel.locator("table.attempts tbody tr").last().locator("td").nth(2).textContent()).toBe("HTTP 204");
    expect((await client.request<Delivery>("GET", `/v1/webhooks/deliveries/${ping.id}`)).status).toBe("delivered");
    await expect.poll(() => counts.locator('[data-status="failed"] .big').textContent()).toBe("0");
  });

  it("promotes an old version, rolls back, pins and unpins from the task page, and shows its schedule", async () => {
    for (const text of ["Answer yes or no. Think about each clause before answering.", "Answer yes or no. Check every clause, then answer in one word."]) {
      await client.request("POST", `/v1/tasks/${taskId}/prompts`, { text, live: true, note: "written by hand" });
    }
    const prompts = () => client.request<PromptHistory>("GET", `/v1/tasks/${taskId}/prompts?limit=100`);
    const before = await prompts();
    const latest = before.liveVersion;
    expect(latest).toBeGreaterThanOrEqual(3);

    await open(`/tasks/${taskId}`);
    await page.locator("pre.live-prompt").waitFor();
    expect(await page.locator("pre.live-prompt").textContent()).toBe(before.items.find((v) => v.version === latest)!.text);
    expect(await page.locator(".schedule-card code.cron").textContent()).toBe("0 3 * * *");
    expect(await page.locator(".schedule-card").textContent()).toContain("not run yet");

    const liveCard = page.locator(".live-card");
    const changeRows = page.locator(".change-log tbody tr");
    const confirmIn = async (scope: ReturnType<Page["locator"]>, reason?: string) => {
      if (reason) await scope.locator(".confirm input.reason").fill(reason);
      await scope.locator(".confirm button.confirm-ok").click();
      await scope.locator(".confirm").waitFor({ state: "detached" });
    };

    // Cancel changes nothing.
    const v1 = page.locator('.versions > li[data-version="1"]');
    await v1.locator("button.promote").click();
    expect(await v1.locator(".confirm-question").textContent()).toBe(`Serve v1 instead of v${latest}?`);
    await v1.locator("button.confirm-cancel").click();
    expect(await v1.locator(".confirm").count()).toBe(0);
    expect((await prompts()).liveVersion).toBe(latest);

    await v1.locator("button.promote").click();
    await confirmIn(v1, "the seed did better on last week's data");
    await expect.poll(async () => (await prompts()).liveVersion).toBe(1);
    await expect.poll(() => liveCard.locator("h2").textContent()).toBe("Live prompt · version 1");
    expect(await changeRows.first().locator(".change-move").textContent()).toBe(`v${latest} → v1`);
    expect(await changeRows.first().textContent()).toContain("the seed did better on last week's data");
    expect(await page.locator(".notice").textContent()).toContain(`live v${latest} → v1`);

    const rollback = liveCard.locator("button.rollback");
    expect(await rollback.textContent()).toBe(`Roll back to v${latest}`);
    await rollback.click();
    await confirmIn(liveCard);
    await expect.poll(async () => (await prompts()).liveVersion).toBe(latest);
    await expect.poll(() => changeRows.first().locator(".change-action").textContent()).toMatch(/^rolled back \(undoes #\d+\)/);

    await liveCard.locator("button.pin").click();
    await confirmIn(liveCard, "release freeze");
    await expect.poll(async () => (await prompts()).pinned).toBe(true);
    await liveCard.locator("h2 .pinned-badge").waitFor();
    expect((await prompts()).liveVersion).toBe(latest);
    // The picture: pinned, the change log, and a promotion being confirmed (then cancelled).
    await v1.locator("button.promote").click();
    expect(await v1.locator(".confirm-question").textContent()).toBe(`Serve v1 instead of v${latest}? The task stays pinned, now at v1.`);
    await v1.locator(".confirm input.reason").fill("compare with the seed");
    await shoot("task-prompts.png");
    await v1.locator("button.confirm-cancel").click();

    await liveCard.locator("button.unpin").click();
    await confirmIn(liveCard);
    await expect.poll(async () => (await prompts()).pinned).toBe(false);
    expect(await liveCard.locator("h2 .pinned-badge").count()).toBe(0);
    const changes = await client.request<{ items: Array<{ action: string }> }>("GET", `/v1/tasks/${taskId}/prompt/changes?limit=100`);
    expect(changes.items.slice(0, 4).map((c) => c.action)).toEqual(["unpin", "pin", "rollback", "promote"]);
    expect(await changeRows.count()).toBe(changes.items.length);
  });

  it("shows the project's budget on the runs list", async () => {
    const budget = await client.request<{ spent: { calls: number; tokens: number }; thresholdsReached: number[] }>("GET", "/v1/budget");
    expect(budget.spent.calls).toBeGreaterThan(0);
    await open("/runs");
    const card = page.locator(".budget-card");
    await card.waitFor();
    expect(await card.locator('[data-dimension="calls"] .budget-amount').textContent()).toBe(`${budget.spent.calls.toLocaleString("en-US")} of 100,000 spent`);
    expect(await card.locator('[data-dimension="tokens"] .budget-amount').textContent()).toBe(`${budget.spent.tokens.toLocaleString("en-US")} of 50,000,000 spent`);
    expect(await card.locator('[data-dimension="usd"]').count()).toBe(0);
    expect(budget.thresholdsReached).toEqual([]);
    expect(await card.locator(".thresholds").textContent()).toContain("No alert threshold");
    await shoot("runs.png", false);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
