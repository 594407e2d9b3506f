/** The job handlers' data port over D1. Task lookups are cached for the life of one batch. */
import type { JobData, TaskData } from "../jobs/job-data";
import { getEvaluations } from "./evaluation-repo";
import { getExamples } from "./example-repo";
import { getTaskForJobs } from "./task-repo";

export function createD1JobData(db: D1Database): JobData {
  const tasks = new Map<string, Promise<TaskData | null>>();
  return {
    task(taskId) {
      let task = tasks.get(taskId);
      if (!task) {
        task = getTaskForJobs(db, taskId).then((found) => (found?.scorer ? { name: found.name, scorer: found.scorer } : null));
        tasks.set(taskId, task);
      }
      return task;
    },
    async examples(ids) {
      const rows = await getExamples(db, ids);
      return new Map([...rows].map(([id, row]) => [id, { input: row.input, expected: row.expected }]));
    },
    evaluations: (refs) => getEvaluations(db, refs),
  };
}
