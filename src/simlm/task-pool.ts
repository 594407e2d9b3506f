/**
 * The built-in pool of simulated tasks. Each task weighs some skills of the landscape;
 * each example needs a deterministic subset of them, looked up from (task, number) by
 * the tag on the example's first line, e.g. `[sim:sim-arithmetic#17]`. Everything about
 * an example (text, gold answer, needed skills, difficulty) follows from that tag.
 */
import { rngOf } from "./hash";
import { GENERATORS, type GeneratedProblem } from "./task-generators";

/** The scorer a task is created with (the project's ScorerSpec JSON, by `type`). */
export type SimScorerSpec = { type: "numeric" } | { type: "choice" } | { type: "exact" };

/** How much one skill matters to a task. */
export interface SkillWeight {
  id: string;
  /** Logit gained when a needed skill's cue is present (missing costs weight * BETA). */
  weight: number;
  /** Probability that an example needs this skill. */
  need: number;
}

/** A simulated task: what a user would create, plus the hidden landscape SimLM scores by. */
export interface SimTask {
  id: string;
  name: string;
  description: string;
  /** The Manual-CoT baseline prompt. */
  seedPrompt: string;
  scorer: SimScorerSpec;
  /** Logit of a correct answer before skills, difficulty and length. */
  base: number;
  skills: SkillWeight[];
}

/** An example as stored with a task: the input carries the sim tag. */
export interface SimExample {
  input: string;
  expected: string;
}

/** Everything SimLM knows about one example. */
export interface SimExampleDetail extends SimExample {
  taskId: string;
  number: number;
  needs: string[];
  /** Logit offset: some examples are simply harder. */
  difficulty: number;
  /** Plausible wrong answers, in the scorer's format. */
  distractors: string[];
}

const cot = (role: string, slot: string): string =>
  `You are a helpful assistant that ${role}. Think step by step. Give the final answer on the last line as 'Answer: <${slot}>'.`;

// Every task needs reasoning and the answer format (the seed has both: deleting them hurts).
const CORE = (reasoning = 0.8): SkillWeight[] => [
  { id: "reasoning", weight: reasoning, need: 1 },
  { id: "answer-format", weight: 1.0, need: 1 },
];

/** The pool. The last task is held out of pre-training (see HELD_OUT_TASK_ID). */
export const SIM_TASKS: readonly SimTask[] = [
  {
    id: "sim-arithmetic",
    name: "Simulated arithmetic word problems",
    description: "Simulated (SimLM) multi-step word problems with a numeric answer.",
    seedPrompt: cot("solves math word problems", "number"),
    scorer: { type: "numeric" },
    base: -0.8,
    skills: [
      ...CORE(),
      { id: "decompose", weight: 0.9, need: 0.6 },
      { id: "careful-arithmetic", weight: 1.0, need: 0.7 },
      { id: "verify", weight: 0.7, need: 0.5 },
      { id: "rounding", weight: 0.6, need: 0.2 },
    ],
  },
  {
    id: "sim-logic",
    name: "Simulated logic puzzles",
    description: "Simulated (SimLM) multiple-choice reasoning questions; the answer is a letter A-D.",
    seedPrompt: cot("answers multiple-choice reasoning questions", "letter"),
    scorer: { type: "choice" },
    base: -0.8,
    skills: [
      ...CORE(),
      { id: "track-facts", weight: 0.9, need: 0.6 },
      { id: "eliminate", weight: 0.8, need: 0.6 },
      { id: "negation", weight: 1.0, need: 0.4 },
      { id: "edge-cases", weight: 0.7, need: 0.3 },
      { id: "verify", weight: 0.5, need: 0.3 },
    ],
  },
  {
    id: "sim-extraction",
    name: "Simulated field extraction",
    description: "Simulated (SimLM) extraction of one field from a message; exact-match answers.",
    seedPrompt: cot("extracts information from messages", "value"),
    scorer: { type: "exact" },
    base: -0.8,
    skills: [
      ...CORE(0.4),
      { id: "quote-exact", weight: 1.0, need: 0.7 },
      { id: "missing-field", weight: 1.2, need: 0.25 },
      { id: "evidence", weight: 0.7, need: 0.5 },
      { id: "edge-cases", weight: 0.6, need: 0.3 },
    ],
  },
  {
    id: "sim-units",
    name: "Simulated unit conversions",
    description: "Simulated (SimLM) measurement problems that mix units; numeric answers.",
    seedPrompt: cot("solves measurement problems", "number"),
    scorer: { type: "numeric" },
    base: -0.9,
    skills: [
      ...CORE(),
      { id: "units", weight: 1.1, need: 0.7 },
      { id: "decompose", weight: 0.7, need: 0.4 },
      { id: "rounding", weight: 0.7, need: 0.4 },
      { id: "verify", weight: 0.6, need: 0.4 },
      { id: "careful-arithmetic", weight: 0.6, need: 0.3 },
    ],
  },
  {
    id: "sim-classify",
    name: "Simulated message classification",
    description: "Simulated (SimLM) customer messages labelled complaint, question, praise or request.",
    seedPrompt: cot("classifies customer messages", "label"),
    scorer: { type: "exact" },
    base: -0.8,
    skills: [
      ...CORE(0.5),
      { id: "label-definitions", weight: 1.0, need: 0.7 },
      { id: "negation", weight: 0.9, need: 0.4 },
      { id: "evidence", weight: 0.7, need: 0.4 },
      { id: "edge-cases", weight: 0.7, need: 0.4 },
    ],
  },
];

/** Ids of all simulated tasks, in pool order. */
export const SIM_TASK_IDS: readonly string[] = SIM_TASKS.map((t) => t.id);

/** The task kept out of pre-training: it shares meta-skills, and some task skills, with the rest. */
export const HELD_OUT_TASK_ID = "sim-classify";

/** The four tasks a demo pre-trains on. */
export const PRETRAIN_TASK_IDS: readonly string[] = SIM_TASK_IDS.filter((id) => id !== HELD_OUT_TASK_ID);

/** The task with this id, or undefined. */
export function getSimTask(id: string): SimTask | undefined {
  return SIM_TASKS.find((t) => t.id === id);
}

/** A parsed sim tag. */
export interface SimTag {
  taskId: string;
  number: number;
}

const TAG = /\[sim:([a-z0-9-]+)#(\d+)\]/;

/** The first sim tag in a text, or null. */
export function parseSimTag(text: string): SimTag | null {
  const m = TAG.exec(text);
  return m ? { taskId: m[1] as string, number: Number(m[2]) } : null;
}

/** Needed skills, difficulty and problem of one example: a pure function of (task, number). */
export function describeExample(task: SimTask, number: number): SimExampleDetail {
  const rng = rngOf("simlm-example", task.id, number);
  const needs = task.skills.filter((s) => s.need >= 1 || rng.chance(s.need)).map((s) => s.id);
  const difficulty = (rng.next() - 0.5) * 1.6;
  const generate = GENERATORS[task.id];
  if (!generate) throw new Error(`SimLM: no generator for ${task.id}`);
  const problem: GeneratedProblem = generate(rngOf("simlm-problem", task.id, number), new Set(needs));
  return {
    taskId: task.id,
    number,
    needs,
    difficulty,
    input: `[sim:${task.id}#${number}]\n${problem.body}`,
    expected: problem.expected,
    distractors: problem.distractors,
  };
}

/** The example behind a tag, or null when the tag names no pool task. */
export function lookupExample(tag: SimTag): SimExampleDetail | null {
  const task = getSimTask(tag.taskId);
  return task ? describeExample(task, tag.number) : null;
}

/**
 * `count` examples of a task. Different seeds give disjoint example numbers (for seeds
 * below 4096), so a data set can be split or extended without repeats.
 */
export function generateExamples(taskId: string, count: number, seed = 0): SimExample[] {
  const task = getSimTask(taskId);
  if (!task) throw new Error(`SimLM: unknown simulated task ${taskId}`);
  const offset = (Math.abs(Math.trunc(seed)) % 4096) * 1_000_000;
  return Array.from({ length: count }, (_, i) => {
    const { input, expected } = describeExample(task, offset + i);
    return { input, expected };
  });
}
