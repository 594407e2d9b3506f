/**
 * The `sepo` CLI against the real service under `wrangler dev`: an admin makes a project
 * and a key with it, then that key's user creates a task from a promptfoo YAML config,
 * adds examples, sets a schedule, subscribes a webhook (a receiver in this process gets
 * the test delivery), creates an inbound endpoint and sets a budget; revoking the key
 * locks the CLI out. The CLI runs in process (main(argv, io)) with real fetch.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../../src/cli/main";

const FIXTURES = fileURLToPath(new URL("../unit/cli/fixtures/promptfoo-yaml/", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "sepo-cli-e2e-"));
const configFile = join(home, "config.json");

let server: Server;
let receiverUrl = "";
const received: Array<{ headers: Record<string, unknown>; body: string }> = [];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One CLI invocation: the URL and admin key from the environment, the project key from the config file. */
async function sepo(argv: string[], cwd = home): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { SEPO_CONFIG: configFile, SEPO_URL: inject("apiUrl"), SEPO_ADMIN_KEY: inject("adminKey") },
    homedir: home,
    cwd,
    readStdin: async () => "",
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  return { code, stdout, stderr };
}

/** Runs a --json command that must succeed and returns its parsed output. */
async function json<T = any>(argv: string[], cwd?: string): Promise<T> {
  const r = await sepo([...argv, "--json"], cwd);
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cli-hook`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe("the sepo CLI through wrangler dev", () => {
  let projectId = "";
  let keyId = "";
  let taskId = "";

  it("creates a project and a key with the admin key, and saves the key", async () => {
    projectId = (await json<{ id: string }>(["projects", "create", "cli e2e"])).id;
    const created = await sepo(["keys", "create", projectId, "--name", "cli", "--save"]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key.length).toBeGreaterThan(20);
    expect(JSON.parse(readFileSync(configFile, "utf8")).key).toBe(key);
    const keys = await json<{ items: Array<{ id: string; prefix: string }> }>(["keys", "list", projectId]);
    expect(keys.items).toHaveLength(1);
    expect(key.startsWith(keys.items[0]!.prefix)).toBe(true);
    keyId = keys.items[0]!.id;
  });

  it("creates a task from a promptfoo YAML config and adds examples from JSONL", async () => {
    const task = await json<{ id: string; counts: { train: number; val: number; test: number } }>(["tasks", "create", "--promptfoo", "promptfooconfig.yaml", "--split", "0.34,0.33,0.33"], FIXTURES);
    taskId = task.id;
    expect(task.counts.train + task.counts.val + task.counts.test).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), "sepo-cli-e2e-files-"));
    const more = [["Peru", "Lima"], ["Kenya", "Nairobi"], ["Chile", "Santiago"], ["Egypt", "Cairo"]];
    writeFileSync(join(dir, "more.jsonl"), more.map(([c, a]) => JSON.stringify({ input: `What is the capital of ${c}?`, expected: a })).join("\n"));
    const added = await json<{ added: number; counts: { train: number; val: number; test: number } }>(["tasks", "add-examples", taskId, "--file", "more.jsonl"], dir);
    expect(added.added).toBe(4);
    expect(added.counts.train + added.counts.val + added.counts.test).toBe(7);
  });

  it("sets, reads, lists and deletes a schedule", async () => {
    const set = await json(["schedules", "set", taskId, "--cron", "0 3 * * *", "--timezone", "Europe/Berlin", "--agent", "none", "--set", "generations=1"]);
    expect(set).toMatchObject({ taskId, cron: "0 3 * * *", timezone: "Europe/Berlin", agent: null, enabled: true, config: { generations: 1 } });
    expect(Date.parse(set.nextRunAt)).toBeGreaterThan(Date.now());
    const text = await sepo(["schedules", "get", taskId]);
    expect(text.stdout).toContain('"0 3 * * *" (Europe/Berlin), agent none (hand-written), enabled');
    expect((await json<{ items: Array<{ taskId: string }> }>(["schedules", "list"])).items.map((s) => s.taskId)).toContain(taskId);
    const refused = await sepo(["schedules", "set", taskId, "--cron", "* * * * *"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("cron:");
    expect((await sepo(["schedules", "delete", taskId])).code).toBe(0);
    expect((await sepo(["schedules", "get", taskId])).code).toBe(1);
  });

  it("subscribes a webhook, sends it a test delivery and sees it delivered", async () => {
    const sub = await json<{ id: string; secret: string }>(["webhooks", "subscribe", receiverUrl, "--events", "run.finished,champion.promoted"]);
    expect(sub.secret).toMatch(/^whsec_/);
    expect((await json<{ items: Array<{ id: string }> }>(["webhooks", "list"])).items.map((s) => s.id)).toEqual([sub.id]);
    const test = await json<{ id: string }>(["webhooks", "test", sub.id]);
    let status = "pending";
    for (let i = 0; i < 60 && status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await json<{ status: string }>(["webhooks", "delivery", test.id])).status;
    }
    expect(status).toBe("delivered");
    expect(received.some((r) => r.body.includes('"webhook.test"'))).toBe(true);
    const log = await json<{ items: Array<{ id: string }> }>(["webhooks", "deliveries", "--status", "delivered", "--subscription", sub.id]);
    expect(log.items.map((d) => d.id)).toContain(test.id);
    expect((await sepo(["webhooks", "delete", sub.id])).code).toBe(0);
  });

  it("creates an inbound endpoint with its public URL, and revokes it", async () => {
    const endpoint = await json<{ id: string; url: string; secret: string }>(["webhooks", "endpoint", "create", "ci"]);
    expect(endpoint.url).toBe(`${inject("apiUrl")}/hooks/${endpoint.id}`);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await sepo(["webhooks", "endpoint", "list"]);
    expect(listed.stdout).toContain(endpoint.id);
    expect(listed.stdout).not.toContain(endpoint.secret);
    expect((await json<{ revokedAt: string | null }>(["webhooks", "endpoint", "revoke", endpoint.id])).revokedAt).not.toBeNull();
  });

  it("sets, reads and clears the project's budget", async () => {
    const set = await json(["budget", "set", "--usd", "5", "--calls", "100"]);
    expect(set).toMatchObject({ limits: { calls: 100, tokens: null, usd: 5 }, period: "month" });
    expect((await sepo(["budget", "get"])).stdout).toMatch(/calls\s+100\s+0\s+0\s+100/);
    expect((await sepo(["budget", "clear"])).code).toBe(0);
    const none = await sepo(["budget", "get"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("this project has no budget");
  });

  it("locks the CLI out once the key is revoked", async () => {
    expect((await sepo(["keys", "revoke", projectId, keyId])).code).toBe(0);
    const r = await sepo(["tasks", "list"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("-> 401");
  });
});
