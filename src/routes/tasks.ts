/**
 * `/v1/tasks`: create a task with its examples, list and read tasks, page through a
 * task's examples. The prompt endpoints under `/v1/tasks/:id/` live in prompts.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { SPLITS } from "../split";
import { readJson, readQuery } from "../http/validate";
import { listExamples } from "../storage/example-repo";
import { getTask, insertTask, listTasks, lookupTask } from "../storage/task-repo";
import { taskNotFound } from "./not-found";
import { PageQuerySchema } from "./pagination";
import { promptRoutes } from "./prompts";
import { CreateTaskSchema, toNewTask } from "./task-input";
import { taskExampleRoutes } from "./task-examples";
import { taskScheduleRoutes } from "./task-schedule";

export const taskRoutes = new Hono<HonoEnv>();

taskRoutes.post("/", async (c) => {
  const body = await readJson(c, CreateTaskSchema);
  const task = await insertTask(c.env.DB, projectIdOf(c), toNewTask(body, c.env));
  return c.json(task, 201, { Location: `/v1/tasks/${task.id}` });
});

taskRoutes.get("/", async (c) => {
  const query = readQuery(c, PageQuerySchema);
  return c.json(await listTasks(c.env.DB, projectIdOf(c), query));
});

taskRoutes.get("/:id", async (c) => {
  const id = c.req.param("id");
  const task = await getTask(c.env.DB, projectIdOf(c), id);
  if (!task) throw taskNotFound(id);
  return c.json(task);
});

export const ExampleQuerySchema = PageQuerySchema.extend({
  split: z.enum(SPLITS, { error: 'must be "train", "val" or "test"' }).optional(),
});

taskRoutes.get("/:id/examples", async (c) => {
  const id = c.req.param("id");
  const query = readQuery(c, ExampleQuerySchema);
  if (!(await lookupTask(c.env.DB, projectIdOf(c), id))) throw taskNotFound(id);
  return c.json(await listExamples(c.env.DB, projectIdOf(c), id, query));
});

taskRoutes.route("/", promptRoutes);
taskRoutes.route("/", taskExampleRoutes); // POST /:id/examples
taskRoutes.route("/", taskScheduleRoutes); // /:id/schedule
