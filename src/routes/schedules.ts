/** `/v1/schedules`: the project's task schedules, newest first (each task's own is at /v1/tasks/:id/schedule). */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { readQuery } from "../http/validate";
import { listSchedules, toScheduleView } from "../storage/schedule-repo";
import { PageQuerySchema } from "./pagination";

export const scheduleRoutes = new Hono<HonoEnv>();

scheduleRoutes.get("/", async (c) => {
  const query = readQuery(c, PageQuerySchema);
  const page = await listSchedules(c.env.DB, projectIdOf(c), query);
  return c.json({ items: page.items.map(toScheduleView), nextCursor: page.nextCursor });
});
