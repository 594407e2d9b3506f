/**
 * What a service holds, seen from outside: every list the API serves (paged to the end)
 * and, for a stack of our own, the row count of every D1 table. Two snapshots taken
 * around a batch of requests that must change nothing should be equal.
 */
import type { SepoClient } from "../../../src/client/api-client";
import type { FaultStack } from "./faults-stack";

export interface ServiceSnapshot {
  api: Record<string, unknown>;
  d1: Record<string, number>;
}

async function allPages(client: SepoClient, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 1000; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const res = await client.request<{ items: unknown[]; nextCursor?: string | null }>("GET", `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path}: more than 1000 pages`);
}

/** The lists and resources a client can read; `extra` names single resources to include (e.g. a run). */
export async function apiSnapshot(client: SepoClient, extra: string[] = []): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {
    tasks: await allPages(client, "/v1/tasks"),
    runs: await allPages(client, "/v1/runs"),
    agents: await allPages(client, "/v1/agents"),
  };
  for (const path of extra) snapshot[path] = await client.request("GET", path);
  return snapshot;
}

/**
 * What the admin API shows: projects, and each project's keys without `lastUsedAt` (which
 * requests legitimately refresh, at most once a minute). A revoked key shows here, not in
 * row counts.
 */
export async function adminSnapshot(admin: SepoClient): Promise<Record<string, unknown>> {
  const projects = (await allPages(admin, "/v1/projects")) as Array<{ id: string }>;
  const keys: Record<string, unknown> = {};
  for (const project of projects) {
    const { items } = await admin.request<{ items: Array<Record<string, unknown>> }>("GET", `/v1/projects/${encodeURIComponent(project.id)}/keys`);
    keys[project.id] = items.map(({ lastUsedAt: _, ...rest }) => rest);
  }
  return { projects, keys };
}

/** Rows per D1 table (the migrations' own bookkeeping and SQLite's internals left out). */
export async function d1Counts(stack: FaultStack): Promise<Record<string, number>> {
  const tables = await stack.d1<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  );
  if (tables.length === 0) return {};
  // One row of scalar subqueries: D1 caps the terms of a compound SELECT (UNION ALL).
  const sql = `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t.name}") AS "${t.name}"`).join(", ")}`;
  const [row] = await stack.d1<Record<string, number>>(sql);
  return row ?? {};
}
