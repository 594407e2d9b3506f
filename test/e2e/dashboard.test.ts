/**
 * The dashboard as a person uses it: headless Chromium on the e2e service (wrangler dev
 * + SimLM). It watches a fine-tuning run live, opens a lineage node (prompt, diff,
 * per-example results), reads tasks and agent snapshots, and checks what must never
 * break: user text is shown, not run; the API key goes out as a bearer token; a 401 is
 * explained. The webhooks page, the prompt controls and the budget card are
 * dashboard-ops.test.ts's. Screenshots land in docs/screenshots/ with SEPO_SCREENSHOTS=1,
 * else in a temp dir (printed). Skipped, saying why, where /usr/bin/chromium is not installed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SepoClient } from "../../src/client/api-client";
import type { RunSummary } from "../../src/engine";
import { ROOT } from "../../scripts/lib/dev-stack";
import { createSimTasks, type CreatedSimTask } from "../../scripts/lib/sim-tasks";
import { watchRun } from "../../scripts/lib/watch-run";
import { type Browser, CHROMIUM_PATH, launchBrowser, screenshotDir } from "./support/browser";

const apiUrl = inject("apiUrl");
const apiKey = inject("apiKey");
const client = new SepoClient({ baseUrl: apiUrl, apiKey });
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) console.warn(`dashboard e2e SKIPPED: no Chromium at ${CHROMIUM_PATH}; install it with \`apt-get install -y chromium\`.`);

/** Long enough (about ten seconds on SimLM) for the page to see the run running. */
const LIVE_RUN = { generations: 8, childrenPerGeneration: 4, seed: 3 };

describe("the dashboard over HTTP", () => {
  it("serves a shell with a strict CSP, its modules as JavaScript, and is linked from /", async () => {
    const shell = await fetch(`${apiUrl}/dashboard`);
    expect(shell.headers.get("content-type")).toMatch(/^text\/html/);
    expect(shell.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await shell.text()).toContain(`<script type="module" src="/dashboard/assets/main.js">`);
    const main = await fetch(`${apiUrl}/dashboard/assets/main.js`);
    expect(main.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await fetch(`${apiUrl}/dashboard/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${apiUrl}/dashboard/`, { redirect: "manual" })).headers.get("location")).toMatch(/\/dashboard$/);
    expect(await client.request("GET", "/")).toMatchObject({ dashboard: "/dashboard" });
  });
});

describe.skipIf(!hasChromium)("the dashboard in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let tasks: CreatedSimTask[] = [];
  let shots = "";
  const shoot = (name: string, fullPage = true) => page.screenshot({ path: join(shots, name), fullPage });
  const open = async (hash: string) => {
    await page.goto(`${apiUrl}/dashboard#${hash}`);
    await page.locator("main h1").first().waitFor();
  };

  beforeAll(async () => {
    tasks = await createSimTasks(client, { examplesPerTask: 100, dataSeed: 11, only: ["sim-arithmetic", "sim-logic", "sim-classify"] });
    browser = await launchBrowser();
    page = browser.page;
    // A person pastes their key into the dashboard; the tests put the e2e service's key where
    // the dashboard keeps it (localStorage) before its first load, from a page of the same origin.
    await page.goto(`${apiUrl}/health`);
    await page.evaluate(`localStorage.setItem("sepo.apiKey", ${JSON.stringify(apiKey)})`);
    shots = screenshotDir(ROOT);
    console.log(`dashboard screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const taskId = (simId: string) => tasks.find((t) => t.simId === simId)!.taskId;

  it("shows a fine-tuning run live: status, phase, generations, budget, chart and lineage", async () => {
    const run = await client.startRun<RunSummary>({ kind: "finetune", taskId: taskId("sim-classify"), config: LIVE_RUN });
    let polls = 0;
    page.on("request", (r) => void (new URL(r.url()).pathname === `/v1/runs/${run.runId}` && polls++));
    await open(`/runs/${run.runId}`);

    const head = page.locator(".page-head");
    await expect.poll(() => head.textContent()).toContain("Fine-tuning run");
    expect(await head.locator(".badge.sim").textContent()).toBe("simulated model");
    // The page's first look: the run must still be running for "live" to mean anything.
    expect(await head.locator(".pill").textContent()).toBe("running");
    await expect.poll(() => page.locator(".chart circle.dot").count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await shoot("run-live.png");

    await head.locator(".pill.status-completed").waitFor({ timeout: 180_000 });
    const done = await client.getRun<RunSummary>(run.runId);
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(await page.locator(".phases li.current").getAttribute("data-phase")).toBe("done");
    expect(await page.locator(".gen").textContent()).toBe(`${LIVE_RUN.generations} / ${LIVE_RUN.generations}`);
    expect(await page.locator(".overview").textContent()).toContain(done.budget.spent.calls.toLocaleString("en-US"));
    // Every evolving candidate is one node of the tree, and every scored one a point of the chart.
    expect(await page.locator(".tree button.node").count()).toBe(done.counts.candidates);
    expect(await page.locator(".tree button.node.status-rejected").count()).toBe(done.counts.rejected);
    expect(await page.locator(".chart .best-label").textContent()).toBe(`best ${done.best!.fitness.toFixed(3)}`);
    await shoot("run-completed.png");
  });

  it("opens a lineage node: its prompt, its diff against the parent, its per-example results", async () => {
    const runId = new URL(page.url()).hash.split("/")[2]!;
    const { items } = await client.request<{ items: Array<{ id: string; parentId: string | null; text: string; status: string; taskId: string }> }>("GET", `/v1/runs/${runId}/candidates?limit=500`);
    // The champion when it is not the seed: its diff is the one a person wants to read.
    const best = (await client.getRun<RunSummary>(runId)).best!;
    const child = items.find((c) => c.id === best.id && c.parentId !== null) ?? items.find((c) => c.status === "admitted" && c.parentId !== null)!;
    const parent = items.find((c) => c.id === child.parentId)!;

    await page.locator(`.tree button.node[data-id="${child.id}"]`).click();
    const panel = page.locator("#candidate-panel");
    await expect.poll(() => panel.locator("h2").textContent()).toContain(`Candidate ${child.id.split(":").pop()}`);
    expect(await page.locator(`.tree button.node.selected[data-id="${child.id}"]`).count()).toBe(1);
    const shown = await panel.locator("pre.prompt-text").textContent();
    if (child.text.length <= 1500) expect(shown).toBe(child.text);
    else expect(child.text.startsWith(shown!.slice(0, -1))).toBe(true);
    // The diff, read back as text, is the parent with deletions and the child with additions.
    const diff = panel.locator("pre.diff");
    const changed = await diff.locator("ins, del").count();
    expect(changed).toBeGreaterThan(0);
    const withoutIns = await diff.evaluate((el) => [...el.childNodes].filter((n) => n.nodeName !== "INS").map((n) => n.textContent).join(""));
    if (!(await diff.locator(".fold").count())) expect(withoutIns).toBe(parent.text);

    const rows = panel.locator(".results-table tbody tr");
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBeGreaterThan(0);
    const examples = await client.request<{ items: Array<{ expected: string }> }>("GET", `/v1/tasks/${child.taskId}/examples?limit=100`);
    const expected = await rows.first().locator("td").nth(2).textContent();
    expect(examples.items.map((e) => e.expected)).toContain(expected);
    await rows.first().click();
    expect(await rows.first().getAttribute("class")).toContain("open");
    await panel.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await shoot("candidate.png", false);
  });

  it("lists tasks with the simulated-model badge, and a task's live prompt and history", async () => {
    await open("/tasks");
    const rows = page.locator("table.list tbody tr");
    // The page shows its heading while the list loads: wait for the rows.
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await rows.locator(".badge.sim").count()).toBe(await rows.count());
    await shoot("tasks.png", false);

    const id = taskId("sim-classify");
    const live = await client.getPrompt<{ version: number; text: string }>(id);
    await page.locator(`a.task-link[href="#/tasks/${id}"]`).click();
    await page.locator("pre.live-prompt").waitFor();
    expect(await page.locator("pre.live-prompt").textContent()).toBe(live.text);
    expect(await page.locator(".versions > li").count()).toBe(live.version);
    await page.locator(".versions > li").first().locator("button.link").click();
    if (live.version > 1) expect(await page.locator(".versions pre.diff").count()).toBe(1);
    await shoot("task.png");
  });

  it("lists agent snapshots with fitness and lineage", async () => {
    const pre = await client.startRun<RunSummary>({ kind: "pretrain", taskIds: [taskId("sim-arithmetic"), taskId("sim-logic")], config: { generations: 1, childrenPerGeneration: 2, seed: 5 } });
    const done = await watchRun(client, pre.runId, { intervalMs: 250 });
    expect(done.status).toBe("completed");
    const snapshots = await client.request<{ items: Array<{ id: string; runId: string; fitness: number }> }>("GET", "/v1/agents");
    const snapshot = snapshots.items.find((s) => s.runId === pre.runId)!;
    await open("/agents");
    const row = page.locator("table.list tbody tr", { hasText: snapshot.id });
    expect(await row.locator("td.num").textContent()).toBe(snapshot.fitness.toFixed(3));
    expect(await row.locator(".lineage").textContent()).toMatch(/^c0( → c\d+)*$/);
    await shoot("agents.png", false);
  });

  it("shows prompts and names as text, never as markup", async () => {
    const evil = { name: `<img src=x onerror="window.__xss=1">Evil <b>task</b>`, prompt: `<script>window.__xss=2</script>Answer.` };
    const created = await client.createTask<{ id: string }>({
      name: evil.name,
      seedPrompt: evil.prompt,
      scorer: { type: "exact" },
      examples: [1, 2, 3, 4].map((i) => ({ input: `<i onmouseover=x>${i}</i>`, expected: String(i), split: i <= 2 ? "train" : "val" })),
    });
    await open("/tasks");
    expect(await page.locator(`a.task-link[href="#/tasks/${created.id}"]`).textContent()).toBe(evil.name);
    await open(`/tasks/${created.id}`);
    expect(await page.locator("main h1").textContent()).toBe(evil.name);
    expect(await page.locator("pre.live-prompt").textContent()).toBe(evil.prompt);
    expect(await page.locator("main img, main script, main b").count()).toBe(0);
    expect(await page.evaluate("typeof window.__xss")).toBe("undefined");
  });

  it("sends the pasted API key as a bearer token and explains a 401", async () => {
    const seen: Array<string | undefined> = [];
    page.on("request", (r) => void (r.url().includes("/v1/") && seen.push(r.headers().authorization)));
    await open("/runs");
    await page.locator("#settings summary").click();
    await page.locator("#api-key").fill("sk-test-123");
    await page.locator("#key-form button[type=submit]").click();
    await page.goto(`${apiUrl}/dashboard#/tasks`);
    await page.locator("#banner:not([hidden])").waitFor();
    expect(await page.locator("#banner").textContent()).toContain("401 Unauthorized");
    expect(await page.locator("main .error").textContent()).toContain("paste a valid API key");
    expect(seen).toContain("Bearer sk-test-123");
    await shoot("unauthorized.png", false);
    await page.locator("#banner button").click();
    await page.locator("#key-clear").click();
    expect(await page.evaluate(`localStorage.getItem("sepo.apiKey")`)).toBeNull();
    // The service's key again, for the tests that follow: the form is open from the banner's button.
    await page.locator("#api-key").fill(apiKey);
    await page.locator("#key-form button[type=submit]").click();
    expect(await page.evaluate(`localStorage.getItem("sepo.apiKey")`)).toBe(apiKey);
  });

  it("diffs words, folding whitespace between changes into one replacement", async () => {
    // A string, not a function: vitest rewrites import() in this file's own code.
    const parts = await page.evaluate(`import("/dashboard/assets/diff.js").then((d) => [
      d.diffWords("Think step by step. Answer.", "Think carefully step by step. Give the answer."),
      d.diffWords("a b", "c d"),
      d.diffWords("same", "same"),
    ])`);
    expect(parts).toEqual([
      [{ op: "eq", text: "Think " }, { op: "add", text: "carefully " }, { op: "eq", text: "step by step. " }, { op: "del", text: "Answer." }, { op: "add", text: "Give the answer." }],
      [{ op: "del", text: "a b" }, { op: "add", text: "c d" }],
      [{ op: "eq", text: "same" }],
    ]);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
