import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi, type RecordedRequest } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const ADMIN = "admin-key-0123456789abcdef";
const PROJECT_KEY = "sk_project_key_0123456789";
const NEW_KEY = "sk_new_secret_key_abcdefghijklmnop";

const keyView = (overrides: Record<string, unknown> = {}) => ({
  id: "key_1",
  projectId: "proj_1",
  name: "ci",
  prefix: "sk_new_s",
  createdAt: "2026-01-01T00:00:00.000Z",
  revokedAt: null,
  lastUsedAt: null,
  ...overrides,
});

function adminApi() {
  return fakeApi({
    "POST /v1/projects": (req: RecordedRequest) => ({ id: "proj_9", name: (req.body as { name: string }).name, createdAt: "2026-01-01T00:00:00.000Z" }),
    "GET /v1/projects": { items: [{ id: "proj_1", name: "search", createdAt: "2026-01-01T00:00:00.000Z" }], nextCursor: null },
    "POST /v1/projects/:id/keys": (req: RecordedRequest, p: Record<string, string>) => ({ ...keyView({ projectId: p.id, name: (req.body as { name: string }).name }), key: NEW_KEY }),
    "GET /v1/projects/:id/keys": { items: [keyView(), keyView({ id: "key_2", name: "old", revokedAt: "2026-02-01T00:00:00.000Z", lastUsedAt: "2026-01-15T00:00:00.000Z" })] },
    "DELETE /v1/projects/:id/keys/:keyId": (_: RecordedRequest, p: Record<string, string>) => keyView({ id: p.keyId, revokedAt: "2026-03-01T00:00:00.000Z" }),
  });
}

/** A config file with both keys, and the env that points the CLI at it. */
function configured(extra: Record<string, string> = {}) {
  const path = join(tempDir(), "config.json");
  writeFileSync(path, JSON.stringify({ key: PROJECT_KEY, adminKey: ADMIN, ...extra }));
  return { path, env: { SEPO_CONFIG: path } };
}

describe("sepo projects", () => {
  it("creates a project with the admin key, never the project key", async () => {
    const api = adminApi();
    const { env } = configured();
    const r = await runCli(["projects", "create", "search team"], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/v1/projects", body: { name: "search team" } });
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${ADMIN}`);
    expect(r.stdout).toBe('created project proj_9 "search team"\nnext: sepo keys create proj_9 --name <label>\n');
  });

  it("lists projects as a table or JSON", async () => {
    const api = adminApi();
    const { env } = configured();
    const text = await runCli(["projects", "list"], { env, fetch: api.fetch });
    expect(text.stdout).toMatch(/^id\s+name\s+created\nproj_1\s+search\s+2026/);
    const json = await runCli(["projects", "list", "--json"], { env, fetch: api.fetch });
    expect(JSON.parse(json.stdout).items[0].id).toBe("proj_1");
  });

  it("exits 1 naming the three ways to give the admin key when none is set, and sends nothing", async () => {
    const api = adminApi();
    const path = join(tempDir(), "config.json");
    writeFileSync(path, JSON.stringify({ key: PROJECT_KEY }));
    const r = await runCli(["projects", "list"], { env: { SEPO_CONFIG: path }, fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sepo: error: this command needs the admin key (the service's ADMIN_API_KEY): pass --admin-key, set SEPO_ADMIN_KEY, or run `sepo config set admin-key -`\n");
    expect(api.requests).toHaveLength(0);
  });

  it("takes the admin key from --admin-key over SEPO_ADMIN_KEY over the file", async () => {
    const api = adminApi();
    const { env } = configured();
    await runCli(["projects", "list"], { env: { ...env, SEPO_ADMIN_KEY: "env-admin-key-0123456789" }, fetch: api.fetch });
    await runCli(["--admin-key", "flag-admin-key-0123456789", "projects", "list"], { env: { ...env, SEPO_ADMIN_KEY: "env-admin-key-0123456789" }, fetch: api.fetch });
    await runCli(["projects", "list", "--admin-key=flag2-admin-key-0123456789"], { env, fetch: api.fetch });
    expect(api.requests.map((q) => q.headers.authorization)).toEqual(["Bearer env-admin-key-0123456789", "Bearer flag-admin-key-0123456789", "Bearer flag2-admin-key-0123456789"]);
  });

  it("never sends the admin key to a project route", async () => {
    const api = fakeApi({ "GET /v1/tasks": { items: [], nextCursor: null } });
    const path = join(tempDir(), "config.json");
    writeFileSync(path, JSON.stringify({ adminKey: ADMIN }));
    await runCli(["tasks", "list"], { env: { SEPO_CONFIG: path }, fetch: api.fetch });
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("points at the admin key on a 403 or 401 from an admin route", async () => {
    const api = fakeApi({ "GET /v1/projects": apiError(403, "This route needs the admin key; a project key cannot manage projects or keys.", "forbidden") });
    const { env } = configured();
    const r = await runCli(["projects", "list"], { env, fetch: api.fetch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("these commands send the admin key: set it with --admin-key, SEPO_ADMIN_KEY");
    expect(r.stderr).not.toContain(ADMIN);
  });
});

describe("sepo keys", () => {
  it("prints a new key alone on stdout, once, with the notes on stderr", async () => {
    const api = adminApi();
    const { env } = configured();
    const r = await runCli(["keys", "create", "proj_1", "--name", "ci"], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/v1/projects/proj_1/keys", body: { name: "ci" } });
    expect(r.stdout).toBe(`${NEW_KEY}\n`);
    expect(r.stderr).toBe('created key key_1 "ci" for project proj_1; it is shown only now\n');
  });

  it("names a key sepo-cli by default, and prints the whole record with --json", async () => {
    const api = adminApi();
    const { env } = configured();
    const r = await runCli(["keys", "create", "proj_1", "--json"], { env, fetch: api.fetch });
    expect(api.requests[0]!.body).toEqual({ name: "sepo-cli" });
    expect(JSON.parse(r.stdout)).toMatchObject({ id: "key_1", key: NEW_KEY, name: "sepo-cli" });
  });

  it("stores the new key as the CLI's project key with --save, keeping the other settings", async () => {
    const api = adminApi();
    const { path, env } = configured({ url: "http://api.test" });
    const r = await runCli(["keys", "create", "proj_1", "--save"], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: "http://api.test", key: NEW_KEY, adminKey: ADMIN });
    expect(r.stderr).toContain("(saved as this CLI's key)");
  });

  it("lists keys by prefix only, and never prints a full key", async () => {
    const api = adminApi();
    const { env } = configured();
    const r = await runCli(["keys", "list", "proj_1"], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^id\s+name\s+prefix\s+created\s+last used\s+revoked$/);
    expect(r.stdout).toMatch(/key_2\s+old\s+sk_new_s…\s+2026-01-01T00:00:00.000Z\s+2026-01-15T00:00:00.000Z\s+2026-02-01/);
    expect(r.stdout).not.toContain(NEW_KEY);
  });

  it("revokes a key, and exits 1 with the API's message for an unknown one", async () => {
    const api = adminApi();
    const { env } = configured();
    const r = await runCli(["keys", "revoke", "proj_1", "key_7"], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "DELETE", path: "/v1/projects/proj_1/keys/key_7" });
    expect(r.stdout).toBe('revoked key key_7 "ci" (sk_new_s…) of project proj_1\n');

    const missing = fakeApi({ "DELETE /v1/projects/:id/keys/:keyId": apiError(404, "Project 'proj_1' has no key 'key_x'.", "not_found") });
    const refused = await runCli(["keys", "revoke", "proj_1", "key_x"], { env, fetch: missing.fetch });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("sepo: error: DELETE /v1/projects/proj_1/keys/key_x -> 404: Project 'proj_1' has no key 'key_x'.\n");
  });

  it("exits 2 on a missing argument without calling the API", async () => {
    const api = adminApi();
    const { env } = configured();
    expect((await runCli(["keys", "revoke", "proj_1"], { env, fetch: api.fetch })).code).toBe(2);
    expect((await runCli(["keys", "create"], { env, fetch: api.fetch })).code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it("never echoes a key given to a misspelled option", async () => {
    for (const argv of [["--admin-kye=secret-value-123", "projects", "list"], ["projects", "list", "--admin-kye=secret-value-123"]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain("secret-value-123");
    }
  });
});

describe("sepo config admin-key", () => {
  it("stores the admin key from stdin, shows it masked with its source, and unsets it", async () => {
    const path = join(tempDir(), "config.json");
    const env = { SEPO_CONFIG: path };
    expect((await runCli(["config", "set", "admin-key", "-"], { env, stdin: `${ADMIN}\n` })).code).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ adminKey: ADMIN });
    const shown = JSON.parse((await runCli(["config", "show", "--json"], { env })).stdout);
    expect(shown.adminKey).toEqual({ value: "adm…cdef", source: "file" });
    const text = await runCli(["config", "show"], { env: { ...env, SEPO_ADMIN_KEY: "env-admin-key-0123456789" } });
    expect(text.stdout).toMatch(/admin-key\s+env…6789\s+env SEPO_ADMIN_KEY/);
    expect(text.stdout).not.toContain(ADMIN);
    await runCli(["config", "unset", "admin-key"], { env });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({});
  });
});
