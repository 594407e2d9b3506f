/**
 * How the robustness tests talk to a service: one place that builds the API client and
 * the raw request headers, so API-key auth is a one-line change here.
 */
import { SepoClient } from "../../../src/client/api-client";

/** A running service as these tests see it: its URL and its keys. */
export interface ServiceAccess {
  apiUrl: string;
  /** A project key: `Authorization: Bearer <key>` on every /v1 request. */
  apiKey?: string;
  /** The admin key, for /v1/projects, when the stack has one. */
  adminKey?: string;
  /** The project `apiKey` belongs to. */
  projectId?: string;
}

/** How to reach a stack started with scripts/lib/dev-stack (which makes a project key and knows the admin key). */
export function accessOf(stack: { apiUrl: string; apiKey?: string; adminKey?: string; projectId?: string }): ServiceAccess {
  const { apiKey, adminKey, projectId } = stack;
  return {
    apiUrl: stack.apiUrl,
    ...(projectId ? { projectId } : {}),
    ...(typeof apiKey === "string" && apiKey ? { apiKey } : {}),
    ...(typeof adminKey === "string" && adminKey ? { adminKey } : {}),
  };
}

export function clientFor(service: ServiceAccess, timeoutMs = 30_000): SepoClient {
  return new SepoClient({ baseUrl: service.apiUrl, timeoutMs, ...(service.apiKey ? { apiKey: service.apiKey } : {}) });
}

/** A client with the admin key (for /v1/projects), or null when the stack has none. */
export function adminClientFor(service: ServiceAccess, timeoutMs = 30_000): SepoClient | null {
  return service.adminKey ? new SepoClient({ baseUrl: service.apiUrl, timeoutMs, apiKey: service.adminKey }) : null;
}

/** The admin API's paths (admin key), as opposed to a project's (project key). */
export const isAdminPath = (path: string) => /^\/v1\/projects(\/|\?|$)/.test(path);

/** Headers a raw request to `path` carries (the fuzzer sets its own content type on top). */
export function authHeaders(service: ServiceAccess, path: string): Record<string, string> {
  const key = isAdminPath(path) ? (service.adminKey ?? service.apiKey) : service.apiKey;
  return key ? { authorization: `Bearer ${key}` } : {};
}
