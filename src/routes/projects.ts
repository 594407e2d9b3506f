/**
 * `/v1/projects`: the admin API (admin key only). Projects, and their API keys: a key
 * is returned in full once, by the request that creates it; lists show its prefix only.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { displayPrefix, generateApiKey, hashApiKey } from "../auth/api-key";
import { requireAdminKey } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson, readQuery } from "../http/validate";
import { createProject, getProject, insertApiKey, listApiKeys, listProjects, revokeApiKey } from "../storage/project-repo";
import { PageQuerySchema } from "./pagination";

export const NameSchema = z.strictObject({
  name: z.string({ error: "is required: a label for people, e.g. \"ci\"" }).trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
});

export const projectRoutes = new Hono<HonoEnv>();

projectRoutes.use("*", requireAdminKey);

projectRoutes.post("/", async (c) => {
  const { name } = await readJson(c, NameSchema);
  const project = await createProject(c.env.DB, name);
  return c.json(project, 201, { Location: `/v1/projects/${project.id}` });
});

projectRoutes.get("/", async (c) => c.json(await listProjects(c.env.DB, readQuery(c, PageQuerySchema))));

projectRoutes.get("/:id", async (c) => c.json(await existingProject(c.env.DB, c.req.param("id"))));

projectRoutes.post("/:id/keys", async (c) => {
  const project = await existingProject(c.env.DB, c.req.param("id"));
  const { name } = await readJson(c, NameSchema);
  const key = generateApiKey();
  const view = await insertApiKey(c.env.DB, { projectId: project.id, name, prefix: displayPrefix(key), hash: await hashApiKey(key) });
  // The only response that ever holds the key: keep it out of every cache.
  return c.json({ ...view, key }, 201, { "Cache-Control": "no-store" });
});

projectRoutes.get("/:id/keys", async (c) => {
  const project = await existingProject(c.env.DB, c.req.param("id"));
  return c.json({ items: await listApiKeys(c.env.DB, project.id) });
});

projectRoutes.delete("/:id/keys/:keyId", async (c) => {
  const project = await existingProject(c.env.DB, c.req.param("id"));
  const keyId = c.req.param("keyId");
  const revoked = await revokeApiKey(c.env.DB, project.id, keyId);
  if (!revoked) throw new AppError("not_found", `Project '${project.id}' has no key '${keyId}'. List its keys with GET /v1/projects/${project.id}/keys.`);
  return c.json(revoked);
});

async function existingProject(db: D1Database, id: string) {
  const project = await getProject(db, id);
  if (!project) throw new AppError("not_found", `No project with id '${id}'. List projects with GET /v1/projects.`);
  return project;
}
