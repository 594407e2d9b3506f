import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeApi } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const page = { items: [], nextCursor: null };

function setup(file?: object) {
  const dir = tempDir();
  const path = join(dir, "config.json");
  if (file) writeFileSync(path, JSON.stringify(file));
  return { path, env: { SEPO_CONFIG: path } };
}

describe("sepo config", () => {
  it("stores url and key in the config file, mode 0600, and shows them masked", async () => {
    const { path, env } = setup();
    expect((await runCli(["config", "set", "url", "https://sepo.example.dev/"], { env })).code).toBe(0);
    expect((await runCli(["config", "set", "key", "sk-secret-1234567890"], { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: "https://sepo.example.dev", key: "sk-secret-1234567890" });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const shown = await runCli(["config", "show", "--json"], { env });
    expect(JSON.parse(shown.stdout)).toEqual({
      path,
      url: { value: "https://sepo.example.dev", source: "file" },
      key: { value: "sk-…7890", source: "file" },
      adminKey: { value: null, source: "unset" },
    });
    const text = await runCli(["config", "show"], { env });
    expect(text.stdout).not.toContain("secret");
  });

  it("reads a key from stdin with `set key -`", async () => {
    const { path, env } = setup();
    await runCli(["config", "set", "key", "-"], { env, stdin: "sk-from-stdin\n" });
    expect(JSON.parse(readFileSync(path, "utf8")).key).toBe("sk-from-stdin");
  });

  it("unsets a setting", async () => {
    const { path, env } = setup({ url: "http://a.test", key: "k" });
    await runCli(["config", "unset", "key"], { env });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: "http://a.test" });
  });

  it("refuses a bad URL or an unknown setting with exit 2", async () => {
    const { env } = setup();
    expect((await runCli(["config", "set", "url", "ftp://x"], { env })).code).toBe(2);
    expect((await runCli(["config", "set", "colour", "blue"], { env })).code).toBe(2);
  });

  it("defaults to http://127.0.0.1:8787 and sends no key", async () => {
    const { env } = setup();
    const api = fakeApi({ "GET /v1/tasks": page });
    await runCli(["tasks", "list"], { env, fetch: api.fetch });
    const shown = JSON.parse((await runCli(["config", "show", "--json"], { env })).stdout);
    expect(shown.url).toEqual({ value: "http://127.0.0.1:8787", source: "default" });
    expect(shown.key).toEqual({ value: null, source: "unset" });
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("prefers flag over env over file, for the URL and the bearer key", async () => {
    const file = { url: "http://file.test", key: "file-key" };
    const urls: string[] = [];
    const fetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
      urls.push(`${new URL(String(input)).origin} ${(init?.headers as Record<string, string>).authorization}`);
      return new Response(JSON.stringify(page));
    }) as typeof globalThis.fetch;

    const { env } = setup(file);
    await runCli(["tasks", "list"], { env, fetch });
    await runCli(["tasks", "list"], { env: { ...env, SEPO_URL: "http://env.test", SEPO_API_KEY: "env-key" }, fetch });
    await runCli(["tasks", "list", "--url", "http://flag.test", "--key", "flag-key"], { env: { ...env, SEPO_URL: "http://env.test", SEPO_API_KEY: "env-key" }, fetch });
    expect(urls).toEqual(["http://file.test Bearer file-key", "http://env.test Bearer env-key", "http://flag.test Bearer flag-key"]);
  });

  it("reports a broken config file with exit 1", async () => {
    const { path, env } = setup();
    writeFileSync(path, "{not json");
    const r = await runCli(["config", "show"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the config file ${path} is not valid JSON`);
  });
});
