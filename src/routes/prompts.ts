/**
 * A task's prompt versions: `GET /v1/tasks/:id/prompt` serves the live one (the endpoint
 * applications poll, hence the ETag and short private caching), `GET /v1/tasks/:id/prompts`
 * the history and `GET /v1/tasks/:id/prompt/changes` the log of what was live when.
 * The routes that change what is live are in prompt-control.ts. Mounted by tasks.ts.
 */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readQuery } from "../http/validate";
import { getLivePrompt, getPromptVersion, listPromptVersions } from "../storage/champion-repo";
import { listPromptChanges, readLiveState } from "../storage/prompt-change-repo";
import { taskNotFound } from "./not-found";
import { PageQuerySchema } from "./pagination";
import { promptControlRoutes, versionNotFound } from "./prompt-control";

export const promptRoutes = new Hono<HonoEnv>();

/**
 * A version's text never changes once written, so task and version identify it: a
 * strong ETag. The body also says whether the task is pinned, so the pin is part of it.
 */
export function promptETag(taskId: string, version: number, pinned = false): string {
  return `"${taskId}-v${version}${pinned ? "-pinned" : ""}"`;
}

/**
 * Whether `If-None-Match` matches `etag`. RFC 9110 compares weakly here, so a `W/`
 * prefix (added by some proxies) still matches; `*` matches any current version.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

promptRoutes.get("/:id/prompt", async (c) => {
  const id = c.req.param("id");
  const projectId = projectIdOf(c);
  const prompt = await getLivePrompt(c.env.DB, projectId, id);
  if (!prompt) {
    if (!(await readLiveState(c.env.DB, projectId, id))) throw taskNotFound(id);
    throw new AppError("not_found", `Task '${id}' has no live prompt version.`);
  }
  // `private`: the answer depends on the API key, so a shared cache must not serve it to anyone else.
  const headers = { ETag: promptETag(prompt.taskId, prompt.version, prompt.pinned), "Cache-Control": "private, max-age=30", Vary: "Authorization, X-Sepo-Project" };
  if (ifNoneMatchHits(c.req.header("if-none-match"), headers.ETag)) return c.body(null, 304, headers);
  return c.json(prompt, 200, headers);
});

promptRoutes.get("/:id/prompts", async (c) => {
  const id = c.req.param("id");
  const query = readQuery(c, PageQuerySchema);
  const projectId = projectIdOf(c);
  const state = await readLiveState(c.env.DB, projectId, id);
  if (!state) throw taskNotFound(id);
  const page = await listPromptVersions(c.env.DB, projectId, id, query);
  return c.json({ taskId: id, liveVersion: state.liveVersion, pinned: state.pinned, ...page });
});

promptRoutes.get("/:id/prompts/:version", async (c) => {
  const id = c.req.param("id");
  const raw = c.req.param("version");
  const projectId = projectIdOf(c);
  const version = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
  const prompt = version === null ? null : await getPromptVersion(c.env.DB, projectId, id, version);
  if (prompt) return c.json(prompt);
  if (!(await readLiveState(c.env.DB, projectId, id))) throw taskNotFound(id);
  throw versionNotFound(id, raw);
});

promptRoutes.get("/:id/prompt/changes", async (c) => {
  const id = c.req.param("id");
  const query = readQuery(c, PageQuerySchema);
  const projectId = projectIdOf(c);
  if (!(await readLiveState(c.env.DB, projectId, id))) throw taskNotFound(id);
  return c.json({ taskId: id, ...(await listPromptChanges(c.env.DB, projectId, id, query)) });
});

promptRoutes.route("/", promptControlRoutes);
