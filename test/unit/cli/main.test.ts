import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "./support/fake-api";
import { runCli } from "./support/run-cli";

describe("sepo: help, usage errors and exit codes", () => {
  it("prints usage with --help on stdout and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: sepo <command> [options]");
    expect(r.stdout).toContain("Exit codes");
    expect(r.stderr).toBe("");
  });

  it("prints usage on stderr and exits 2 without a command", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: sepo");
  });

  it("shows a group's commands with `sepo runs --help` and `sepo help runs`", async () => {
    for (const argv of [["runs", "--help"], ["help", "runs"]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("sepo runs watch <runId>");
    }
  });

  it.each([
    ["schedules", "sepo schedules set <taskId> --cron <expr>"],
    ["webhooks", "sepo webhooks deliveries [--status pending|delivered|failed]"],
    ["budget", "sepo budget set [--calls n]"],
    ["projects", "sepo projects create <name>"],
    ["keys", "sepo keys revoke <projectId> <keyId>"],
  ])("lists the %s commands in the group's help and the top-level help", async (group, line) => {
    const r = await runCli([group, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(line);
    expect((await runCli(["--help"])).stdout).toContain(`sepo ${group} `);
  });

  it("shows a command's own help", async () => {
    const r = await runCli(["runs", "start", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--set <key=value>");
  });

  it("prints the version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["tasks", "lst"], 'unknown command "tasks lst"'],
    [["tasks", "list", "--bogus"], "Unknown option '--bogus'"],
    [["tasks", "get"], "missing task id"],
    [["tasks", "get", "a", "b"], 'unexpected argument "b"'],
    [["--url"], "option --url needs a value"],
    [["runs", "start", "sideways"], "the run kind must be pretrain or finetune"],
  ])("exits 2 with one line on stderr for %j", async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it("exits 1 with the API's message when the API refuses", async () => {
    const api = fakeApi({ "GET /v1/tasks/:id": apiError(404, "No task with id 'nope'.\nReally.", "not_found") });
    const r = await runCli(["tasks", "get", "nope"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sepo: error: GET /v1/tasks/nope -> 404: No task with id 'nope'. Really.\n");
  });

  it("suggests a key on 401", async () => {
    const api = fakeApi({ "GET /v1/tasks": apiError(401, "Missing API key.", "unauthorized") });
    const r = await runCli(["tasks", "list"], { fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("sepo config set key");
  });

  it("exits 1 and names the URL when the API cannot be reached", async () => {
    const refused = (async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    }) as unknown as typeof fetch;
    const r = await runCli(["tasks", "list", "--url", "http://127.0.0.1:9"], { fetch: refused });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot reach the SePO API at http://127.0.0.1:9 (ECONNREFUSED)");
  });

  it("accepts global flags before the command", async () => {
    const api = fakeApi({ "GET /v1/agents": { items: [], nextCursor: null } });
    const r = await runCli(["--json", "--url", "http://api.test", "agents", "list"], { fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ items: [], nextCursor: null });
    expect(api.requests[0]!.path).toBe("/v1/agents");
  });
});
