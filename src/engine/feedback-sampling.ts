/**
 * What the prompt agent is shown: pointers to a candidate's scored examples, drawn by the
 * run's RNG so a resumed run shows the same examples.
 */
import type { ExampleRef } from "./jobs";
import { type RngState, sampleWithoutReplacement } from "./rng";

/** A candidate's per-example scores on one split, aligned with the run's example list. */
export interface ScoredExamples {
  candidateId: string;
  exampleIds: readonly string[];
  /** null while an example is not scored yet; such examples are never shown. */
  scores: readonly (number | null)[];
}

/**
 * Up to `size` refs, failures (score < 1) and successes (score = 1) 1:1. An odd size
 * gives the extra slot to failures (they carry more signal); a short side is filled from
 * the other. Failures come first, each side in draw order.
 */
export function sampleFeedback(rng: RngState, scored: ScoredExamples, size: number): ExampleRef[] {
  const failures = indicesWhere(scored, (score) => score < 1);
  const successes = indicesWhere(scored, (score) => score >= 1);
  let failureCount = Math.min(failures.length, Math.ceil(size / 2));
  const successCount = Math.min(successes.length, size - failureCount);
  failureCount = Math.min(failures.length, size - successCount);
  const picked = [...sampleWithoutReplacement(rng, failures, failureCount), ...sampleWithoutReplacement(rng, successes, successCount)];
  return picked.map((i) => refAt(scored, i));
}

/** Up to `max` refs of failures (score < 1), drawn uniformly: the track record's samples. */
export function sampleFailures(rng: RngState, scored: ScoredExamples, max: number): ExampleRef[] {
  return sampleWithoutReplacement(rng, indicesWhere(scored, (score) => score < 1), max).map((i) => refAt(scored, i));
}

function indicesWhere(scored: ScoredExamples, keep: (score: number) => boolean): number[] {
  const indices: number[] = [];
  scored.scores.forEach((score, i) => {
    if (score !== null && keep(score)) indices.push(i);
  });
  return indices;
}

function refAt(scored: ScoredExamples, index: number): ExampleRef {
  return { candidateId: scored.candidateId, exampleId: scored.exampleIds[index] as string };
}
