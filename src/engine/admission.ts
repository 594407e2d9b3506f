/**
 * Admission into the archive (method.md): a child enters when it is not clearly worse
 * than its parent, i.e. within one standard error of the parent's score, with a floor so
 * that a parent scored on identical examples still tolerates a hair of noise.
 */
import { standardError } from "./stats";

/**
 * Rounding slack: `parent - epsilon` can land one ulp above a child that equals it on
 * paper (0.5 - 0.01 vs 0.49), which would reject a child the rule admits.
 */
const ROUNDING_SLACK = 1e-12;

/** epsilon = max(floor, standard error of the parent's per-item scores). */
export function admissionEpsilon(parentScores: readonly number[], floor: number): number {
  return Math.max(floor, standardError(parentScores));
}

/** F(child) >= F(parent) - epsilon. */
export function isAdmitted(childFitness: number, parentFitness: number, epsilon: number): boolean {
  return childFitness >= parentFitness - epsilon - ROUNDING_SLACK;
}

/** MetaSPO's greedy rule: F(child) > F(parent), beyond rounding. */
export function isImprovement(childFitness: number, parentFitness: number): boolean {
  return childFitness > parentFitness + ROUNDING_SLACK;
}
