/**
 * Edits the simulated prompt agent makes to a prompt, good and bad. Each returns the
 * edited lines and a short note for the agent's analysis text. Pure.
 */
import type { Rng } from "./hash";
import { BLOAT_SENTENCES, detectSkills, type Skill, VERBOSE_WRAPPERS } from "./landscape";
import { fromLines, type PromptLines, removeSentence, sentencePositions } from "./text";

/** The outcome of one edit. */
export interface EditResult {
  lines: PromptLines;
  note: string;
}

/** Phrases an instruction the way the agent writes: bare when concise, wrapped otherwise. */
export function phrase(cue: string, concise: boolean, rng: Rng): string {
  if (concise) return cue;
  const wrapper = rng.pick(VERBOSE_WRAPPERS) as string;
  return wrapper + cue.charAt(0).toLowerCase() + cue.slice(1);
}

/** Appends an instruction as its own line. */
export function addLine(lines: PromptLines, sentence: string, note: string): EditResult {
  return { lines: [...lines, [sentence]], note };
}

/** Adds a sentence of filler that no skill rewards. */
export function addBloat(lines: PromptLines, rng: Rng): EditResult {
  const text = fromLines(lines);
  const fresh = BLOAT_SENTENCES.filter((s) => !text.includes(s));
  const sentence = rng.pick(fresh.length > 0 ? fresh : BLOAT_SENTENCES) as string;
  return addLine(lines, sentence, "Added encouragement to be careful.");
}

/**
 * Deletes one sentence. `protect` lists skill ids whose sentences must survive;
 * `preferFiller` makes the agent delete a sentence that carries no skill when it can
 * (a deliberate trim rather than a blind cut).
 */
export function deleteSentence(
  lines: PromptLines,
  catalogue: readonly Skill[],
  rng: Rng,
  options: { protect: string[]; preferFiller: boolean },
): EditResult | null {
  const all = sentencePositions(lines);
  if (all.length <= 1) return null;
  const candidates = all.filter((p) => !options.protect.some((id) => detectSkills(p.text, catalogue).has(id)));
  const filler = candidates.filter((p) => detectSkills(p.text, catalogue).size === 0);
  // The first sentence is usually the role line: a trim that removes it is not a trim.
  const trimmable = filler.filter((p) => p.line !== 0 || p.index !== 0);
  const pool = options.preferFiller && trimmable.length > 0 ? trimmable : candidates;
  const chosen = rng.pick(pool);
  if (!chosen) return null;
  const shortened = chosen.text.length > 60 ? `${chosen.text.slice(0, 57)}...` : chosen.text;
  return { lines: removeSentence(lines, chosen.line, chosen.index), note: `Removed: ${shortened}` };
}

/** Copies an example into the prompt as a quoted case: the overfitting edit. */
export function pasteExample(lines: PromptLines, input: string, expected: string): EditResult {
  const body = input
    .replace(/\[sim:[^\]]*\]\s*/g, "")
    .replace(/"/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 320);
  const sentence = `For example, for "${body}" the correct answer is ${expected.trim()}.`;
  return addLine(lines, sentence, "Added a worked case from the examples.");
}
