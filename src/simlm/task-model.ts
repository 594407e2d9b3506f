/**
 * The simulated task model: answers one tagged example under a system prompt. The chance
 * of a correct answer rises with the needed skills whose cues the prompt holds, falls
 * with those it lacks, and falls a little with length and with copied examples. The draw
 * is a hash of (seed, system prompt, example tag, sample index): deterministic, yet a
 * new prompt re-rolls every example, as a real model would.
 */
import { rngOf, unitOf } from "./hash";
import { detectTaskSkills } from "./landscape";
import { getSimTask, lookupExample, type SimExampleDetail, type SimTag, type SimTask } from "./task-pool";
import { countQuotedSpans } from "./text";

/** A missing needed skill costs BETA times its weight. */
export const BETA = 0.75;
/** Prompts up to this many characters pay no length penalty. */
export const FREE_PROMPT_CHARS = 600;
/** Logit lost per 1000 characters beyond the free length. */
export const LENGTH_PENALTY_PER_1000 = 0.6;
/** Logit lost per example copied into the prompt (at most three count). */
export const COPIED_EXAMPLE_PENALTY = 0.35;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Logit penalty for prompt length and copied examples, shared by all tasks. */
export function promptPenalty(system: string): number {
  const extra = Math.max(0, system.length - FREE_PROMPT_CHARS);
  return (LENGTH_PENALTY_PER_1000 * extra) / 1000 + COPIED_EXAMPLE_PENALTY * Math.min(3, countQuotedSpans(system));
}

/** P(correct) of the simulated model on one example under `system`, with precomputed skills. */
export function correctProbabilityOf(task: SimTask, example: SimExampleDetail, present: Set<string>, penalty: number): number {
  let logit = task.base + example.difficulty - penalty;
  for (const need of example.needs) {
    const weight = task.skills.find((s) => s.id === need)?.weight ?? 0;
    logit += present.has(need) ? weight : -BETA * weight;
  }
  return sigmoid(logit);
}

/** P(correct) for a tagged example under a system prompt; null for an unknown task. */
export function correctProbability(system: string, tag: SimTag): number | null {
  const task = getSimTask(tag.taskId);
  const example = lookupExample(tag);
  if (!task || !example) return null;
  return correctProbabilityOf(task, example, detectTaskSkills(system), promptPenalty(system));
}

/**
 * Expected accuracy of a prompt over the first `count` examples of a task (seed 0
 * numbering): the landscape's true fitness, free of sampling noise. For tests and demos.
 */
export function expectedAccuracy(system: string, taskId: string, count = 200, seed = 0): number {
  const task = getSimTask(taskId);
  if (!task) throw new Error(`SimLM: unknown simulated task ${taskId}`);
  const present = detectTaskSkills(system);
  const penalty = promptPenalty(system);
  const offset = (Math.abs(Math.trunc(seed)) % 4096) * 1_000_000;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const example = lookupExample({ taskId, number: offset + i }) as SimExampleDetail;
    sum += correctProbabilityOf(task, example, present, penalty);
  }
  return sum / count;
}

/** One simulated answer. */
export interface TaskAnswer {
  text: string;
  correct: boolean;
  probability: number;
}

const NOTES: Record<string, string> = {
  reasoning: "I work through it step by step.",
  decompose: "I split the problem into smaller parts.",
  "careful-arithmetic": "I write down each intermediate result.",
  verify: "Substituting the result back, it checks out.",
  units: "I convert everything to the same unit first.",
  rounding: "I round only at the end.",
  "track-facts": "I list the facts given.",
  eliminate: "I rule out the options that contradict the facts.",
  negation: "I note the negations in the wording.",
  "edge-cases": "I consider whether the wording is ambiguous.",
  "quote-exact": "I copy the value exactly as written.",
  "missing-field": "I check whether the requested item is there at all.",
  evidence: "I rely only on what the message states.",
  "label-definitions": "I compare the message with each label's definition.",
};

/** The simulated model's answer to a tagged example; null when the tag names no pool task. */
export function answerTaskExample(seed: number, system: string, tag: SimTag, sampleIndex: number): TaskAnswer | null {
  const example = lookupExample(tag);
  const task = getSimTask(tag.taskId);
  if (!example || !task) return null;
  const present = detectTaskSkills(system);
  const probability = correctProbabilityOf(task, example, present, promptPenalty(system));
  const correct = unitOf(seed, "task", system, `${tag.taskId}#${tag.number}`, sampleIndex) < probability;
  const rng = rngOf(seed, "task-text", system, tag.taskId, tag.number, sampleIndex);
  const answer = correct ? example.expected : (rng.pick(example.distractors) ?? `${example.expected}?`);
  const notes = [...present].map((id) => NOTES[id]).filter((n): n is string => n !== undefined);
  const shown = notes.length > 0 ? rng.shuffle(notes).slice(0, 3) : ["I answer directly."];
  const text = [`Let me work on this ${tag.taskId.replace(/^sim-/, "")} problem.`, ...shown, `Answer: ${answer}`].join("\n");
  return { text, correct, probability };
}
