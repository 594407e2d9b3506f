/** The job handlers' data port in memory: for the offline driver and unit tests. */
import type { DomainEvent } from "../engine/types";
import { type EvaluationData, type ExampleData, evaluationKey, type JobData, type TaskData } from "../jobs/job-data";

export class MemoryJobData implements JobData {
  private readonly tasks = new Map<string, TaskData>();
  private readonly exampleRows = new Map<string, ExampleData>();
  private readonly evaluationRows = new Map<string, EvaluationData>();

  addTask(taskId: string, task: TaskData, examples: Array<{ id: string } & ExampleData>): void {
    this.tasks.set(taskId, task);
    for (const { id, input, expected } of examples) this.exampleRows.set(id, { input, expected });
  }

  /** Keeps what D1 would keep: the evaluations the engine recorded. */
  record(events: DomainEvent[]): void {
    for (const event of events) {
      if (event.type !== "evaluation.recorded") continue;
      for (const row of event.rows) {
        this.evaluationRows.set(evaluationKey({ candidateId: event.candidateId, exampleId: row.exampleId }), row);
      }
    }
  }

  async task(taskId: string) {
    return this.tasks.get(taskId) ?? null;
  }

  async examples(ids: string[]) {
    return new Map(ids.flatMap((id) => (this.exampleRows.has(id) ? [[id, this.exampleRows.get(id)!] as const] : [])));
  }

  async evaluations(refs: Parameters<JobData["evaluations"]>[0]) {
    const found = new Map<string, EvaluationData>();
    for (const ref of refs) {
      const row = this.evaluationRows.get(evaluationKey(ref));
      if (row) found.set(evaluationKey(ref), row);
    }
    return found;
  }
}
