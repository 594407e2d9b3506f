/**
 * API keys in integration tests. Requests authenticate with a key of the project
 * 'default' (the project rows inserted straight into D1 belong to, as rows written before
 * access control do), created once per test file through the admin API: storage is
 * isolated per file, so each file makes its own. The admin key is a test binding
 * (vitest.config.ts), as the ADMIN_API_KEY secret is in production.
 */
import { env, exports } from "cloudflare:workers";
import { DEFAULT_PROJECT_ID } from "../../../src/storage/project-repo";

/** The admin key the Worker is configured with in these tests. */
export function adminKey(): string {
  if (!env.ADMIN_API_KEY) throw new Error("ADMIN_API_KEY is not bound; see test/integration/vitest.config.ts");
  return env.ADMIN_API_KEY;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A request to the Worker as an admin: JSON in and out. */
export async function adminRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method, headers: { ...bearer(adminKey()), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return exports.default.fetch(`http://x${path}`, init);
}

export interface CreatedKey {
  id: string;
  projectId: string;
  prefix: string;
  key: string;
}

/** A new key of the project, through POST /v1/projects/:id/keys. */
export async function createKey(projectId: string, name = "integration test"): Promise<CreatedKey> {
  const res = await adminRequest("POST", `/v1/projects/${projectId}/keys`, { name });
  if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A new project and a key of it. */
export async function createProjectWithKey(name = "test project"): Promise<{ projectId: string; key: string; keyId: string }> {
  const res = await adminRequest("POST", "/v1/projects", { name });
  if (res.status !== 201) throw new Error(`creating a project: ${res.status} ${await res.text()}`);
  const { id } = await res.json<{ id: string }>();
  const created = await createKey(id);
  return { projectId: id, key: created.key, keyId: created.id };
}

let fileKey: Promise<string> | undefined;

/** This test file's key of the project 'default'. */
export function testKey(): Promise<string> {
  fileKey ??= createKey(DEFAULT_PROJECT_ID).then((k) => k.key);
  return fileKey;
}

/** `headers` with this file's key as a bearer token, unless they carry an Authorization header already. */
export async function withAuth(headers: Record<string, string> = {}): Promise<Record<string, string>> {
  if (Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) return headers;
  return { ...bearer(await testKey()), ...headers };
}

/** `exports.default.fetch` of a path, authenticated with this file's key. */
export async function authedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`http://x${path}`, { ...init, headers: await withAuth((init.headers ?? {}) as Record<string, string>) });
}
