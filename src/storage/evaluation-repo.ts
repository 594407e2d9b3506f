/** Reading stored per-example evaluations (written by the run's history, see run-history.ts). */
import type { ExampleRef } from "../engine/jobs";
import { type EvaluationData, evaluationKey } from "../jobs/job-data";

/** D1 binds at most 100 parameters per statement; two per ref. */
const REFS_PER_QUERY = 50;

export async function getEvaluations(db: D1Database, refs: ExampleRef[]): Promise<Map<string, EvaluationData>> {
  const found = new Map<string, EvaluationData>();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < refs.length; i += REFS_PER_QUERY) {
    const chunk = refs.slice(i, i + REFS_PER_QUERY);
    const where = chunk.map(() => "(candidate_id = ? AND example_id = ?)").join(" OR ");
    statements.push(
      db
        .prepare(`SELECT candidate_id, example_id, output, score, feedback FROM evaluations WHERE ${where}`)
        .bind(...chunk.flatMap((ref) => [ref.candidateId, ref.exampleId])),
    );
  }
  if (statements.length === 0) return found;
  const results = await db.batch<{ candidate_id: string; example_id: string; output: string; score: number; feedback: string }>(statements);
  for (const result of results) {
    for (const row of result.results) {
      found.set(evaluationKey({ candidateId: row.candidate_id, exampleId: row.example_id }), {
        output: row.output,
        score: row.score,
        feedback: row.feedback,
      });
    }
  }
  return found;
}
