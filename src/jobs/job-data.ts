/**
 * What a job handler reads besides the job itself. D1 implements it in the Worker
 * (src/storage/d1-job-data.ts); tests and the offline driver implement it in memory.
 */
import type { ExampleRef } from "../engine/jobs";
import type { ScorerSpec } from "../scoring/scorer-spec";

export interface ExampleData {
  input: string;
  expected: string;
}

export interface EvaluationData {
  output: string;
  score: number;
  feedback: string;
}

export interface TaskData {
  name: string;
  scorer: ScorerSpec;
}

export interface JobData {
  task(taskId: string): Promise<TaskData | null>;
  examples(ids: string[]): Promise<Map<string, ExampleData>>;
  /** Keyed by `evaluationKey(ref)`. A missing entry means the example was never scored. */
  evaluations(refs: ExampleRef[]): Promise<Map<string, EvaluationData>>;
}

export function evaluationKey(ref: ExampleRef): string {
  return `${ref.candidateId}\u0000${ref.exampleId}`;
}
