/** `/v1/agents`: the prompt-agent snapshots that pre-training runs produce (read-only). */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { readQuery } from "../http/validate";
import { getAgentSnapshot, listAgentSnapshots } from "../storage/agent-repo";
import { agentNotFound } from "./not-found";
import { PageQuerySchema } from "./pagination";

export const agentRoutes = new Hono<HonoEnv>();

agentRoutes.get("/", async (c) => {
  const query = readQuery(c, PageQuerySchema);
  return c.json(await listAgentSnapshots(c.env.DB, projectIdOf(c), query));
});

agentRoutes.get("/:id", async (c) => {
  const id = c.req.param("id");
  const snapshot = await getAgentSnapshot(c.env.DB, projectIdOf(c), id);
  if (!snapshot) throw agentNotFound(id);
  return c.json(snapshot);
});
