/**
 * `POST /v1/tasks/:id/examples`: add labelled examples to an existing task, up to
 * MAX_EXAMPLES in total. Examples without a `split` get one by append-splits.ts. The
 * same operation serves the inbound webhook action `examples.append`.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson } from "../http/validate";
import { appendExamples, creationSplitCounts } from "../storage/example-repo";
import { getTask } from "../storage/task-repo";
import { type SplitCounts, appendSplits } from "./append-splits";
import { taskNotFound } from "./not-found";
import { ExampleInputSchema, MAX_EXAMPLES } from "./task-input";

export const ExampleListSchema = z
  .array(ExampleInputSchema, { error: (issue) => (issue.input === undefined ? "is required" : "must be an array of { input, expected, split? }") })
  .min(1, "must hold at least one example")
  .max(MAX_EXAMPLES, `must hold at most ${MAX_EXAMPLES} examples`);

export const AppendExamplesSchema = z.strictObject({ examples: ExampleListSchema });
export type ExampleInput = z.infer<typeof ExampleInputSchema>;

/** What an append did: how many were added and the task's counts afterwards. */
export interface ExamplesAppended {
  taskId: string;
  added: number;
  counts: SplitCounts;
}

/** Adds examples to a task of the project: 404 for an unknown task, 413 past MAX_EXAMPLES. */
export async function appendTaskExamples(db: D1Database, projectId: string, taskId: string, examples: ExampleInput[]): Promise<ExamplesAppended> {
  const task = await getTask(db, projectId, taskId);
  if (!task) throw taskNotFound(taskId);
  const held = task.counts.train + task.counts.val + task.counts.test;
  // Checked before writing; two appends racing each other may pass it together (by at most one request's examples).
  if (held + examples.length > MAX_EXAMPLES) {
    const message = `task '${taskId}' holds ${held} examples and takes at most ${MAX_EXAMPLES}: ${Math.max(0, MAX_EXAMPLES - held)} more fit, ${examples.length} were sent`;
    throw new AppError("payload_too_large", `Invalid request body: examples: ${message}`, [{ path: "examples", message }]);
  }
  const splits = appendSplits(await creationSplitCounts(db, projectId, taskId), task.counts, examples, task.splitSeed, held);
  // Later than the task's own insert, so creationSplitCounts never counts these.
  const now = Math.max(Date.now(), Date.parse(task.createdAt) + 1);
  const counts = await appendExamples(db, projectId, taskId, examples.map((e, i) => ({ split: splits[i]!, input: e.input, expected: e.expected })), now);
  if (!counts) throw taskNotFound(taskId);
  return { taskId, added: examples.length, counts };
}

export const taskExampleRoutes = new Hono<HonoEnv>();

taskExampleRoutes.post("/:id/examples", async (c) => {
  const { examples } = await readJson(c, AppendExamplesSchema);
  return c.json(await appendTaskExamples(c.env.DB, projectIdOf(c), c.req.param("id"), examples), 201);
});
