/**
 * The SimLM fitness landscape: the hidden skills that make a simulated task prompt good
 * (task skills) and those that make a prompt agent good at writing prompts (meta-skills).
 * A skill is "present" in a prompt when one of its cue phrases occurs in it, or when one
 * sentence holds all words of one of its keyword sets: a rephrased instruction still
 * counts, an unrelated one does not. Like an NK landscape, this is a test instrument.
 */
import { normalize, splitSentences } from "./text";

export type SkillKind = "task" | "meta";

/** One hidden skill and how a prompt shows it. */
export interface Skill {
  id: string;
  kind: SkillKind;
  /** The canonical instruction; the simulated agent adds exactly this text. */
  cue: string;
  /** Other phrasings that count as the cue. */
  aliases: string[];
  /** Each set: substrings that, all in one sentence, count as the skill. */
  keywords: string[][];
}

function skill(kind: SkillKind, id: string, cue: string, keywords: string[][], aliases: string[] = []): Skill {
  return { id, kind, cue, aliases, keywords };
}

/** Instructions a good task prompt would contain; each task weighs a subset (task-pool.ts). */
export const TASK_SKILLS: readonly Skill[] = [
  skill("task", "reasoning", "Think step by step.", [["step by step"], ["step-by-step"]]),
  skill("task", "answer-format", "Give the final answer on the last line as 'Answer: <answer>'.", [
    ["last line", "answer:"],
    ["final answer", "format"],
  ]),
  skill("task", "decompose", "Break the problem into smaller parts and solve them one at a time.", [
    ["break", "smaller"],
    ["decompose"],
    ["sub-problem"],
    ["subproblem"],
  ]),
  skill("task", "careful-arithmetic", "Do each calculation separately and write down every intermediate result.", [
    ["intermediate result"],
    ["calculation", "separately"],
    ["arithmetic", "carefully"],
  ]),
  skill("task", "verify", "Verify the answer by substituting it back into the problem.", [
    ["verify"],
    ["double-check"],
    ["substitut", "back"],
  ]),
  skill("task", "units", "Convert all quantities to the same unit before computing.", [["same unit"], ["convert", "unit"]]),
  skill("task", "rounding", "Round only at the end, to the precision the question asks for.", [
    ["round", "end"],
    ["precision"],
  ]),
  skill("task", "track-facts", "List every fact given in the question before drawing conclusions.", [
    ["list", "fact"],
    ["every fact"],
  ]),
  skill("task", "eliminate", "Eliminate options that contradict the given facts before choosing.", [
    ["eliminate"],
    ["rule out"],
  ]),
  skill("task", "negation", "Pay close attention to negations such as 'not', 'never' and 'except'.", [
    ["negation"],
    ["negated"],
    ["'not'"],
  ]),
  skill("task", "edge-cases", "Consider edge cases and ambiguous wording before answering.", [
    ["edge case"],
    ["corner case"],
    ["ambigu"],
  ]),
  skill("task", "quote-exact", "Copy the requested text exactly as it appears in the input, keeping spelling and capitalization.", [
    ["exactly as it appears"],
    ["verbatim"],
    ["capitalization"],
  ]),
  skill("task", "missing-field", "If the requested item does not appear in the input, answer 'none'.", [
    ["does not appear", "none"],
    ["missing", "none"],
    ["not present", "none"],
  ]),
  skill("task", "evidence", "Use only facts stated in the input; do not assume anything else.", [
    ["only facts stated"],
    ["stated in the input"],
    ["do not assume"],
    ["don't assume"],
  ]),
  skill("task", "label-definitions", "Compare the text with the definition of each label before choosing a label.", [
    ["definition", "label"],
    ["definitions"],
  ]),
];

/**
 * What makes a prompt agent good: the "defensive" rules the paper's evolved agents
 * learned, plus diagnosis and targeting. Order = the value a self-improving agent that
 * diagnoses well assigns them when it has no other evidence.
 */
export const META_SKILLS: readonly Skill[] = [
  skill("meta", "diagnose", "Diagnose the root cause of each failure before editing the prompt.", [
    ["root cause"],
    ["diagnose"],
  ]),
  skill("meta", "preserve", "Keep instructions that already work; do not delete or overwrite them.", [
    ["already work"],
    ["keep", "working instruction"],
    ["do not delete"],
  ]),
  skill("meta", "targeted", "Add one targeted instruction per failure pattern.", [
    ["targeted instruction"],
    ["per failure pattern"],
    ["each failure pattern"],
  ]),
  skill("meta", "generalize", "Generalize from the failures; never copy example inputs or answers into the prompt.", [
    ["generalize"],
    ["never copy"],
    ["do not copy"],
    ["overfit"],
  ]),
  skill("meta", "depth", "Preserve reasoning depth: never remove or shorten the step-by-step reasoning instructions.", [
    ["reasoning depth"],
    ["never remove", "reasoning"],
    ["do not reduce", "reasoning"],
  ]),
  skill("meta", "concise", "Be concise: remove redundant text and keep the prompt short.", [
    ["be concise"],
    ["redundant"],
    ["keep the prompt short"],
  ]),
];

const BY_ID = new Map([...TASK_SKILLS, ...META_SKILLS].map((s) => [s.id, s]));

/** The skill with this id; throws for an unknown id (a programming error in the pool). */
export function getSkill(id: string): Skill {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`SimLM: unknown skill ${id}`);
  return found;
}

function isPresent(s: Skill, whole: string, sentences: string[]): boolean {
  if ([s.cue, ...s.aliases].some((cue) => whole.includes(normalize(cue)))) return true;
  return sentences.some((sentence) => s.keywords.some((set) => set.every((word) => sentence.includes(word))));
}

/** Ids of the skills of `catalogue` present in `prompt`. */
export function detectSkills(prompt: string, catalogue: readonly Skill[]): Set<string> {
  const whole = normalize(prompt);
  const sentences = splitSentences(prompt).map(normalize);
  return new Set(catalogue.filter((s) => isPresent(s, whole, sentences)).map((s) => s.id));
}

/** Task skills present in a task prompt. */
export function detectTaskSkills(prompt: string): Set<string> {
  return detectSkills(prompt, TASK_SKILLS);
}

/** Meta-skills present in a prompt agent's prompt. */
export function detectMetaSkills(prompt: string): Set<string> {
  return detectSkills(prompt, META_SKILLS);
}

/** Filler a careless agent adds: no skill, only length (which the task model pays for). */
export const BLOAT_SENTENCES: readonly string[] = [
  "You are a world-class expert with many years of experience in this field.",
  "It is extremely important that you always do your very best on every single question.",
  "Take your time, stay focused, and remember that accuracy matters a great deal here.",
  "Please make sure your answer is helpful, correct, and complete in every respect.",
  "Remember that the user is counting on you, so be thorough and careful at all times.",
  "Always keep the instructions above in mind while working on the question.",
];

/** Verbose framing a non-concise agent wraps around a new instruction. */
export const VERBOSE_WRAPPERS: readonly string[] = [
  "It is very important that you remember the following rule at all times: ",
  "Based on a careful review of the mistakes made so far, please note this: ",
  "In addition to everything above, and without exception, ",
];
